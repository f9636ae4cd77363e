package io.promptunit.optimize.rulebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.EventConditions.uniqueIdSubstring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptunit.Optimize;
import io.promptunit.config.Configuration;
import io.promptunit.optimize.OptimizeOptions;
import io.promptunit.testing.Models;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The strategy registered only in this package's services file, named in {@code @Optimize(strategyName)},
 * runs through the engine as users run it: the default read-write cassette, several calls at once,
 * a test per round, the held-out verdict and the report files.
 */
class RulebookEngineTest {

  @TempDir
  Path work;

  /** One scripted model for task and optimizer calls, slow enough (2 ms) for concurrent calls to overlap. */
  private final ScriptedChatModel model = new ScriptedChatModel(request -> {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String question = ScriptedChatModel.userMessage(request);
    return ScriptedChatModel.systemMessage(request).contains("expert prompt engineer") ? RulebookTest.rules(question) : Tickets.taskAnswer(question);
  });

  @AfterEach
  void clear() {
    Models.clear();
  }

  /** Runs {@code suite} with the default cassette mode (read-write) and 4 calls at once; reports go to {@code output}. */
  private EngineExecutionResults run(Class<?> suite, String output) {
    Models.use(model);
    Map<String, String> settings = new HashMap<>();
    settings.put("promptunit.cache-dir", work.resolve("cassettes").toString());
    settings.put("promptunit.output-dir", work.resolve(output).toString());
    settings.put("promptunit.concurrency", "4");
    settings.put("promptunit.embedded", "false");
    settings.put("promptunit.retry-backoff-millis", "1");
    return EngineTestKit.engine("promptunit").selectors(selectClass(suite)).configurationParameters(settings).execute();
  }

  @Test
  void chosenByNameItOptimizesThroughTheEngineConcurrentlyAndAWarmRunReplaysItFromTheCassette() throws IOException {
    EngineExecutionResults cold = run(RulebookSuite.class, "cold");

    cold.containerEvents().assertThatEvents().haveExactly(1, event(container(uniqueIdSubstring("optimization:rulebook")), finishedSuccessfully()));
    assertThat(cold.containerEvents().finished().stream().map(e -> e.getTestDescriptor().getDisplayName())).contains("optimize (RULEBOOK)");
    cold.testEvents().assertThatEvents()
        .haveAtLeast(1, event(test("round"), finishedSuccessfully()))
        .haveExactly(1, event(test("verdict"), finishedSuccessfully()));
    assertThat(model.maxInFlight()).as("calls at once").isGreaterThan(1);
    Path reports = work.resolve("cold").resolve(RulebookSuite.class.getName()).resolve("rulebook");
    assertThat(Files.readString(reports.resolve("best.prompt"))).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE);
    assertThat(new ObjectMapper().readTree(reports.resolve("history.json").toFile()).get("strategy").asText()).isEqualTo("rulebook");
    Path cassette = work.resolve("cassettes").resolve(RulebookSuite.class.getName() + ".jsonl");
    assertThat(Files.readString(cassette)).contains("Add the rules that would fix these mistakes");

    int coldCalls = model.calls();
    EngineExecutionResults warm = run(RulebookSuite.class, "warm");

    warm.testEvents().assertThatEvents().haveExactly(1, event(test("verdict"), finishedSuccessfully()));
    assertThat(model.calls()).as("calls of the warm run").isEqualTo(coldCalls);
    assertThat(work.resolve("warm").resolve(RulebookSuite.class.getName()).resolve("rulebook").resolve("best.prompt"))
        .hasSameTextualContentAs(reports.resolve("best.prompt"));
  }

  @Test
  void aComparisonNamesBuiltInAndRegisteredStrategiesAlike() {
    Optimize compared = RulebookSuite.Compared.class.getAnnotation(Optimize.class);

    assertThat(OptimizeOptions.compared(compared, Configuration.of(Map.of()))).containsExactly("PE2", "RULEBOOK");
    TestDescriptor engine = EngineTestKit.engine("promptunit").selectors(selectClass(RulebookSuite.Compared.class))
        .configurationParameters(Map.of("promptunit.embedded", "false")).discover().getEngineDescriptor();
    assertThat(engine.getDescendants()).anySatisfy(descriptor -> {
      assertThat(descriptor.getDisplayName()).isEqualTo("optimize (compare PE2, RULEBOOK)");
      assertThat(descriptor.getUniqueId().getLastSegment().getValue()).isEqualTo("compare");
    });
  }

  @Test
  void aNameNoStrategyHasIsReportedWithTheRegisteredOnes() {
    Optimize misnamed = RulebookSuite.Misnamed.class.getAnnotation(Optimize.class);

    assertThatThrownBy(() -> OptimizeOptions.strategyName(misnamed, Configuration.of(Map.of())))
        .hasMessageContaining("@Optimize(strategyName)=annealing is not a strategy")
        .hasMessageContaining("PROTEGI").hasMessageContaining("RULEBOOK")
        .hasMessageContaining("META-INF/services/io.promptunit.optimize.StrategyProvider");
    assertThat(OptimizeOptions.strategyName(misnamed, Configuration.of(Map.of("promptunit.optimize.strategy", "rulebook"))))
        .as("the setting wins over the annotation").isEqualTo("RULEBOOK");
  }
}
