package io.promptunit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.promptunit.suite.SuiteLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the model-matrix example from its committed cassette: no model call, one container per model with its own
 * verdict, and the table naming the small model as the cheapest that passes held-out. A nested run ({@link
 * NestedRun}): its console lines and report stay out of the module's own.
 */
class MatrixExampleReplayTest {

  private static final int EXAMPLES = SuiteLoader.load(SupportRouterPromptTest.class).examples().size();

  /** The module's settings (the models' prices), answering from the cassette only. */
  private static Map<String, String> settings() {
    Properties properties = new Properties();
    try (InputStream in = MatrixExampleReplayTest.class.getResourceAsStream("/junit-platform.properties")) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> settings = new HashMap<>();
    properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key)));
    settings.put("promptunit.cache", "replay");
    return settings;
  }

  @BeforeEach
  void resetCalls() {
    RouterModels.CALLS.set(0);
  }

  @Test
  void theMatrixReplaysFromItsCassetteAndNamesTheCheapestPassingModel() {
    NestedRun run = NestedRun.of();
    run.execute("promptunit", settings(), selectClass(SupportRouterMatrixTest.class))
        // each model: its examples and its pass-rate verdict over all of them; failures within minPassRate are
        // tolerated (aborted): two of the small model's, four of the mini model's
        .testEvents().assertStatistics(stats -> stats.started(3L * (EXAMPLES + 1)).failed(0).aborted(6));

    assertThat(RouterModels.CALLS).hasValue(0);
    // on the held-out tickets the mini model falls below the bar (72.7%): the small one is the cheapest that passes
    assertThat(run.console()).contains("SupportRouterMatrixTest: models side by side",
        "cheapest model that passes held-out test (minPassRate 90.0%): SupportRouterMatrixTest.small()");
  }
}
