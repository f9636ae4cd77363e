package io.promptunit.junit;

import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;

import io.promptunit.fixtures.matrix.JudgedRepeatedOptimizedMatrixSuite;
import io.promptunit.fixtures.matrix.MatrixSuite;
import io.promptunit.fixtures.matrix.TolerantMatrixSuite;
import io.promptunit.fixtures.valid.RouterSuite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * A suite run against several models side by side: one container per model with its own examples and verdicts, a
 * model that cannot start skipped while the others run, and the matrix naming the cheapest model that passes.
 * Three scripted models: accurate and expensive, cheap and wrong on one house rule, cheap and right.
 */
class ModelMatrixTest {

  static final String ACCURATE = "MatrixSuite.accurate()";
  static final String CHEAP_WRONG = "MatrixSuite.cheapWrong()";
  static final String CHEAP_RIGHT = "MatrixSuite.cheapRight()";

  @TempDir
  Path dir;

  private final PrintStream originalOut = System.out;
  private String console = "";

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    MatrixSuite.reset();
  }

  /** The prices of the three models: accurate costs 100 times the cheap-wrong one, cheap-right 10 times. */
  static Map<String, String> prices() {
    return Map.of("promptunit.price." + ACCURATE, "10,30", "promptunit.price." + CHEAP_WRONG, "0.1,0.2",
        "promptunit.price." + CHEAP_RIGHT, "1,2");
  }

  private EngineExecutionResults run(Map<String, String> overrides, DiscoverySelector... selectors) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    Map<String, String> settings = new HashMap<>(prices());
    settings.putAll(Map.of("promptunit.cache", "read-write", "promptunit.cache-dir", dir.resolve("cassettes")
        .toString(), "promptunit.output-dir", dir.resolve("report").toString(), "promptunit.progress-seconds", "0",
        "promptunit.concurrency", "4"));
    settings.putAll(overrides);
    try {
      return EngineRuns.run(settings, selectors);
    } finally {
      System.setOut(originalOut);
      console = out.toString(StandardCharsets.UTF_8);
    }
  }

  private static UniqueId suiteId(Class<?> suite) {
    return UniqueId.forEngine(PromptUnitTestEngine.ENGINE_ID).append(SuiteDescriptor.SEGMENT_TYPE, suite.getName());
  }

  @Test
  void eachModelIsAContainerNamedByItsIdHoldingItsOwnExamples() {
    TestDescriptor root = EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID).selectors(selectClass(MatrixSuite.class))
        .configurationParameters(Map.of("promptunit.cache", "off", "promptunit.embedded", "false")).discover()
        .getEngineDescriptor();

    TestDescriptor suite = root.getChildren().iterator().next();
    assertThat(suite.getChildren()).extracting(TestDescriptor::getDisplayName)
        .containsExactly(ACCURATE, CHEAP_RIGHT, CHEAP_WRONG);
    for (TestDescriptor model : suite.getChildren()) {
      assertThat(model.getUniqueId()).isEqualTo(suiteId(MatrixSuite.class).append("model", model.getDisplayName()));
      assertThat(model.getChildren()).hasSize(24).allSatisfy(example ->
          assertThat(example.getUniqueId().removeLastSegment()).isEqualTo(model.getUniqueId()));
    }
  }

  @Test
  void oneModelKeepsTodaysTreeAndIds() {
    TestDescriptor root = EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID).selectors(selectClass(MatrixSuite.class))
        .configurationParameters(Map.of("promptunit.cache", "off", "promptunit.embedded", "false",
            "promptunit.models", CHEAP_RIGHT)).discover().getEngineDescriptor();

    TestDescriptor suite = root.getChildren().iterator().next();
    assertThat(suite.getChildren()).hasSize(24).allSatisfy(example -> assertThat(example.getUniqueId())
        .isEqualTo(suiteId(MatrixSuite.class).append("example", example.getUniqueId().getLastSegment().getValue())));
  }

  @Test
  void everyModelRunsItsExamplesWithItsOwnVerdictAndTheTableNamesTheCheapestPassingModel() throws IOException {
    EngineExecutionResults results = run(Map.of(), selectClass(MatrixSuite.class));

    // the cheap-wrong model misses the security rule: 8 security tickets fail, with that model only
    results.testEvents().assertStatistics(stats -> stats.started(72).succeeded(64).failed(8));
    assertThat(results.testEvents().failed().stream().map(ModelMatrixTest::modelOf)).containsOnly(CHEAP_WRONG);
    assertThat(console)
        .contains("MatrixSuite [" + ACCURATE + "]: 24/24 passed", "MatrixSuite [" + CHEAP_WRONG + "]: 16/24 passed")
        .contains("MatrixSuite: models side by side")
        .contains("cheapest model that passes held-out test (minPassRate 100.0%): " + CHEAP_RIGHT);
    String table = console.substring(console.indexOf("models side by side"));
    assertThat(lineOf(table, CHEAP_WRONG)).contains("66.7%", "8", "fails");
    assertThat(lineOf(table, ACCURATE)).contains("100.0%", "passes");
    // the accurate model costs ten times the cheap-right one per example: same tokens, ten times the price
    assertThat(costOf(lineOf(table, ACCURATE))).isGreaterThan(9 * costOf(lineOf(table, CHEAP_RIGHT)));

    String summary = Files.readString(dir.resolve("report").resolve("summary.json"));
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary);
    com.fasterxml.jackson.databind.JsonNode suite = json.get("suites").get(0);
    assertThat(suite.get("cheapestPassingModel").asText()).isEqualTo(CHEAP_RIGHT);
    assertThat(suite.get("models")).hasSize(3);
  }

  @Test
  void theReportShowsTheTableAndAGridOfExamplesByModelsWithFilters() throws IOException {
    run(Map.of(), selectClass(MatrixSuite.class));

    org.jsoup.nodes.Document report = org.jsoup.Jsoup.parse(dir.resolve("report").resolve("report.html").toFile());
    assertThat(report.select("table.matrix tbody tr")).extracting(row -> row.attr("data-model"))
        .containsExactly(ACCURATE, CHEAP_RIGHT, CHEAP_WRONG);
    assertThat(report.select("table.matrix tr.cheapest").attr("data-model")).isEqualTo(CHEAP_RIGHT);
    assertThat(report.select("table.matrix tbody tr").stream().filter(row -> row.attr("data-model").equals(CHEAP_WRONG))
        .findFirst().orElseThrow().text()).contains("fails");
    assertThat(report.select("table.grid tr.grid-row")).hasSize(24);
    // the eight security tickets: the cheap-wrong model fails them, the others pass
    assertThat(report.select("table.grid tr.grid-row[data-disagree=true]")).hasSize(8)
        .allSatisfy(row -> assertThat(row.attr("data-id")).startsWith("sec-"));
    assertThat(report.select("table.grid tr[data-id=sec-6] td.cell[data-status=failed] details").text())
        .contains("P1", "P3");
    assertThat(report.select("input.grid-failures")).hasSize(1);
    assertThat(report.select("input.grid-disagree")).hasSize(1);
  }

  @Test
  void aReplayedRunCostsTheSameFromTheRecordedTokens() {
    run(Map.of(), selectClass(MatrixSuite.class));
    String recorded = console.substring(console.indexOf("models side by side"));

    run(Map.of("promptunit.cache", "replay"), selectClass(MatrixSuite.class));
    String replayed = console.substring(console.indexOf("models side by side"));

    assertThat(costOf(lineOf(replayed, ACCURATE))).isEqualTo(costOf(lineOf(recorded, ACCURATE))).isPositive();
    assertThat(lineOf(replayed, ACCURATE)).contains("cached");
    assertThat(replayed).contains("cheapest model that passes held-out test (minPassRate 100.0%): " + CHEAP_RIGHT);
  }

  @Test
  void eachModelHasItsOwnPassRateVerdict() {
    EngineExecutionResults results = run(Map.of("promptunit.price.TolerantMatrixSuite.accurate()", "1,1"),
        selectClass(TolerantMatrixSuite.class));

    results.allEvents().assertThatEvents().haveExactly(1, event(test(), displayName("pass rate at least 90.0%"
        + " (minPassRate)"), finishedWithFailure()));
    List<Event> verdicts = results.testEvents().finished().filter(event -> event.getTestDescriptor().getDisplayName()
        .startsWith("pass rate")).toList();
    assertThat(verdicts).extracting(ModelMatrixTest::modelOf)
        .containsExactly("TolerantMatrixSuite.accurate()", "TolerantMatrixSuite.cheapWrong()");
  }

  @Test
  void eachModelsVerdictsAreNamedByItsContainerInReportsThatNameTestsByClass() {
    TestDescriptor root = EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID)
        .selectors(selectClass(TolerantMatrixSuite.class))
        .configurationParameters(Map.of("promptunit.cache", "off", "promptunit.embedded", "false")).discover()
        .getEngineDescriptor();

    List<TestDescriptor> verdicts = root.getDescendants().stream().filter(d -> d.getDisplayName()
        .startsWith("pass rate")).map(TestDescriptor.class::cast).toList();
    assertThat(verdicts).hasSize(2).allSatisfy(verdict -> assertThat(verdict.getSource()).isEmpty());
    assertThat(verdicts).extracting(verdict -> verdict.getParent().orElseThrow().getLegacyReportingName())
        .containsExactly(TolerantMatrixSuite.class.getName() + "[TolerantMatrixSuite.accurate()]",
            TolerantMatrixSuite.class.getName() + "[TolerantMatrixSuite.cheapWrong()]");
  }

  @Test
  void aLineOfTheExamplesFileSelectsThatExampleOfEveryModel() {
    Path examples = Path.of("src/test/resources/fixtures/tickets.jsonl").toAbsolutePath();
    // the file is MatrixSuite's and other fixtures': the class name filter keeps MatrixSuite
    EngineExecutionResults results = EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID)
        .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectFile(examples.toString(),
            org.junit.platform.engine.discovery.FilePosition.from(19)))
        .filters(org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns(".*\\.MatrixSuite"))
        .configurationParameters(Map.of("promptunit.cache", "off", "promptunit.embedded", "false")).execute();

    results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(2).failed(1));
    assertThat(results.testEvents().started().stream().map(e -> e.getTestDescriptor().getUniqueId()
        .getLastSegment().getValue()).distinct()).containsExactly("sec-6");
  }

  @Test
  void aModelThatCannotStartIsSkippedWithWhyWhileTheOthersRun() {
    EngineExecutionResults results = run(Map.of("promptunit.models", ACCURATE + ",anthropic:claude-haiku-4-5",
        "promptunit.anthropic.api-key-env", "MATRIX_TEST_UNSET_KEY"), selectClass(MatrixSuite.class));

    results.allEvents().assertThatEvents().haveExactly(1, event(container(), displayName("anthropic:claude-haiku-4-5"),
        skippedWithReason(reason -> reason.contains("needs an API key")
            && reason.contains("MATRIX_TEST_UNSET_KEY"))));
    results.testEvents().assertStatistics(stats -> stats.started(24).succeeded(24));
    assertThat(console).contains("skipped, the model cannot start");
    org.jsoup.nodes.Document report;
    try {
      report = org.jsoup.Jsoup.parse(dir.resolve("report").resolve("report.html").toFile());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(report.select("div.run[data-model=anthropic:claude-haiku-4-5] p.skipped").text())
        .contains("needs an API key");
    assertThat(lineOf(console.substring(console.indexOf("models side by side")), "anthropic:claude-haiku-4-5"))
        .contains("skipped");
  }

  @Test
  void aModelWhoseServerCannotBeReachedErrsWhileTheOthersRun() throws IOException {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    EngineExecutionResults results = run(Map.of("promptunit.models", ACCURATE + ",openai:nowhere",
        "promptunit.openai.base-url", "http://127.0.0.1:" + closed + "/v1", "promptunit.max-retries", "0"),
        selectClass(MatrixSuite.class));

    assertThat(results.testEvents().succeeded().stream().map(ModelMatrixTest::modelOf)).hasSize(24)
        .containsOnly(ACCURATE);
    assertThat(results.testEvents().failed().stream().map(ModelMatrixTest::modelOf)).hasSize(24)
        .containsOnly("openai:nowhere");
    assertThat(lineOf(console.substring(console.indexOf("models side by side")), "openai:nowhere"))
        .contains("skipped (24 errors): no example got an answer: ");
    assertThat(console).contains("cheapest model that passes held-out test (minPassRate 100.0%): " + ACCURATE);
    org.jsoup.nodes.Document report = org.jsoup.Jsoup.parse(dir.resolve("report").resolve("report.html").toFile());
    assertThat(report.select("table.matrix tr").text()).contains("no example got an answer");
    assertThat(console).contains("cheapest model that passes held-out test (minPassRate 100.0%): " + ACCURATE);
  }

  @Test
  void anExampleSelectedByIdRunsWithEveryModel() {
    EngineExecutionResults results = run(Map.of(), selectMethod(MatrixSuite.class.getName() + "#sec-6"));

    results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(2).failed(1));
    assertThat(results.testEvents().started().stream().map(ModelMatrixTest::modelOf))
        .containsExactlyInAnyOrder(ACCURATE, CHEAP_RIGHT, CHEAP_WRONG);
  }

  @Test
  void aModelSelectedByUniqueIdRunsAlone() {
    EngineExecutionResults results = run(Map.of(), selectUniqueId(suiteId(MatrixSuite.class).append("model",
        CHEAP_WRONG)));

    results.testEvents().assertStatistics(stats -> stats.started(24).failed(8));
    assertThat(results.testEvents().started().stream().map(ModelMatrixTest::modelOf)).containsOnly(CHEAP_WRONG);
  }

  @Test
  void tagsAndShardsSelectTheSameExamplesOfEveryModel() {
    EngineExecutionResults shard = run(Map.of("promptunit.shard", "1/2"), selectClass(MatrixSuite.class));
    long perModel = shard.testEvents().started().stream().filter(e -> modelOf(e).equals(ACCURATE)).count();
    assertThat(perModel).isBetween(1L, 23L);
    shard.testEvents().assertStatistics(stats -> stats.started(3 * perModel));

    EngineExecutionResults tagged = EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID)
        .selectors(selectClass(MatrixSuite.class))
        .filters(org.junit.platform.launcher.TagFilter.includeTags("security"))
        .configurationParameters(Map.of("promptunit.cache", "off", "promptunit.embedded", "false")).execute();
    tagged.testEvents().assertStatistics(stats -> stats.started(24).failed(8));
  }

  @Test
  void eachFailureLineNamesItsModelWhenTheSuiteRunsAgainstSeveral() {
    MatrixSuite.cheapRight = io.promptunit.testing.ScriptedChatModel.answering(prompt -> "P4"); // every example wrong

    run(Map.of(), selectClass(MatrixSuite.class));

    List<String> failures = console.lines().filter(line -> line.startsWith("[PromptUnit]   ✘ ")).toList();
    assertThat(failures).hasSize(8 + 20);
    assertThat(failures).filteredOn(line -> line.startsWith("[PromptUnit]   ✘ [" + CHEAP_WRONG + "] sec-")).hasSize(8);
    assertThat(failures).filteredOn(line -> line.startsWith("[PromptUnit]   ✘ [" + CHEAP_RIGHT + "] ")).hasSize(20);
    // the same example failed by two models: two lines told apart by their model
    assertThat(failures).anyMatch(line -> line.startsWith("[PromptUnit]   ✘ [" + CHEAP_WRONG + "] sec-1 "))
        .anyMatch(line -> line.startsWith("[PromptUnit]   ✘ [" + CHEAP_RIGHT + "] sec-1 "));
    assertThat(console).contains("[PromptUnit]   … and 4 more failing examples of " + CHEAP_RIGHT + " (see the report)")
        .contains("[PromptUnit] MatrixSuite [" + CHEAP_WRONG + "]: 16/24 passed")
        .contains("[PromptUnit] MatrixSuite [" + CHEAP_RIGHT + "]: 0/24 passed");
  }

  @Test
  void aSuiteNarrowedToOneModelNamesNoModelOnItsLines() {
    run(Map.of("promptunit.models", CHEAP_WRONG), selectClass(MatrixSuite.class));

    List<String> failures = console.lines().filter(line -> line.startsWith("[PromptUnit]   ✘ ")).toList();
    assertThat(failures).hasSize(8).allSatisfy(line -> assertThat(line)
        .matches("\\[PromptUnit\\]   ✘ sec-\\d+ \\[\\w+\\] \\(src/test/resources/fixtures/tickets.jsonl:\\d+\\)"
            + " expected \"P1\", got \"P3\""));
    assertThat(console).contains("[PromptUnit] MatrixSuite: 16/24 passed").doesNotContain(CHEAP_WRONG + "]");
  }

  @Test
  void aSuiteWithOneModelPrintsNoMatrix() {
    io.promptunit.testing.Models.use(io.promptunit.testing.Routers.model());
    try {
      run(Map.of(), selectClass(RouterSuite.class));
    } finally {
      io.promptunit.testing.Models.clear();
    }
    assertThat(console).doesNotContain("models side by side");
  }

  @Test
  void afterOptimizationTheCostPerThousandCountsEveryAnswerAnExampleTakesWithTheOptimizedPromptAndNoJudgeCall()
      throws IOException {
    String suite = "JudgedRepeatedOptimizedMatrixSuite.";
    run(Map.of("promptunit.price." + suite + "accurate()", "10,30",
        "promptunit.price." + suite + "cheapWrong()", "1,2"), selectClass(JudgedRepeatedOptimizedMatrixSuite.class));

    com.fasterxml.jackson.databind.JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        Files.readString(dir.resolve("report").resolve("summary.json"))).get("suites").get(0);
    // the scripted models count a word a token; each example takes two answers (three runs of which two must pass:
    // the verdict is known after two), each the rendered prompt in and a one-word label out, with either prompt; the
    // judge's calls (each model judges its own answers here) are not what the prompt costs, and are not counted
    String template = resource("fixtures/tickets.prompt");
    List<String> inputs = resource("fixtures/tickets.jsonl").lines().filter(line -> !line.isBlank())
        .map(ModelMatrixTest::input).toList();
    double answers = 2;
    double measured = inputs.stream().mapToDouble(input -> answers * ((words(template) - 1 + words(input)) * 1.0
        + 1 * 2.0)).sum() / 1_000_000 / inputs.size() * 1000;
    assertThat(model(summary.get("models"), suite + "cheapWrong()").get("costPer1000Examples").asDouble())
        .isCloseTo(measured, org.assertj.core.data.Offset.offset(1e-12));
    String best = Files.readString(dir.resolve("report").resolve(JudgedRepeatedOptimizedMatrixSuite.class.getName())
        .resolve(ModelFileName.of(suite + "cheapWrong()")).resolve("protegi").resolve("best.prompt"));
    assertThat(best).contains(io.promptunit.testing.Tickets.SECURITY_RULE);
    // with the optimized prompt: every answer's input longer by what the prompt gained, at $1 per million
    double optimized = measured + answers * (words(best) - words(template)) * 1.0 / 1_000_000 * 1000;
    com.fasterxml.jackson.databind.JsonNode after = summary.get("afterOptimization");
    assertThat(model(after, suite + "cheapWrong()").get("costPer1000Examples").asDouble())
        .isCloseTo(optimized, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(model(after, suite + "accurate()").get("costPer1000Examples").asDouble()).as("not optimized")
        .isEqualTo(model(summary.get("models"), suite + "accurate()").get("costPer1000Examples").asDouble());
    assertThat(summary.get("cheapestPassingModelAfterOptimization").asText()).isEqualTo(suite + "cheapWrong()");
  }

  private static com.fasterxml.jackson.databind.JsonNode model(com.fasterxml.jackson.databind.JsonNode models,
      String model) {
    for (com.fasterxml.jackson.databind.JsonNode line : models) {
      if (line.get("model").asText().equals(model)) {
        return line;
      }
    }
    throw new AssertionError("no line for " + model + " in " + models);
  }

  private static String resource(String name) throws IOException {
    try (java.io.InputStream in = ModelMatrixTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String input(String line) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("input").asText();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int words(String text) {
    return text.isBlank() ? 0 : text.strip().split("\\s+").length;
  }

  @Test
  void withOptimizeTheCheapWrongModelIsFixedAndBecomesTheCheapestPassingOne() throws IOException {
    String suite = "OptimizedMatrixSuite.";
    EngineExecutionResults results = run(Map.of("promptunit.price." + suite + "accurate()", "10,30",
        "promptunit.price." + suite + "cheapWrong()", "0.1,0.2", "promptunit.price." + suite + "cheapRight()", "1,2",
        "promptunit.optimize.apply", "true"),
        selectClass(io.promptunit.fixtures.matrix.OptimizedMatrixSuite.class));

    // only the failing model is optimized: the others already pass, and spend nothing on it
    List<Event> verdicts = results.testEvents().finished().filter(event -> event.getTestDescriptor().getDisplayName()
        .startsWith("optimized prompt passes held-out")).toList();
    assertThat(verdicts).singleElement().satisfies(verdict -> {
      assertThat(modelOf(verdict)).isEqualTo(suite + "cheapWrong()");
      assertThat(verdict.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getStatus())
          .isEqualTo(org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL);
    });
    assertThat(console).contains("cheapest model that passes held-out test (minPassRate 100.0%): "
        + suite + "cheapRight()");
    String after = console.substring(console.indexOf("after optimization"));
    assertThat(lineOf(after, suite + "cheapWrong()")).contains("66.7% → 100.0%", "passes", "best.prompt");
    assertThat(lineOf(after, suite + "accurate()")).contains("checked-in");
    assertThat(after).contains("cheapest model that passes held-out after optimization: " + suite + "cheapWrong()")
        .contains("with the prompt in ");
    Path best = dir.resolve("report").resolve(io.promptunit.fixtures.matrix.OptimizedMatrixSuite.class.getName())
        .resolve(ModelFileName.of("OptimizedMatrixSuite.cheapWrong()")).resolve("protegi").resolve("best.prompt");
    assertThat(Files.readString(best)).contains(io.promptunit.testing.Tickets.SECURITY_RULE);
    com.fasterxml.jackson.databind.JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        Files.readString(dir.resolve("report").resolve("summary.json"))).get("suites").get(0);
    assertThat(summary.get("cheapestPassingModelAfterOptimization").asText()).isEqualTo(suite + "cheapWrong()");
    assertThat(summary.get("cheapestPassingPrompt").asText()).endsWith("best.prompt");
    org.jsoup.nodes.Document report = org.jsoup.Jsoup.parse(dir.resolve("report").resolve("report.html").toFile());
    assertThat(report.select("table.matrix-after tr.cheapest").attr("data-model")).isEqualTo(suite + "cheapWrong()");
    assertThat(report.selectFirst("header nav a").text()).as("no pooled pass rate").endsWith("3 models");
    // which model an optimization is about, in the report and on every console line of it
    assertThat(report.select(".optimization h3").text()).contains("protegi for " + suite + "cheapWrong()");
    assertThat(console).contains("OptimizedMatrixSuite [" + suite + "cheapWrong()]: protegi with optimizer ",
        "OptimizedMatrixSuite [" + suite + "cheapWrong()] protegi round 1/");
    // several models: apply mode writes nothing until the model is named
    assertThat(console).contains("name the one whose prompt to write with -Dpromptunit.optimize.apply-model=");
  }

  @Test
  void theModelsRunAtTheSameTimeEachWithinItsOwnConcurrency() {
    List<dev.langchain4j.model.chat.ChatModel> together = io.promptunit.testing.MatrixModels.firstCallsTogether(
        io.promptunit.testing.MatrixModels.accurate(), io.promptunit.testing.MatrixModels.cheapWrong(),
        io.promptunit.testing.MatrixModels.cheapRight());
    MatrixSuite.accurate = together.get(0);
    MatrixSuite.cheapWrong = together.get(1);
    MatrixSuite.cheapRight = together.get(2);

    // one call at a time per model: the first calls of the three can only meet if the models run side by side
    EngineExecutionResults results = run(Map.of("promptunit.concurrency", "1"), selectClass(MatrixSuite.class));

    results.testEvents().assertStatistics(stats -> stats.started(72).succeeded(64).failed(8).aborted(0));
  }

  @Test
  void eachModelHasItsOwnBaseline() throws IOException {
    run(Map.of("promptunit.baseline", "update"), selectClass(MatrixSuite.class));

    Path cassettes = dir.resolve("cassettes");
    String wrong = Files.readString(cassettes.resolve(MatrixSuite.class.getName() + "@"
        + ModelFileName.of(CHEAP_WRONG) + ".baseline.json"));
    String right = Files.readString(cassettes.resolve(MatrixSuite.class.getName() + "@"
        + ModelFileName.of(CHEAP_RIGHT) + ".baseline.json"));
    assertThat(wrong).containsPattern("\"sec-6\"\\s*:\\s*\"fail\"");
    assertThat(right).containsPattern("\"sec-6\"\\s*:\\s*\"pass\"");
    assertThat(cassettes.resolve(MatrixSuite.class.getName() + ".baseline.json")).doesNotExist();

    // the cheap-right model now gets security tickets wrong too: its own gate fails, the others' do not
    MatrixSuite.cheapRight = io.promptunit.testing.MatrixModels.cheapWrong();
    EngineExecutionResults checked = run(Map.of("promptunit.cache", "off", "promptunit.cache-dir",
        cassettes.toString()), selectClass(MatrixSuite.class));
    List<Event> gates = checked.testEvents().finished().filter(event -> event.getTestDescriptor().getUniqueId()
        .getLastSegment().getType().equals("baseline")).toList();
    assertThat(gates).hasSize(3);
    assertThat(gates.stream().filter(gate -> gate.getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .orElseThrow().getStatus() == org.junit.platform.engine.TestExecutionResult.Status.FAILED)
        .map(ModelMatrixTest::modelOf)).containsExactly(CHEAP_RIGHT);
    // which model's gate said what: on the console and in the failure, each line names its model
    checked.testEvents().assertThatEvents().haveExactly(1, event(test("baseline"), finishedWithFailure(message(m ->
        m.startsWith("Suite MatrixSuite [" + CHEAP_RIGHT + "] is significantly worse than its baseline ")
            && m.contains("\n  ✘ [" + CHEAP_RIGHT + "] sec-")))));
    assertThat(console).contains("[PromptUnit] MatrixSuite [" + CHEAP_WRONG + "]: same outcomes as the baseline ",
        "[PromptUnit] MatrixSuite [" + ACCURATE + "]: same outcomes as the baseline ");
  }

  /**
   * {@code openai:qwen2.5:0.5b} and {@code openai:qwen2.5_0.5b} (two models of an OpenAI-compatible server on
   * 127.0.0.1) are both {@code openai_qwen2.5_0.5b} once their characters are replaced: each keeps its own baseline.
   */
  @Test
  void twoModelsWhoseIdsAreWrittenAlikeForTheFileSystemKeepTheirOwnBaselines() throws IOException {
    String colon = "openai:qwen2.5:0.5b";
    String underscore = "openai:qwen2.5_0.5b";
    try (io.promptunit.testing.OpenAiCompatibleServer server = io.promptunit.testing.OpenAiCompatibleServer.start(
        request -> io.promptunit.testing.OpenAiCompatibleServer.Reply.text(request.model().equals("qwen2.5:0.5b")
            ? io.promptunit.testing.Routers.route(request.lastUserMessage()) : "technical"))) {
      run(Map.of("promptunit.models", colon + "," + underscore, "promptunit.openai.base-url", server.baseUrl(),
          "promptunit.baseline", "update"), selectClass(io.promptunit.fixtures.valid.ConfiguredModelSuite.class));
    }

    Path cassettes = dir.resolve("cassettes");
    String suite = io.promptunit.fixtures.valid.ConfiguredModelSuite.class.getName();
    try (java.util.stream.Stream<Path> files = Files.list(cassettes)) {
      assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".baseline.json")))
          .containsExactlyInAnyOrder(suite + "@" + ModelFileName.of(colon) + ".baseline.json",
              suite + "@" + ModelFileName.of(underscore) + ".baseline.json");
    }
    assertThat(Files.readString(cassettes.resolve(suite + "@" + ModelFileName.of(colon) + ".baseline.json")))
        .containsPattern("\"refund\"\\s*:\\s*\"pass\"");
    assertThat(Files.readString(cassettes.resolve(suite + "@" + ModelFileName.of(underscore) + ".baseline.json")))
        .containsPattern("\"refund\"\\s*:\\s*\"fail\"");
    assertThat(console).contains("ConfiguredModelSuite [" + colon + "]: baseline ",
        "ConfiguredModelSuite [" + underscore + "]: baseline ");
  }

  /** The model whose container holds the test of {@code event}. */
  static String modelOf(Event event) {
    return event.getTestDescriptor().getUniqueId().getSegments().stream().filter(s -> s.getType().equals("model"))
        .findFirst().orElseThrow().getValue();
  }

  static String lineOf(String table, String model) {
    return table.lines().filter(line -> line.contains(model)).filter(line -> line.contains("%") || line.contains(
        "skipped")).findFirst().orElseThrow(() -> new AssertionError("no line of " + model + " in\n" + table));
  }

  static double costOf(String line) {
    java.util.regex.Matcher cost = java.util.regex.Pattern.compile("\\$([0-9.]+)").matcher(line);
    assertThat(cost.find()).as("a cost in " + line).isTrue();
    return Double.parseDouble(cost.group(1));
  }

  @Test
  void aRunOfOneModelsContainerNeverPrunesTheOtherModelsAnswersFromTheSharedCassette() throws IOException {
    run(Map.of(), selectClass(MatrixSuite.class));
    Path cassette = dir.resolve("cassettes").resolve(MatrixSuite.class.getName() + ".jsonl");
    long recorded = Files.readAllLines(cassette).size();

    run(Map.of("promptunit.cache-prune", "true"), selectUniqueId(suiteId(MatrixSuite.class).append("model",
        CHEAP_WRONG)));

    assertThat(Files.readAllLines(cassette)).as("every model's answers kept").hasSize((int) recorded);
    assertThat(console).contains("not pruned: only 0 of 24 examples ran");

    run(Map.of("promptunit.cache-prune", "true", "promptunit.models", CHEAP_WRONG), selectClass(MatrixSuite.class));

    assertThat(Files.readAllLines(cassette)).as("a run narrowed by promptunit.models prunes nothing")
        .hasSize((int) recorded);
    assertThat(console).contains("not pruned: promptunit.models chooses this run's models");
  }

  @Test
  void aMatrixInWhichNoModelCanStartFailsAndRequireModelFailsOneInWhichAnyCannot() {
    Map<String, String> noKeys = Map.of("promptunit.models", "anthropic:claude-haiku-4-5,openai:gpt-4o-mini",
        "promptunit.anthropic.api-key-env", "MATRIX_TEST_UNSET_A", "promptunit.openai.api-key-env",
        "MATRIX_TEST_UNSET_B");

    EngineExecutionResults none = run(noKeys, selectClass(MatrixSuite.class));

    assertThat(none.testEvents().succeeded().count()).isZero();
    none.allEvents().assertThatEvents().haveAtLeast(1, event(finishedWithFailure(message(m ->
        m.contains("none of its 2 models can start") && m.contains("MATRIX_TEST_UNSET_A")))));

    Map<String, String> required = new HashMap<>(Map.of("promptunit.models", ACCURATE + ",anthropic:claude-haiku-4-5",
        "promptunit.anthropic.api-key-env", "MATRIX_TEST_UNSET_A", "promptunit.require-model", "true"));
    EngineExecutionResults one = run(required, selectClass(MatrixSuite.class));

    assertThat(one.testEvents().succeeded().count()).as("nothing runs").isZero();
    one.allEvents().assertThatEvents().haveAtLeast(1, event(finishedWithFailure(message(m ->
        m.contains("1 of its 2 models cannot start (promptunit.require-model=true)")))));
  }

  @Test
  void theSuitePassesOnlyWhenEveryModelMeetsTheBarNeverOnAPooledRate() throws IOException {
    EngineExecutionResults results = run(Map.of("promptunit.price.LooseMatrixSuite.accurate()", "1,1",
        "promptunit.price.LooseMatrixSuite.cheapWrong()", "0.1,0.1"), selectClass(
        io.promptunit.fixtures.matrix.LooseMatrixSuite.class));

    assertThat(results.testEvents().failed().count()).as("the weak model's pass-rate test").isPositive();
    com.fasterxml.jackson.databind.JsonNode suite = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        Files.readString(dir.resolve("report").resolve("summary.json"))).get("suites").get(0);
    assertThat(suite.get("passes").asBoolean()).isFalse();
    assertThat(org.jsoup.Jsoup.parse(dir.resolve("report").resolve("report.html").toFile())
        .selectFirst("section.suite h2 .badge").text()).isEqualTo("FAIL");
  }
}
