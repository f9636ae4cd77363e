package io.promptunit.jupiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.promptunit.jupiter.fixtures.NoModelFixture;
import io.promptunit.jupiter.fixtures.SecondNoModelFixture;
import io.promptunit.jupiter.fixtures.RouterFixture;
import io.promptunit.jupiter.fixtures.RouterModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The Jupiter integration as users run it — through Jupiter's own engine ({@code junit-jupiter}),
 * with the cassette on (read-write, the default), concurrency above 1 and a model whose answers vary.
 */
class JupiterEngineTest {

  @TempDir
  Path cassettes;

  @BeforeEach
  void reset() {
    RouterFixture.SEEN.clear();
    RouterFixture.EVALUATIONS.clear();
  }

  private EngineExecutionResults run(Map<String, String> overrides, DiscoverySelector... selector) {
    Map<String, String> settings = new HashMap<>();
    settings.put("promptunit.cache-dir", cassettes.toString());
    settings.put("promptunit.concurrency", "4");
    settings.put("promptunit.embedded", "false");
    settings.put("promptunit.retry-backoff-millis", "1");
    settings.putAll(overrides);
    return EngineTestKit.engine("junit-jupiter").selectors(selector).configurationParameters(settings).execute();
  }

  private EngineExecutionResults run(DiscoverySelector selector) {
    return run(Map.of(), selector);
  }

  private static List<String> displayNames(EngineExecutionResults results) {
    return results.testEvents().started().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
  }

  @Test
  void examplesSourceRunsOneInvocationPerExampleNamedByIdAndInput() {
    EngineExecutionResults results = run(selectMethod(RouterFixture.class, "everyExample", "io.promptunit.Example"));

    results.testEvents().assertStatistics(stats -> stats.started(6).succeeded(6));
    assertThat(displayNames(results)).containsExactly(
        "[1] refund-1: I want my money back for the annual plan",
        "[2] invoice-vat: Invoice shows the wrong VAT number",
        "[3] password-reset: I cannot reset my password, the email never arrives",
        "[4] app-crash: The app crashes when I open the settings screen",
        "[5] refund-2: Please refund the second charge on my card",
        "[6] site-down: All our users get a 502 error since this morning");
    assertThat(RouterFixture.SEEN).containsExactly(
        "refund-1@src/test/resources/prompts/router.jsonl:1", "invoice-vat@src/test/resources/prompts/router.jsonl:2",
        "password-reset@src/test/resources/prompts/router.jsonl:3", "app-crash@src/test/resources/prompts/router.jsonl:4",
        "refund-2@src/test/resources/prompts/router.jsonl:5", "site-down@src/test/resources/prompts/router.jsonl:6");
  }

  @Test
  void aSplitFilterKeepsThatSplitAndParametersTakeTheExamplesFieldsByName() {
    EngineExecutionResults results = run(selectMethod(RouterFixture.class, "testSplit", "java.lang.String, java.lang.String, java.lang.String"));

    results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
    assertThat(RouterFixture.SEEN).containsExactly(
        "password-reset=account:I cannot reset my password, the email never arrives",
        "app-crash=technical:The app crashes when I open the settings screen",
        "refund-2=billing:Please refund the second charge on my card");
  }

  @Test
  void aTagFilterKeepsTaggedExamplesAndLaterParametersAreLeftToJupiter() {
    EngineExecutionResults results = run(selectMethod(RouterFixture.class, "refunds", "io.promptunit.Example, org.junit.jupiter.api.TestInfo"));

    results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
    assertThat(RouterFixture.SEEN).containsExactly(
        "refund-1|[1] refund-1: I want my money back for the annual plan", "refund-2|[2] refund-2: Please refund the second charge on my card");
  }

