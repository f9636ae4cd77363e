package io.promptunit.junit;

import java.util.Map;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs the PromptUnit engine through EngineTestKit with explicit configuration (no properties file, no environment model). */
final class EngineRuns {

  private EngineRuns() {}

  /**
   * Runs with the given settings; unless they say otherwise, retries wait 1 ms, no cassette is read or
   * written, and no embedded model is downloaded.
   */
  static EngineExecutionResults run(Map<String, String> configuration, DiscoverySelector... selectors) {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("promptunit.retry-backoff-millis", "1");
    settings.put("promptunit.cache", "off");
    settings.put("promptunit.embedded", "false");
    settings.putAll(configuration);
    return EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID)
        .selectors(selectors)
        .configurationParameters(settings)
        .execute();
  }

  /** The discovery issues of a discovery with the given settings. */
  static java.util.List<org.junit.platform.engine.DiscoveryIssue> discoveryIssues(Map<String, String> configuration,
      DiscoverySelector... selectors) {
    return EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID).selectors(selectors).configurationParameters(configuration).discover()
        .getDiscoveryIssues();
  }

  static EngineExecutionResults run(DiscoverySelector... selectors) {
    return run(Map.of(), selectors);
  }
}
