package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.promptunit.fixtures.valid.RouterSuite;
import io.promptunit.fixtures.valid.SentimentCsvSuite;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.JUnitException;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** On a JUnit older than PromptUnit supports, every selected suite fails with the reason instead of discovery failing. */
class UnsupportedJUnitTest {

  private static final String REASON = "PromptUnit needs JUnit 5.13 or newer, but this test run has JUnit 5.11.4 (junit-platform-engine 1.11.4).";

  @Test
  void aSelectedSuiteIsAContainerWhoseOneTestFailsWithTheReason() {
    TestDescriptor engine = discover(selectClass(RouterSuite.class));

    assertThat(engine.getChildren()).singleElement().satisfies(suite -> {
      assertThat(suite.getUniqueId()).isEqualTo(UniqueId.forEngine("promptunit").append("suite", RouterSuite.class.getName()));
      assertThat(suite.isContainer()).isTrue();
      assertThat(suite.getSource()).contains(ClassSource.from(RouterSuite.class));
      assertThat(suite.getLegacyReportingName()).isEqualTo(RouterSuite.class.getName());
      assertThat(suite.getChildren()).singleElement().satisfies(refusal -> {
        assertThat(refusal.isTest()).isTrue();
        assertThat(refusal.getDisplayName()).isEqualTo("needs JUnit 5.13 or newer");
      });
    });

    Events tests = run(selectClass(RouterSuite.class)).testEvents();
    tests.assertStatistics(stats -> stats.started(1).failed(1));
    tests.assertThatEvents().haveExactly(1, event(test("junit-version"), finishedWithFailure(instanceOf(JUnitException.class), message(REASON))));
  }

  @Test
  void everySuiteOfAPackageIsRefusedAndOtherClassesAreIgnored() {
    TestDescriptor engine = discover(selectPackage(RouterSuite.class.getPackageName()), selectClass(UnsupportedJUnitTest.class));

    assertThat(engine.getChildren()).extracting(TestDescriptor::getLegacyReportingName)
        .contains(RouterSuite.class.getName(), SentimentCsvSuite.class.getName())
        .doesNotContain(UnsupportedJUnitTest.class.getName());
    int suites = engine.getChildren().size();
    run(selectPackage(RouterSuite.class.getPackageName())).testEvents()
        .assertStatistics(stats -> stats.started(suites).failed(suites).succeeded(0));
  }

  @Test
  void theUniqueIdOfAnExampleFromAnEarlierRunSelectsItsSuite() {
    UniqueId example = UniqueId.forEngine("promptunit").append("suite", RouterSuite.class.getName()).append("example", "refund");

    assertThat(discover(selectUniqueId(example)).getChildren()).extracting(TestDescriptor::getLegacyReportingName)
        .containsExactly(RouterSuite.class.getName());
  }

  private static TestDescriptor discover(DiscoverySelector... selectors) {
    return EngineTestKit.engine(refusingEngine()).selectors(selectors).discover().getEngineDescriptor();
  }

  private static EngineExecutionResults run(DiscoverySelector... selectors) {
    return EngineTestKit.engine(refusingEngine()).selectors(selectors).execute();
  }

  private static PromptUnitTestEngine refusingEngine() {
    return new PromptUnitTestEngine(() -> Optional.of(REASON), Optional::empty);
  }
}