  @Test
  void csvFilesAreReadLikeSuiteFiles() {
    EngineExecutionResults results = run(selectMethod(RouterFixture.class, "csv", "io.promptunit.Example"));

    results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
    assertThat(RouterFixture.SEEN).containsExactly("csv-refund=billing[refund]", "csv-crash=technical[]");
    assertThat(displayNames(results)).containsExactly("[1] csv-refund: I want my money back, please", "[2] csv-crash: The app crashes, again");
  }

  @Test
  void aParameterNamingAFieldSomeExamplesLackFailsTheTestBeforeAnyInvocationNamingTheirLines() {
    EngineExecutionResults results = run(selectMethod(RouterFixture.class, "priority", "java.lang.String, java.lang.String"));

    assertThat(RouterFixture.SEEN).isEmpty();
    results.allEvents().assertThatEvents().haveExactly(1, event(container(), finishedWithFailure(message(m ->
        m.contains("src/test/resources/prompts/router.jsonl:1: the example has no field \"priority\"")
            && m.contains("for the parameter priority of @ExamplesSource of RouterFixture.priority() (it has id, expected, split, input)")
            && m.contains("Fix: add \"priority\" to the example, rename the parameter, or take the whole Example")))));
  }

  @Test
  void aBrokenExamplesFileFailsTheTestNamingEachBadLineAsItSitsInTheProject() {
    EngineExecutionResults results = run(selectMethod(RouterFixture.class, "broken", "io.promptunit.Example"));

    results.testEvents().assertStatistics(stats -> stats.started(0));
    results.allEvents().assertThatEvents().haveExactly(1, event(container(), finishedWithFailure(message(m ->
        m.contains("src/test/resources/prompts/broken.jsonl:2: bad JSON")
            && m.contains("src/test/resources/prompts/broken.jsonl:3: the example has no \"expected\" value")
            && m.contains("Fix: ")))));
  }

  @Test
  void aMissingFileUnknownSplitOrEmptySelectionSaysWhatToDo() {
    run(selectMethod(RouterFixture.class, "missing", "io.promptunit.Example")).allEvents().assertThatEvents()
        .haveExactly(1, event(container(), finishedWithFailure(message(m ->
            m.startsWith("RouterFixture.missing(): @ExamplesSource(value = \"prompts/missing.jsonl\") not found on the classpath")
            && m.contains("Fix: create src/test/resources/prompts/missing.jsonl or correct the path")))));
    run(selectMethod(RouterFixture.class, "unknownSplit", "io.promptunit.Example")).allEvents().assertThatEvents()
        .haveExactly(1, event(container(), finishedWithFailure(message(m -> m.startsWith("unknown split \"tst\" in @ExamplesSource of RouterFixture.unknownSplit().")
            && m.contains("use \"train\", \"dev\" or \"test\"")))));
    run(selectMethod(RouterFixture.class, "noneSelected", "io.promptunit.Example")).allEvents().assertThatEvents()
        .haveExactly(1, event(container(), finishedWithFailure(message(m ->
            m.contains("no example of src/test/resources/prompts/router.jsonl is selected by tags shipping")
                && m.contains("tags [invoice, login, refund]")))));
  }

  @Test
  void anEvaluationRecordsIntoTheCassetteAndARerunReplaysItWithoutAModelCall() throws Exception {
    RouterModel first = RouterModel.install(true);
    run(selectMethod(RouterFixture.class, "theRouterPromptPassesTheTestSplit", PromptEvaluator.class.getName()))
        .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

    assertThat(first.calls).hasValue(6);
    Evaluation recorded = RouterFixture.EVALUATIONS.get(0);
    assertThat(recorded.spend().calls()).isEqualTo(6);
    assertThat(recorded.cachedAnswers()).isZero();
    Path cassette = cassettes.resolve(RouterFixture.class.getName() + ".jsonl");
    assertThat(Files.readAllLines(cassette)).hasSize(6);

    RouterModel second = RouterModel.install(false);
    run(selectMethod(RouterFixture.class, "theRouterPromptPassesTheTestSplit", PromptEvaluator.class.getName()))
        .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

    assertThat(second.calls).as("model calls of the re-run").hasValue(0);
    Evaluation replayed = RouterFixture.EVALUATIONS.get(1);
    assertThat(replayed.cachedAnswers()).isEqualTo(6);
    assertThat(replayed.spend().calls()).isZero();
    // the model's answers vary from call to call: equal outputs mean the recorded answers were replayed
    assertThat(replayed.examples()).extracting(ScoredExample::output).containsExactlyElementsOf(
        recorded.examples().stream().map(ScoredExample::output).toList());
  }

