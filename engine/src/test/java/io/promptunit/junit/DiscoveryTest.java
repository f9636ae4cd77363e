package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.ClassNameFilter.excludeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.fixtures.valid.RouterSuite;
import io.promptunit.fixtures.valid.SentimentCsvSuite;
import io.promptunit.testing.Models;
import io.promptunit.testing.Routers;
import io.promptunit.testing.ScriptedChatModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class DiscoveryTest {

  private static final UniqueId ROUTER = UniqueId.forEngine("promptunit").append("suite", RouterSuite.class.getName());

  private ScriptedChatModel model;

  @BeforeEach
  void useRouterModel() {
    model = Routers.model();
    Models.use(model);
  }

  @AfterEach
  void clearModel() {
    Models.clear();
  }

  @Test
  void aClassSelectorYieldsOneSuiteWithOneTestPerExampleInFileOrder() {
    TestDescriptor engine = discover(selectClass(RouterSuite.class));

    assertThat(engine.getChildren()).hasSize(1);
    TestDescriptor suite = engine.getChildren().iterator().next();
    assertThat(suite.getUniqueId()).isEqualTo(ROUTER);
    assertThat(suite.isContainer()).isTrue();
    assertThat(suite.getSource()).contains(ClassSource.from(RouterSuite.class));
    assertThat(suite.getChildren()).extracting(d -> d.getUniqueId().getLastSegment().getValue())
        .containsExactly("refund", "crash", "password", exampleHashId(suite), "login-loop");
    assertThat(suite.getChildren()).allMatch(TestDescriptor::isTest);
  }

  @Test
  void theSuiteReportsItsFullyQualifiedClassNameAsLegacyNameForSurefire() {
    TestDescriptor suite = discover(selectClass(RouterSuite.class)).getChildren().iterator().next();

    assertThat(suite.getLegacyReportingName()).isEqualTo(RouterSuite.class.getName());
    assertThat(suite.getDisplayName()).isEqualTo("RouterSuite");
  }

  @Test
  void examplesAreNamedByIdAndInputAndPointAtTheirLineInTheSourceFile() {
    TestDescriptor suite = discover(selectClass(RouterSuite.class)).getChildren().iterator().next();
    TestDescriptor password = child(suite, "password");

    assertThat(password.getDisplayName()).isEqualTo("password: I cannot reset my password");
    FileSource source = (FileSource) password.getSource().orElseThrow();
    assertThat(source.getPosition()).hasValueSatisfying(p -> assertThat(p.getLine()).isEqualTo(4));
    assertThat(source.getFile().toPath().toString().replace('\\', '/')).endsWith("src/test/resources/fixtures/router.jsonl");
    assertThat(lines(source.getFile().toPath()).get(3)).contains("\"id\": \"password\"");
  }

  @Test
  void csvExamplesKeepTheLineWhereTheirRowStarts() {
    TestDescriptor suite = discover(selectClass(SentimentCsvSuite.class)).getChildren().iterator().next();

    assertThat(suite.getChildren()).extracting(d -> ((FileSource) d.getSource().orElseThrow()).getPosition().orElseThrow().getLine())
        .containsExactly(2, 3, 5);
  }

  @Test
  void anExampleWithoutIdGetsAStableContentHashId() {
    String first = exampleHashId(discover(selectClass(RouterSuite.class)).getChildren().iterator().next());
    String second = exampleHashId(discover(selectClass(RouterSuite.class)).getChildren().iterator().next());

    assertThat(first).startsWith("h").hasSize(13).isEqualTo(second);
  }

  @Test
  void aPackageSelectorFindsEverySuiteInThePackage() {
    TestDescriptor engine = discover(selectPackage("io.promptunit.fixtures.valid"));

    assertThat(suiteNames(engine)).contains("RouterSuite", "SentimentCsvSuite", "ExtractionSuite", "TolerantSuite");
  }

  @Test
  void aClasspathRootSelectorFindsSuitesAndHonoursClassNameFilters() {
    Set<Path> roots = Set.of(Path.of("target/test-classes"));
    TestDescriptor engine = EngineTestKit.engine("promptunit")
        .selectors(selectClasspathRoots(roots).toArray(new org.junit.platform.engine.DiscoverySelector[0]))
        .filters(excludeClassNamePatterns(".*Csv.*", ".*broken.*"))
        .discover()
        .getEngineDescriptor();

    assertThat(suiteNames(engine)).contains("RouterSuite").doesNotContain("SentimentCsvSuite", "BadJsonSuite");
  }

  @Test
  void aUniqueIdSelectorRunsExactlyThatExample() {
    Events tests = EngineRuns.run(selectUniqueId(ROUTER.append("example", "password"))).testEvents();

    assertThat(tests.started().count()).isEqualTo(1);
    tests.assertThatEvents().haveExactly(1, org.assertj.core.api.Assertions.allOf(test("password"), finishedSuccessfully()));
    assertThat(model.calls()).isEqualTo(1);
  }

  @Test
  void aUniqueIdSelectorOfTheSuiteRunsAllItsExamples() {
    Events tests = EngineRuns.run(selectUniqueId(ROUTER)).testEvents();

    assertThat(tests.started().count()).isEqualTo(5);
  }

  @Test
  void aClassAndOneOfItsExamplesTogetherStillRunEachExampleOnce() {
    Events tests = EngineRuns.run(selectClass(RouterSuite.class), selectUniqueId(ROUTER.append("example", "crash"))).testEvents();

    assertThat(tests.started().count()).isEqualTo(5);
    assertThat(model.calls()).isEqualTo(5);
  }

  @Test
  void uniqueIdsOfUnknownExamplesOrClassesResolveToNothing() {
    TestDescriptor engine = discover(
        selectUniqueId(ROUTER.append("example", "no-such-example")),
        selectUniqueId(UniqueId.forEngine("promptunit").append("suite", "com.acme.Missing").append("example", "x")));

    assertThat(engine.getDescendants().stream().filter(TestDescriptor::isTest)).isEmpty();
  }

  @Test
  void classesWithoutPromptTestAreIgnored() {
    assertThat(discover(selectClass(DiscoveryTest.class)).getChildren()).isEmpty();
  }

  private static TestDescriptor discover(org.junit.platform.engine.DiscoverySelector... selectors) {
    EngineDiscoveryResults results = EngineTestKit.engine("promptunit").selectors(selectors).discover();
    return results.getEngineDescriptor();
  }

  private static Set<String> suiteNames(TestDescriptor engine) {
    return engine.getChildren().stream().map(TestDescriptor::getDisplayName).collect(Collectors.toSet());
  }

  private static TestDescriptor child(TestDescriptor suite, String id) {
    return suite.getChildren().stream().filter(d -> d.getUniqueId().getLastSegment().getValue().equals(id)).findFirst().orElseThrow();
  }

  private static String exampleHashId(TestDescriptor suite) {
    List<String> ids = suite.getChildren().stream().map(d -> d.getUniqueId().getLastSegment().getValue()).toList();
    return ids.get(3);
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void optimizeOptionsNobodyReadsInThisRunAreStillCheckedAndABadOneIsAWarning() {
    List<org.junit.platform.engine.DiscoveryIssue> off = EngineRuns.discoveryIssues(java.util.Map.of(
        "promptunit.optimize", "false", "promptunit.optimize.maxCalls", "0"), selectClass(TicketsSuite.class));
    assertThat(off).singleElement().satisfies(issue -> {
      assertThat(issue.severity()).isEqualTo(org.junit.platform.engine.DiscoveryIssue.Severity.WARNING);
      assertThat(issue.message()).contains(TicketsSuite.class.getName(), "promptunit.optimize=false",
          "maxCalls = 0 must be at least 1");
    });
    assertThat(EngineRuns.discoveryIssues(java.util.Map.of("promptunit.optimize", "false", "promptunit.optimize.rounds",
        "many"), selectClass(TicketsSuite.class))).as("a value the configuration check refuses is said once")
        .singleElement().satisfies(issue -> assertThat(issue.severity())
            .isEqualTo(org.junit.platform.engine.DiscoveryIssue.Severity.ERROR));
    assertThat(EngineRuns.discoveryIssues(java.util.Map.of("promptunit.optimize", "false"),
        selectClass(TicketsSuite.class))).as("good options: nothing to say").isEmpty();
  }
}
