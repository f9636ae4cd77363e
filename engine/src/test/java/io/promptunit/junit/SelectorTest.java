package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathResource;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.promptunit.fixtures.valid.RouterSuite;
import io.promptunit.fixtures.valid.SentimentCsvSuite;
import io.promptunit.fixtures.valid.TolerantSuite;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.discovery.FilePosition;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Every selector a JUnit tool sends: Surefire's -Dtest=Class#id, --select-method, files and classpath resources with positions. */
class SelectorTest {

  @Test
  void surefireTestPatternsWithAnIdRunExactlyTheNamedExamples() {
    assertThat(examples(Map.of("test", "RouterSuite#password"), selectClass(RouterSuite.class))).containsExactly("password");
    assertThat(examples(Map.of("test", "io.promptunit.fixtures.valid.RouterSuite#pass*+crash"), selectClass(RouterSuite.class)))
        .containsExactly("crash", "password");
    assertThat(examples(Map.of("test", "**/Router*#login-?oop"), selectClass(RouterSuite.class))).containsExactly("login-loop");
  }

  @Test
  void surefirePatternsWithoutAnIdOrForOtherClassesRunEveryExample() {
    assertThat(examples(Map.of("test", "RouterSuite"), selectClass(RouterSuite.class))).hasSize(5);
    assertThat(examples(Map.of("test", "OtherTest#password"), selectClass(RouterSuite.class))).hasSize(5);
    assertThat(examples(Map.of("test", "%regex[.*Router.*]"), selectClass(RouterSuite.class))).hasSize(5);
  }

  @Test
  void anExcludedIdIsLeftOut() {
    assertThat(examples(Map.of("test", "RouterSuite, !RouterSuite#refund+crash"), selectClass(RouterSuite.class)))
        .hasSize(3).doesNotContain("refund", "crash");
  }

  @Test
  void namingExamplesKeepsThePassRateVerdictOverThemButRunsNoOptimization() {
    TestDescriptor named = discover(Map.of("test", "TolerantSuite#*"), selectClass(TolerantSuite.class));
    TestDescriptor optimized = discover(Map.of("test", "TicketsSuite#sec-*"), selectClass(io.promptunit.fixtures.optimize.TicketsSuite.class));
    TestDescriptor excluding = discover(Map.of("test", "TicketsSuite, !TicketsSuite#sec-0"), selectClass(io.promptunit.fixtures.optimize.TicketsSuite.class));

    assertThat(named.getDescendants()).filteredOn(TestDescriptor::isTest).hasSize(6)
        .anyMatch(d -> d.getUniqueId().getLastSegment().getType().equals(PassRateDescriptor.SEGMENT_TYPE));
    assertThat(optimized.getDescendants()).noneMatch(d -> d.getUniqueId().getLastSegment().getType().equals(OptimizationDescriptor.SEGMENT_TYPE));
    assertThat(excluding.getDescendants()).as("leaving examples out is not naming some")
        .anyMatch(d -> d.getUniqueId().getLastSegment().getType().equals(OptimizationDescriptor.SEGMENT_TYPE));
  }

  @Test
  void aTolerantSuiteWhoseNamedExamplesFailFailsItsVerdict() {
    io.promptunit.testing.Models.use(io.promptunit.testing.ScriptedChatModel.answering(prompt -> "nobody"));
    try {
      var results = EngineRuns.run(Map.of("test", "TolerantSuite#*"), selectClass(TolerantSuite.class));
      assertThat(results.testEvents().failed().stream().map(e -> e.getTestDescriptor().getUniqueId().getLastSegment().getType()))
          .containsExactly(PassRateDescriptor.SEGMENT_TYPE);
    } finally {
      io.promptunit.testing.Models.clear();
    }
  }