  @Test
  void replayModeNeverCallsTheModelAndAnUnrecordedAnswerFailsTheAssertionSayingHowToRecordIt() {
    RouterModel model = RouterModel.install(false);

    EngineExecutionResults results = run(Map.of("promptunit.cache", "replay"),
        selectMethod(RouterFixture.class, "theRouterPromptPassesTheTestSplit", PromptEvaluator.class.getName()));

    assertThat(model.calls).hasValue(0);
    results.testEvents().assertThatEvents().haveExactly(1, event(test(), finishedWithFailure(message(m ->
        m.contains("but it was 0.0% (0 of 3 examples passed)")
            && m.contains("✘ password-reset (src/test/resources/prompts/router.jsonl:3) [test]")
            && m.contains("has no recorded answer for this request")))));
  }

  @Test
  void aFailingPassRateAssertionListsEachFailingExampleWithFileLineExpectedAndActual() {
    RouterModel.install(true, "reset my password");

    EngineExecutionResults results = run(selectMethod(RouterFixture.class, "theRouterPromptPassesTheTestSplit", PromptEvaluator.class.getName()));

    Event failed = results.testEvents().failed().list().get(0);
    String message = failed.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage();
    assertThat(message)
        .contains("Expecting the pass rate of")
        .contains("src/test/resources/prompts/router.prompt on src/test/resources/prompts/router.jsonl (split test)")
        .contains("to be at least 90.0%")
        .contains("but it was 66.7% (2 of 3 examples passed).")
        .contains("✘ password-reset (src/test/resources/prompts/router.jsonl:3) [test]")
        .contains("input:")
        .contains("I cannot reset my password, the email never arrives")
        .containsPattern("expected: +\"account\"")
        .containsPattern("actual: +\"(billing|Billing\\.|BILLING)\"")
        .contains("normalized equality: the output differs from the expected value")
        .doesNotContain("app-crash");
  }

  @Test
  void theClassesEvaluationsAreInItsHtmlReportWithTheirFailures(@TempDir Path output) throws Exception {
    RouterModel.install(true, "reset my password");

    run(Map.of("promptunit.output-dir", output.toString()),
        selectMethod(RouterFixture.class, "theRouterPromptPassesTheTestSplit", PromptEvaluator.class.getName()));

    Path report = output.resolve("jupiter").resolve(RouterFixture.class.getName() + ".html");
    assertThat(report).isRegularFile();
    assertThat(Files.readString(report))
        .contains(RouterFixture.class.getName() + ".theRouterPromptPassesTheTestSplit()")
        .contains("password-reset", "src/test/resources/prompts/router.jsonl:3", "account");

    run(Map.of("promptunit.output-dir", output.resolve("off").toString(), "promptunit.report", "false"),
        selectMethod(RouterFixture.class, "theRouterPromptPassesTheTestSplit", PromptEvaluator.class.getName()));
    assertThat(output.resolve("off")).doesNotExist();
  }

