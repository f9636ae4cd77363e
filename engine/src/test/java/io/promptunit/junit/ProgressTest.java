package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.promptunit.fixtures.valid.RouterSuite;
import io.promptunit.testing.Models;
import io.promptunit.testing.Routers;
import io.promptunit.testing.ScriptedChatModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A long suite says it is alive: a progress line every few seconds while its examples run. */
class ProgressTest {

  private final PrintStream originalOut = System.out;

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    Models.clear();
  }

  @Test
  void aSuiteThatTakesLongerThanTheProgressIntervalPrintsWhereItIs() {
    // one call at a time, each taking 700 ms: five examples take over three seconds, the interval is one
    Models.use(ScriptedChatModel.answering(prompt -> {
      try {
        Thread.sleep(700);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Routers.route(prompt);
    }));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setOut(new PrintStream(console, true));

    EngineRuns.run(Map.of("promptunit.progress-seconds", "1", "promptunit.concurrency", "1"), selectClass(RouterSuite.class));

    assertThat(console.toString()).containsPattern("\\[PromptUnit\\] RouterSuite: [0-4]/5 examples, \\d+ passing so far; spend \\d+ calls, .* tokens, \\$[0-9.]+; \\d+ s");
  }
}
