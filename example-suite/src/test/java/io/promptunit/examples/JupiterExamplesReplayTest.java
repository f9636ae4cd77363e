package io.promptunit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.promptunit.suite.SuiteLoader;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the Jupiter example classes through Jupiter's own engine: from their committed cassettes
 * without any model call, and against the scripted model with the cassette off. These are nested
 * runs ({@link NestedRun}): their console lines and reports stay out of the module's own.
 */
class JupiterExamplesReplayTest {

  /** 3 tests, the 4 held-out tickets of foreign customers and one label check per example. */
  private static final long TESTS = 3 + 4 + SuiteLoader.load(SupportRouterPromptTest.class).examples().size();

  @BeforeEach
  void resetCalls() {
    SupportDeskModel.CALLS.set(0);
    ReplyDeskModel.CALLS.set(0);
  }

  @Test
  void theReplyDraftsAreJudgedByMeaningFromTheirCassetteWithoutAModelCall() {
    NestedRun.of().execute("junit-jupiter", Map.of("promptunit.cache", "replay"),
            selectClass(ReplyDraftJupiterTest.class))
        .testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

    assertThat(ReplyDeskModel.CALLS).hasValue(0);
  }

  @Test
  void theCommittedCassetteAnswersEverythingWithoutAModelCall() {
    NestedRun.of().execute("junit-jupiter", Map.of("promptunit.cache", "replay"),
            selectClass(SupportRouterJupiterTest.class))
        .testEvents().assertStatistics(stats -> stats.started(TESTS).succeeded(TESTS));

    assertThat(SupportDeskModel.CALLS).hasValue(0);
  }

  @Test
  void withTheCassetteOffTheScriptedModelAnswersEveryExampleConcurrently() {
    NestedRun.of().execute("junit-jupiter", Map.of("promptunit.cache", "off", "promptunit.concurrency", "4"),
            selectClass(SupportRouterJupiterTest.class))
        .testEvents().assertStatistics(stats -> stats.started(TESTS).succeeded(TESTS));

    assertThat(SupportDeskModel.CALLS).hasValue(44);
  }
}