  @Test
  void eachEvaluationIsTitledByItsTestMethodAndDisplayNameAndTwoOfOneTestAreToldApart(@TempDir Path output)
      throws Exception {
    RouterModel.install(true);
    java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = System.out;
    System.setOut(new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      run(Map.of("promptunit.output-dir", output.toString()), selectClass(RouterFixture.class));
    } finally {
      System.setOut(out);
    }

    org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(
        output.resolve("jupiter").resolve(RouterFixture.class.getName() + ".html").toFile());
    List<String> titles = page.select("section.suite h2").stream()
        .map(h -> h.ownText().strip()).toList();
    assertThat(titles).contains("RouterFixture.theRouterPromptPassesTheTestSplit()",
        "RouterFixture.twoEvaluations(): test split and refunds",
        "RouterFixture.twoEvaluations(): test split and refunds #2");
    assertThat(titles).noneMatch(title -> title.endsWith(")") && !title.endsWith("()"));
    assertThat(page.select("section.suite").eachAttr("id")).doesNotHaveDuplicates();
    assertThat(console.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("[PromptUnit] RouterFixture.twoEvaluations(): test split and refunds: ")
        .contains("[PromptUnit] RouterFixture.twoEvaluations(): test split and refunds #2: ");
  }

  @Test
  void anEvaluationsVerdictIsItsTestsAndItsUnmetExamplesAreNotPrintedAsFailures(@TempDir Path output)
      throws Exception {
    RouterModel.install(true, "reset my password");
    java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = System.out;
    System.setOut(new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8));
    EngineExecutionResults results;
    try {
      results = run(Map.of("promptunit.output-dir", output.toString()),
          selectMethod(RouterFixture.class, "theRouterPromptPassesTheTestSplit", PromptEvaluator.class.getName()));
      run(Map.of("promptunit.output-dir", output.resolve("two").toString()),
          selectMethod(RouterFixture.class, "twoEvaluations", PromptEvaluator.class.getName()));
    } finally {
      System.setOut(out);
    }
    assertThat(results.testEvents().failed().count()).as("the test asserting 90% on the test split").isOne();

    org.jsoup.nodes.Document failing = org.jsoup.Jsoup.parse(
        output.resolve("jupiter").resolve(RouterFixture.class.getName() + ".html").toFile());
    assertThat(failing.selectFirst("section.suite h2 .badge").text()).isEqualTo("FAIL");
    assertThat(failing.selectFirst(".figure:has(.pass-rate) span").text())
        .isEqualTo("pass rate (decided by its test theRouterPromptPassesTheTestSplit(): failed)");
    // the same failing example, in a test that asserts nothing about it: the report follows the test, not a bar
    org.jsoup.nodes.Document passing = org.jsoup.Jsoup.parse(
        output.resolve("two").resolve("jupiter").resolve(RouterFixture.class.getName() + ".html").toFile());
    assertThat(passing.select("section.suite h2 .badge").eachText()).containsExactly("PASS", "PASS");
    assertThat(passing.selectFirst("#suites-passing").text()).isEqualTo("2 evaluations (2 pass)");
    assertThat(passing.select("tr.example.failed").text()).contains("password-reset");

    String printed = console.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(printed).contains("[PromptUnit]   1 example does not meet its checks; the test's assertions decide"
        + " whether that fails it:", "[PromptUnit]   · password-reset").doesNotContain("✘");
  }

  @Test
  void aShardedEvaluationSaysWhichShardRanAndHowManyExamplesItHolds(@TempDir Path output) throws Exception {
    RouterModel.install(true);
    java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = System.out;
    System.setOut(new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      run(Map.of("promptunit.output-dir", output.toString(), "promptunit.shard", "1/2"),
          selectMethod(RouterFixture.class, "theRouterPromptPassesTheTestSplit", PromptEvaluator.class.getName()));
    } finally {
      System.setOut(out);
    }

    assertThat(console.toString(java.nio.charset.StandardCharsets.UTF_8)).containsPattern(
        "\\[PromptUnit\\] RouterFixture.theRouterPromptPassesTheTestSplit\\(\\) \\(shard 1/2: \\d of 6 examples\\): ");
    assertThat(org.jsoup.Jsoup.parse(output.resolve("jupiter").resolve(RouterFixture.class.getName() + ".html")
        .toFile()).select("section.suite .meta .shard").text()).matches("shard 1/2: \\d of 6 examples");
  }

