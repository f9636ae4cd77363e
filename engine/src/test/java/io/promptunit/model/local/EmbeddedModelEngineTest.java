package io.promptunit.model.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.promptunit.fixtures.valid.ConfiguredModelSuite;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The local-model paths through the engine: {@code gguf:<path>} and the embedded default when it cannot be downloaded. */
class EmbeddedModelEngineTest {

  @TempDir
  Path directory;

  private EngineExecutionResults run(Map<String, String> settings) {
    return EngineTestKit.engine("promptunit")
        .selectors(selectClass(ConfiguredModelSuite.class))
        .configurationParameter("promptunit.cache", "off")
        .configurationParameters(settings)
        .execute();
  }

  @Test
  void aGgufPathRunsEveryExampleThroughLlamaCpp() throws IOException {
    Path model = TinyLlamaGguf.write(directory.resolve("tiny.gguf"), 7);

    EngineExecutionResults results = run(Map.of("promptunit.model", "gguf:" + model));

    // random weights answer nonsense: every example runs and fails its check — none errors
    results.testEvents().assertStatistics(stats -> stats.started(5).failed(5));
    results.testEvents().failed().stream().forEach(event -> assertThat(
        event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()).isInstanceOf(AssertionError.class));
    assertThat(results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .filter(entries -> entries.containsKey("promptunit.inputTokens") && entries.containsKey("promptunit.latencyMs")))
        .hasSize(5).allSatisfy(entries -> assertThat(Long.parseLong(entries.get("promptunit.inputTokens"))).isPositive());
  }

  @Test
  void aBrokenGgufFileFailsTheSuiteNamingTheFile() throws IOException {
    Path bogus = java.nio.file.Files.writeString(directory.resolve("bogus.gguf"), "not a model");

    EngineExecutionResults results = run(Map.of("promptunit.model", "gguf:" + bogus));

    // a test of its own ("suite: cannot start") fails naming the file
    results.testEvents().failed().assertThatEvents().anySatisfy(event -> {
      TestExecutionResult result = event.getPayload(TestExecutionResult.class).orElse(null);
      assertThat(result).isNotNull();
      assertThat(result.getThrowable()).hasValueSatisfying(t -> assertThat(t.getMessage()).contains("gguf:" + bogus, "cannot be used"));
    });
  }

  @Test
  void withoutNetworkTheEmbeddedDefaultAbortsEveryExampleSayingWhatItTriedAndWhatToDo() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path cache = directory.resolve("models");

    EngineExecutionResults results = run(Map.of("promptunit.model", "", "promptunit.embedded", "true",
        "promptunit.embedded.mirror", "http://127.0.0.1:" + closedPort, "promptunit.model-cache", cache.toString()));

    results.testEvents().assertStatistics(stats -> stats.started(5).aborted(5));
    String message = results.testEvents().aborted().stream().findFirst().orElseThrow()
        .getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage();
    assertThat(message).contains("embedded default model", "could not be set up", "http://127.0.0.1:" + closedPort,
        cache.toString(), "gguf:", "openai:gpt-4o-mini");
    assertThat(results.testEvents().aborted().stream().map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable()
        .orElseThrow().getMessage()).distinct()).hasSize(1);
  }
}
