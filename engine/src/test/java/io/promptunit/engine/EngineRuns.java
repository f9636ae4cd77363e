package io.promptunit.engine;

import java.util.Map;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs the PromptUnit engine through EngineTestKit with explicit configuration (no properties file, no environment model). */
final class EngineRuns {

  private EngineRuns() {}

  static EngineExecutionResults run(Map<String, String> configuration, DiscoverySelector... selectors) {
    return EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID)
        .selectors(selectors)
        .configurationParameters(configuration)
        .configurationParameter("promptunit.retry-backoff-millis", "1")
        .execute();
  }

  static EngineExecutionResults run(DiscoverySelector... selectors) {
    return run(Map.of(), selectors);
  }
}