  @Test
  void withoutAnyModelTheEvaluationIsSkippedWithInstructionsAsTheEnginesExamplesAre() {
    run(selectClass(NoModelFixture.class)).testEvents().assertThatEvents()
        .haveExactly(1, event(test(), abortedWithReason(message(m -> m.startsWith("No model configured, so this evaluation was not run.")))));

    run(Map.of("promptunit.require-model", "true"), selectClass(NoModelFixture.class)).testEvents().assertThatEvents()
        .haveExactly(1, event(test(), finishedWithFailure(message(m -> m.startsWith("No model configured")))));
  }

  @Test
  void theInjectedEvaluatorIsOneForTheClassAndIsClosedWithIt() {
    run(selectClass(NoModelFixture.class));

    assertThat(NoModelFixture.injected.anchor()).isEqualTo(NoModelFixture.class);
    assertThatThrownBy(() -> NoModelFixture.injected.evaluate("prompts/router.prompt", "prompts/router.jsonl"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed (its test class has finished)");
  }

  @Test
  void theClassesOfOneRunShareOneCoreSoARunWideWarningIsGivenOnce() throws Exception {
    // a stand-in for an OpenAI-compatible server that always answers "billing" (3 of the 6 examples)
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 16);
    byte[] answer = ("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"router\",\"choices\":"
        + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"billing\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    server.createContext("/v1/chat/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = System.out;
    System.setOut(new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8));
    EngineExecutionResults results;
    try {
      results = run(Map.of("promptunit.model", "openai:router", "promptunit.openai.base-url",
          "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "promptunit.cache", "off"),
          selectClass(NoModelFixture.class), selectClass(SecondNoModelFixture.class));
    } finally {
      System.setOut(out);
      server.stop(0);
    }

    results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
    String printed = console.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(printed).as("no pruning asked, nothing said").doesNotContain("not pruned");
    assertThat(printed).contains("[PromptUnit] NoModelFixture.evaluates()", "[PromptUnit] SecondNoModelFixture.evaluates()");
    assertThat(printed.split("no price is known for model openai:router", -1))
        .as("the unpriced model is warned about once per run, not once per class:%n%s", printed).hasSize(2);
  }

  @Test
  void pruningAskedForIsSaidOnceNotToApplyToEvaluationsRatherThanIgnoredSilently() {
    RouterModel.install(false);
    java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = System.out;
    System.setOut(new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      run(Map.of("promptunit.cache-prune", "true"), selectMethod(RouterFixture.class, "twoEvaluations",
          PromptEvaluator.class.getName()));
    } finally {
      System.setOut(out);
    }

    String printed = console.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(printed.split("are not pruned", -1)).as("once per run:%n%s", printed).hasSize(2);
    assertThat(printed).contains("(promptunit.cache-prune=true): an evaluation cannot tell whether every test sharing"
        + " its cassette ran");
  }

  @Test
  void aConfiguredModelThatCannotBeBuiltFailsTheTestNamingTheSetting() {
    run(Map.of("promptunit.model", "acme:router"), selectClass(NoModelFixture.class)).testEvents().assertThatEvents()
        .haveExactly(1, event(test(), finishedWithFailure(message(m -> m.contains("Unknown model provider \"acme\" in promptunit.model=acme:router")))));
  }

  @Test
  void theParameterizedTestsAndTheEvaluationPassTogether() {
    RouterModel.install(false);

    EngineExecutionResults results = run(selectClass(RouterFixture.class));

    results.testEvents().assertStatistics(stats -> stats.succeeded(6 + 3 + 2 + 2 + 1 + 1).failed(0));
    // the fixture's five broken sources (a missing field, a bad file, a missing file, an unknown split, an empty selection)
    results.containerEvents().assertStatistics(stats -> stats.failed(5));
  }
}
