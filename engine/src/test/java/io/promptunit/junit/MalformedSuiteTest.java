package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import io.promptunit.fixtures.broken.BadCheckSuite;
import io.promptunit.fixtures.broken.BadJsonSuite;
import io.promptunit.fixtures.broken.DuplicateIdSuite;
import io.promptunit.fixtures.broken.MissingExpectedSuite;
import io.promptunit.fixtures.broken.MissingFileSuite;
import io.promptunit.fixtures.broken.MissingVariableSuite;
import io.promptunit.fixtures.broken.UnknownProviderSuite;
import io.promptunit.fixtures.valid.RouterSuite;
import io.promptunit.testing.Models;
import io.promptunit.testing.Routers;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/** Every kind of broken suite fails its own container with file, line and fix — and the other suites still run. */
class MalformedSuiteTest {

  @BeforeEach
  void useModel() {
    Models.use(Routers.model());
  }

  @AfterEach
  void clearModel() {
    Models.clear();
  }

  @Test
  void badJsonNamesTheLineAndColumnAndTheOtherLinesAreNotRun() {
    String message = failureOf(BadJsonSuite.class);

    assertThat(message).startsWith("src/test/resources/fixtures/bad-json.jsonl:3: bad JSON at column")
        .contains("Fix: make the line one complete JSON object");
  }

  @Test
  void aMissingExpectedValueNamesItsLine() {
    assertThat(failureOf(MissingExpectedSuite.class))
        .isEqualTo("src/test/resources/fixtures/missing-expected.jsonl:2: the example has no \"expected\" value. "
            + "Fix: add the output the prompt should produce, e.g. \"expected\": \"billing\" (or a JSON object)");
  }

  @Test
  void duplicateIdsNameBothLines() {
    assertThat(failureOf(DuplicateIdSuite.class))
        .startsWith("src/test/resources/fixtures/duplicate-ids.jsonl:3: duplicate id \"same\" (first used on line 1)")
        .contains("Fix: give each example its own id");
  }

  @Test
  void aTemplateVariableAnExampleDoesNotProvideNamesTheExampleAndTheVariable() {
    assertThat(failureOf(MissingVariableSuite.class))
        .startsWith("src/test/resources/fixtures/missing-variable.jsonl:2: the template uses {{context}} but this example does not provide it")
        .contains("Fix: add \"context\"", "the template needs {{context}}, {{question}}");
  }

  @Test
  void aMissingFileNamesTheAnnotationAndWhereToCreateIt() {
    assertThat(failureOf(MissingFileSuite.class))
        .isEqualTo(MissingFileSuite.class.getName() + ": @PromptTest(examples = \"fixtures/no-such-file.jsonl\") not found on the classpath. "
            + "Fix: create src/test/resources/fixtures/no-such-file.jsonl or correct the path");
  }

  @Test
  void anUnknownProviderSaysWhichProvidersExist() {
    assertThat(containerFailure(EngineRuns.run(new DiscoverySelector[] {selectClass(UnknownProviderSuite.class)}), "UnknownProviderSuite"))
        .startsWith("Unknown model provider \"acme\" in @PromptTest(model) of UnknownProviderSuite=acme:turbo")
        .contains("openai:<model>", "anthropic:<model>", "@ModelFactory");
  }

  @Test
  void anUnknownProviderInTheConfigurationNamesTheSetting() {
    EngineExecutionResults results = EngineRuns.run(Map.of("promptunit.model", "mistral:large"),
        selectClass(io.promptunit.fixtures.valid.ConfiguredModelSuite.class));

    assertThat(containerFailure(results, "ConfiguredModelSuite")).startsWith("Unknown model provider \"mistral\" in promptunit.model=mistral:large");
  }

  @Test
  void brokenCheckDeclarationsAreAllListed() {
    assertThat(failureOf(BadCheckSuite.class))
        .startsWith("2 problems in this suite:")
        .contains("@ExpectRegex(\"(unclosed\") is not a valid pattern", "@Check method BadCheckSuite.wrongSignature() has an unsupported signature");
  }

  @Test
  void brokenSuitesFailAloneWhileTheOtherSuitesRun() {
    EngineExecutionResults results = EngineRuns.run(selectPackage("io.promptunit.fixtures.broken"), selectClass(RouterSuite.class));

    // each suite with broken files is one failing test saying why; the one with an unknown provider has a
    // failing test too and its five examples aborted with the reason; the good suite's five examples pass
    results.testEvents().assertStatistics(stats -> stats.started(17).succeeded(5).failed(7).aborted(5));
    results.containerEvents().assertStatistics(stats -> stats.failed(0));
  }

  private static String failureOf(Class<?> suite) {
    EngineExecutionResults results = EngineRuns.run(new DiscoverySelector[] {selectClass(suite)});
    assertThat(results.testEvents().started().stream().map(e -> e.getTestDescriptor().getDisplayName()))
        .as("no example runs; one test reports the problems").containsExactly("suite cannot run: its files or declaration have problems");
    return problemsOf(results);
  }

  /** A configuration problem found when the suite starts (an unknown provider): a failing test "suite: cannot start". */
  private static String containerFailure(EngineExecutionResults results, String suiteName) {
    Event finished = results.testEvents().finished().stream()
        .filter(e -> e.getTestDescriptor().getDisplayName().equals("suite: cannot start"))
        .findFirst()
        .orElseThrow();
    TestExecutionResult result = finished.getRequiredPayload(TestExecutionResult.class);
    assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    return result.getThrowable().orElseThrow().getMessage();
  }

  private static String problemsOf(EngineExecutionResults results) {
    Event finished = results.testEvents().finished().stream().findFirst().orElseThrow();
    TestExecutionResult result = finished.getRequiredPayload(TestExecutionResult.class);
    assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    return result.getThrowable().orElseThrow().getMessage();
  }
}
