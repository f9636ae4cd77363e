package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.engine;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.promptunit.fixtures.valid.RouterSuite;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * On a class path whose JUnit jars are of different releases, a run that selects a suite fails at discovery with the
 * one message that names the jars (Surefire prints a critical discovery issue on its console); no suite runs.
 */
class MixedJUnitTest {

  private static final String MIX = "PromptUnit cannot run on this class path: its JUnit jars are of different JUnit"
      + " releases (5.14.4, 6.0.3), which fail together with a NoSuchMethodError or NoClassDefFoundError.";

  @Test
  void aSelectedSuiteMakesTheMixOneDiscoveryError() {
    EngineDiscoveryResults discovery = discover(selectClass(RouterSuite.class));

    assertThat(discovery.getDiscoveryIssues()).singleElement().satisfies(issue -> {
      assertThat(issue.severity()).isEqualTo(DiscoveryIssue.Severity.ERROR);
      assertThat(issue.message()).isEqualTo(MIX);
    });
    assertThat(discovery.getEngineDescriptor().getChildren()).singleElement()
        .satisfies(suite -> assertThat(suite.getChildren()).singleElement()
            .satisfies(refusal -> assertThat(refusal.getDisplayName()).isEqualTo("needs JUnit jars of one release")));
  }

  /** {@code -Dtest=RouterSuite#refund}, or one example run from an IDE: its suite refuses all the same. */
  @Test
  void anExampleSelectedByIdMakesTheMixOneDiscoveryErrorToo() {
    EngineDiscoveryResults discovery = discover(
        org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod(RouterSuite.class.getName() + "#refund"));

    assertThat(discovery.getDiscoveryIssues()).singleElement()
        .satisfies(issue -> assertThat(issue.message()).isEqualTo(MIX));
  }

  @Test
  void theRunFailsWithTheMessageBeforeAnySuiteRuns() {
    EngineExecutionResults results = EngineTestKit.engine(mixedEngine()).selectors(selectClass(RouterSuite.class))
        .execute();

    results.allEvents().assertThatEvents()
        .haveExactly(1, event(engine(), finishedWithFailure(message(text -> text.contains(MIX)))));
    results.testEvents().assertStatistics(stats -> stats.started(0));
  }

  /** One Jupiter class run from an IDE: PromptUnit has no suite to refuse, and the Jupiter extension says it there. */
  @Test
  void aRunWithoutSuitesIsLeftAlone() {
    EngineDiscoveryResults discovery = discover(selectClass(MixedJUnitTest.class));

    assertThat(discovery.getDiscoveryIssues()).isEmpty();
    assertThat(discovery.getEngineDescriptor().getChildren()).isEmpty();
  }

  /** A JUnit too old for PromptUnit is said first: that message names the jar to update, and the fix is the same. */
  @Test
  void aTooOldJUnitIsRefusedAsTooOldEvenWhenItsJarsMix() {
    PromptUnitTestEngine engine = new PromptUnitTestEngine(() -> Optional.of("too old"), () -> Optional.of(MIX));

    EngineDiscoveryResults discovery = EngineTestKit.engine(engine).selectors(selectClass(RouterSuite.class)).discover();

    assertThat(discovery.getDiscoveryIssues()).isEmpty();
    assertThat(discovery.getEngineDescriptor().getChildren()).singleElement()
        .satisfies(suite -> assertThat(suite.getChildren()).singleElement()
            .satisfies(refusal -> assertThat(refusal.getDisplayName()).isEqualTo("needs JUnit 5.13 or newer")));
  }

  private static EngineDiscoveryResults discover(DiscoverySelector... selectors) {
    return EngineTestKit.engine(mixedEngine()).selectors(selectors).discover();
  }

  private static PromptUnitTestEngine mixedEngine() {
    return new PromptUnitTestEngine(Optional::empty, () -> Optional.of(MIX));
  }
}