  @Test
  void aMethodSelectorNamesOneExample() {
    assertThat(examples(Map.of(), selectMethod(RouterSuite.class.getName(), "crash"))).containsExactly("crash");
    var unknown = EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID).selectors(selectMethod(RouterSuite.class.getName(), "no-such-example")).discover();
    assertThat(tests(unknown.getEngineDescriptor())).isEmpty();
    assertThat(unknown.getDiscoveryIssues()).singleElement().satisfies(issue -> {
      assertThat(issue.severity()).isEqualTo(org.junit.platform.engine.DiscoveryIssue.Severity.ERROR);
      assertThat(issue.message()).contains("No example with id \"no-such-example\" in " + RouterSuite.class.getName());
    });
  }

  private static List<org.junit.platform.engine.DiscoveryIssue> issues(String test, DiscoverySelector... selectors) {
    return EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID).selectors(selectors)
        .configurationParameters(Map.of("test", test)).discover().getDiscoveryIssues();
  }

  @Test
  void aSurefirePatternNamingAnUnknownIdOfASuiteItNamesIsADiscoveryErrorNamingTheIds() {
    var discovery = EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID).selectors(selectClass(RouterSuite.class))
        .configurationParameters(Map.of("test", "RouterSuite#pasword")).discover();

    assertThat(tests(discovery.getEngineDescriptor())).isEmpty();
    assertThat(discovery.getDiscoveryIssues()).singleElement().satisfies(issue -> {
      assertThat(issue.severity()).isEqualTo(org.junit.platform.engine.DiscoveryIssue.Severity.ERROR);
      assertThat(issue.message()).contains("No example with id \"pasword\" in " + RouterSuite.class.getName(),
          "-Dtest=RouterSuite#pasword", "did you mean \"password\"?", "refund, crash, password, h2d6ff2d01535, login-loop");
    });
    assertThat(issues("io.promptunit.fixtures.valid.RouterSuite#password+crsh", selectClass(RouterSuite.class)))
        .singleElement().satisfies(issue -> assertThat(issue.message()).contains("No example with id \"crsh\"",
            "did you mean \"crash\"?"));
    assertThat(issues("RouterSuite#nothing-*", selectClass(RouterSuite.class)))
        .singleElement().satisfies(issue -> assertThat(issue.message())
            .contains("No example matches \"nothing-*\" in " + RouterSuite.class.getName() + " (-Dtest=RouterSuite#nothing-*). Its ids: refund"));
  }

  @Test
  void aPatternThatMatchesNothingInOneSuiteButSomethingInAnotherItNamesIsNoError() {
    assertThat(issues("*Suite#password", selectClass(RouterSuite.class), selectClass(SentimentCsvSuite.class))).isEmpty();
    assertThat(issues("*Suite#pass*", selectClass(SentimentCsvSuite.class))).as("may name a Jupiter test's method").isEmpty();
    assertThat(issues("RouterSuite#password, SentimentCsvSuite#great", selectClass(RouterSuite.class),
        selectClass(SentimentCsvSuite.class))).isEmpty();
    assertThat(issues("RouterSuite, !RouterSuite#crash", selectClass(RouterSuite.class))).isEmpty();
    assertThat(issues("RouterSuite#model", selectClass(RouterSuite.class))).as("a method of the class").isEmpty();
  }

  @Test
  void aMethodSelectorNamingAnUnknownExampleNamesTheIds() {
    assertThat(EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID)
        .selectors(selectMethod(RouterSuite.class.getName(), "login-lop")).discover().getDiscoveryIssues())
        .singleElement().satisfies(issue -> assertThat(issue.message()).contains("did you mean \"login-loop\"?",
            "refund, crash, password, h2d6ff2d01535, login-loop"));
  }

  @Test
  void aClasspathResourceSelectorOnAnExamplesFileSelectsEverySuiteThatReadsIt() {
    TestDescriptor engine = discover(Map.of(), new String[] {".*valid.*"}, selectClasspathResource("fixtures/sentiment.csv"));

    assertThat(engine.getChildren()).extracting(TestDescriptor::getDisplayName).containsExactly(SentimentCsvSuite.class.getSimpleName());
    assertThat(tests(engine)).containsExactly("great", "broken", "meh");
  }

  @Test
  void aPositionSelectsTheExampleWhoseRecordCoversThatLine() {
    // "broken" is a CSV record on lines 3 and 4
    assertThat(tests(discover(Map.of(), new String[] {".*valid.*"}, selectClasspathResource("/fixtures/sentiment.csv", FilePosition.from(4)))))
        .containsExactly("broken");
    assertThat(tests(discover(Map.of(), new String[] {".*valid.*"}, selectClasspathResource("fixtures/sentiment.csv", FilePosition.from(1)))))
        .as("the header line selects the whole suite").hasSize(3);
  }

  @Test
  void aFileSelectorOnTheSourceFileSelectsTheSuiteAndALineItsExample() {
    File examples = new File("src/test/resources/fixtures/router.jsonl");

    assertThat(examples(Map.of(), new String[] {".*RouterSuite"}, selectFile(examples.getPath(), FilePosition.from(4)))).containsExactly("password");
    assertThat(examples(Map.of(), new String[] {".*RouterSuite"}, selectFile(examples.getAbsolutePath()))).hasSize(5);
  }

  @Test
  void aPromptFileSelectsTheSuitesThatUseIt() {
    assertThat(examples(Map.of(), new String[] {".*SentimentCsvSuite"}, selectFile("src/test/resources/fixtures/sentiment.prompt", FilePosition.from(1))))
        .hasSize(3);
    assertThat(examples(Map.of(), new String[] {".*SentimentCsvSuite"}, selectClasspathResource("fixtures/sentiment.prompt"))).hasSize(3);
  }

  @Test
  void aFileNoSuiteReadsSelectsNothing() {
    assertThat(discover(Map.of(), new String[] {".*valid.*"}, selectFile("src/test/resources/fixtures/context.prompt")).getChildren()).isEmpty();
  }

  @Test
  void methodPatternsFollowSurefireSyntax() {
    MethodPatterns patterns = MethodPatterns.parse(java.util.Optional.of("com.acme.*Test#a*, !com.acme.RouterTest#ab"));

    assertThat(patterns.restricts("com.acme.RouterTest")).isTrue();
    assertThat(patterns.restricts("org.other.RouterTest")).isFalse();
    assertThat(patterns.selects("com.acme.RouterTest", "ac")).isTrue();
    assertThat(patterns.selects("com.acme.RouterTest", "ab")).isFalse();
    assertThat(patterns.selects("com.acme.RouterTest", "b")).isFalse();
    assertThat(patterns.selects("com.acme.sub.RouterTest", "b")).as("* stays in one package").isTrue();
  }

  private static List<String> examples(Map<String, String> configuration, DiscoverySelector selector) {
    return examples(configuration, new String[0], selector);
  }

  private static List<String> examples(Map<String, String> configuration, String[] classes, DiscoverySelector selector) {
    return tests(discover(configuration, classes, selector));
  }

  private static List<String> tests(TestDescriptor engine) {
    return engine.getDescendants().stream().filter(TestDescriptor::isTest)
        .filter(d -> d.getUniqueId().getLastSegment().getType().equals(ExampleDescriptor.SEGMENT_TYPE))
        .map(d -> d.getUniqueId().getLastSegment().getValue()).toList();
  }

  private static TestDescriptor discover(Map<String, String> configuration, DiscoverySelector selector) {
    return discover(configuration, new String[0], selector);
  }

  private static TestDescriptor discover(Map<String, String> configuration, String[] classes, DiscoverySelector selector) {
    var kit = EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID).selectors(selector).configurationParameters(configuration);
    if (classes.length > 0) {
      kit = kit.filters(includeClassNamePatterns(classes));
    }
    return kit.discover().getEngineDescriptor();
  }
}
