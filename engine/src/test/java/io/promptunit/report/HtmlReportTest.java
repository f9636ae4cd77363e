package io.promptunit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.fixtures.valid.ConfiguredModelSuite;
import io.promptunit.fixtures.valid.RouterSuite;
import io.promptunit.testing.Models;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The run's HTML report, parsed as a browser would: what a user finds in it after {@code mvn test}. */
class HtmlReportTest {

  @TempDir
  Path output;

  private final ScriptedChatModel task = Tickets.taskModel();
  private final ScriptedChatModel optimizer = Tickets.optimizerModel();
  /** Routes every ticket to the technical team: right for two of the router suite's five examples. */
  private final ScriptedChatModel router = ScriptedChatModel.answering(prompt -> "technical");

  /** Meta-prompts go to the optimizer script, ticket prompts to the task script, router prompts to the router. */
  private final ChatModel models = new ChatModel() {
    @Override
    public ChatResponse doChat(ChatRequest request) {
      if (ScriptedChatModel.systemMessage(request).contains("expert prompt engineer")) {
        return optimizer.chat(request);
      }
      return ScriptedChatModel.userMessage(request).contains("urgency") ? task.chat(request) : router.chat(request);
    }
  };

  private final PrintStream originalOut = System.out;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() {
    Models.use(models);
    System.setOut(new PrintStream(console, true));
  }

  @AfterEach
  void tearDown() {
    System.setOut(originalOut);
    Models.clear();
  }

  private Document run() throws IOException {
    return run(Map.of());
  }

  private Document run(Map<String, String> overrides) throws IOException {
    Map<String, String> settings = new HashMap<>(Map.of("promptunit.output-dir", output.toString(), "promptunit.cache", "off",
        "promptunit.retry-backoff-millis", "1", "promptunit.embedded", "false", "promptunit.progress-seconds", "0"));
    settings.putAll(overrides);
    EngineTestKit.engine("promptunit").selectors(selectClass(RouterSuite.class), selectClass(TicketsSuite.class))
        .configurationParameters(settings).execute();
    Path report = output.resolve("report.html");
    assertThat(report).exists();
    return Jsoup.parse(Files.readString(report));
  }

  @Test
  void oneSelfContainedPageShowsEverySuiteWithItsPassRateAndEveryFailureWithItsDiffAndLine() throws IOException {
    Document html = run();

    assertThat(html.select("link[href], script[src], img[src], iframe")).as("nothing is fetched: the page opens from disk").isEmpty();
    assertThat(html.select("section.suite")).hasSize(2);
    assertThat(html.selectFirst("#suites-passing").text()).isEqualTo("0 of 2 suites pass");

    Element router = html.selectFirst("section.suite[data-suite=" + RouterSuite.class.getName() + "]");
    assertThat(router.selectFirst("h2").text()).isEqualTo("FAIL RouterSuite");
    assertThat(router.selectFirst(".pass-rate").text()).isEqualTo("40.0%");
    assertThat(router.select("tr.example")).hasSize(5);
    assertThat(router.select("tr.example.failed")).hasSize(3);
    Element failed = router.selectFirst("tr.example.failed");
    assertThat(failed.select("td code").text()).matches("src/test/resources/fixtures/router\\.jsonl:\\d+");
    Element detail = failed.nextElementSibling();
    assertThat(detail.hasClass("detail")).isTrue();
    assertThat(detail.selectFirst("pre.expected").text()).isNotBlank();
    assertThat(detail.selectFirst("pre.actual").text()).isNotBlank();
    assertThat(detail.select("pre.diff del, pre.diff ins")).as("a word-level diff").isNotEmpty();
    assertThat(detail.selectFirst(".reason").text()).contains("normalized equality");
    assertThat(router.select(".filters .only-failures, .filters .split-filter, .filters .tag-filter, .filters input.search")).hasSize(4);
  }

  @Test
  void anOptimizationShowsItsScorePlotCandidatesAndTheDiffFromTheOriginal() throws IOException {
    Document html = run();

    Element tickets = html.selectFirst("section.suite[data-suite=" + TicketsSuite.class.getName() + "]");
    Element optimization = tickets.selectFirst(".optimization[data-strategy=protegi]");
    assertThat(optimization.selectFirst("h3").text()).contains("passes held-out");
    assertThat(optimization.text()).contains("held-out").containsPattern("held-out \\d+% → 100%");
    Element plot = optimization.selectFirst("svg.plot");
    assertThat(plot.select("path.line.train")).isNotEmpty();
    assertThat(plot.select("path.line.selection")).isNotEmpty();
    assertThat(plot.select("path.line.heldout")).isNotEmpty();
    // the checked-in prompt, then one point per round
    int points = 1 + optimization.select("table.rounds tbody tr").size();
    assertThat(plot.select("circle.selection")).hasSize(points);
    // train is measured at the start and for the best prompt at the end: two dots, joined by a dashed line
    // where rounds between were not measured (never one lonely dot)
    assertThat(points).isGreaterThan(2);
    assertThat(plot.select("circle.train")).hasSize(2);
    assertThat(plot.select("path.line.train.unmeasured")).hasSize(1);
    assertThat(plot.text()).contains("not measured", "in between");
    assertThat(optimization.select("table.candidates tbody tr")).hasSizeGreaterThan(2);
    assertThat(optimization.select("table.candidates tr.best")).hasSize(1);
    assertThat(optimization.select("pre.diff span.ins").text()).contains(Tickets.SECURITY_RULE);
    assertThat(optimization.select("table.rejections tbody tr")).isNotEmpty();
    assertThat(tickets.select("table.breakdown td").eachText()).contains("split: train", "split: dev", "split: test", "tag: security");
  }

  @Test
  void aParetoFrontIsShownWithTheExamplesEachCandidateIsBestOn() throws IOException {
    Element protegi = run().selectFirst(".optimization[data-strategy=protegi]");
    assertThat(protegi.select("table.front")).as("ProTeGi keeps no front").isEmpty();

    Element gepa = run(Map.of("promptunit.optimize.strategy", "gepa")).selectFirst(".optimization[data-strategy=gepa]");
    Element front = gepa.selectFirst("table.front");
    assertThat(gepa.select("h4").eachText()).anyMatch(h -> h.startsWith("Pareto front (after round "));
    assertThat(front.select("tr")).hasSizeGreaterThan(1);
    assertThat(front.select("tr").get(1).select("td").get(0).text()).matches("c\\d+");
    assertThat(front.select("tr").get(1).select("td").get(2).text()).containsPattern("(sec|out|oth)-\\d");
  }

  @Test
  void theConsoleNamesEveryFailingExampleAndWhereTheReportIs() throws IOException {
    run();

    String printed = console.toString();
    assertThat(printed).contains("RouterSuite: 2/5 passed (40.0%; train 50.0%, dev 0.0%, test 50.0%)")
        .contains("[PromptUnit]   ✘ refund [train] (src/test/resources/fixtures/router.jsonl:1) expected \"billing\", got \"technical\"")
        .contains("[PromptUnit] report: " + output.resolve("report.html").toUri());
    // an unpriced model: one warning per run naming the key to set, however many suites and calls use it
    assertThat(printed.split("warning: no price is known for model TicketsSuite.model\\(\\)", -1)).hasSize(2);
    assertThat(printed).contains("set promptunit.price.TicketsSuite.model()=<input>,<output>");
  }

  @Test
  void aSuiteThatDidNotRunSaysSoOnceWithWhyAndShowsNoFailureNorRates() throws IOException {
    Map<String, String> settings = Map.of("promptunit.output-dir", output.toString(), "promptunit.model", "",
        "promptunit.embedded", "false", "promptunit.progress-seconds", "0");
    EngineTestKit.engine("promptunit").selectors(selectClass(ConfiguredModelSuite.class))
        .configurationParameters(settings).execute();
    Document html = Jsoup.parse(Files.readString(output.resolve("report.html")));

    Element suite = html.selectFirst("section.suite[data-suite=" + ConfiguredModelSuite.class.getName() + "]");
    assertThat(suite.selectFirst("h2").text()).isEqualTo("NOT RUN ConfiguredModelSuite");
    assertThat(html.select(".badge.bad, .bad")).as("nothing is drawn as a failure").isEmpty();
    assertThat(suite.select(".pass-rate, .bar, table.breakdown, tr.example, tr.detail")).isEmpty();
    assertThat(suite.selectFirst(".not-run p").text()).isEqualTo("5 examples were not run.");
    assertThat(suite.selectFirst(".not-run pre.why").wholeText()).as("its lines kept")
        .startsWith("No model configured, so the examples were not run.").contains("\n");
    assertThat(html.body().text().split("No model configured", -1)).as("why, said once").hasSize(2);
    assertThat(html.selectFirst("header nav a").text()).isEqualTo("ConfiguredModelSuite not run");
    assertThat(html.selectFirst("header nav a").hasClass("skip")).isTrue();
    assertThat(html.selectFirst("#suites-passing").text()).isEqualTo("no suite ran (1 not run)");
    assertThat(html.selectFirst(".summary").text()).contains("0 examples ran, 0 failing, 5 not run");
  }

  @Test
  void suitesNotRunForTheSameReasonGiveItInFullOnce() {
    List<SuiteReport> suites = List.of(new SuiteReport("com.acme.ATest", "a.prompt", "a.jsonl", 1.0),
        new SuiteReport("com.acme.BTest", "b.prompt", "b.jsonl", 1.0));
    suites.forEach(suite -> suite.notRun("No model configured, so the examples were not run. Configure one of:\n  x"));

    Document html = Jsoup.parse(HtmlReport.render(suites, io.promptunit.model.Spend.NONE,
        java.time.ZonedDateTime.now()));

    assertThat(html.select(".not-run pre.why")).hasSize(1);
    Element second = html.selectFirst("section.suite[data-suite=com.acme.BTest] .not-run .why");
    assertThat(second.text())
        .isEqualTo("No model configured, so the examples were not run. The details are under ATest.");
    assertThat(second.selectFirst("a").attr("href")).isEqualTo("#suite-com-acme-ATest");
  }

  /** A suite of the engine (judged by its pass-rate bar) whose one example passes or fails. */
  private static SuiteReport suite(String name, boolean passes) {
    SuiteReport suite = new SuiteReport("com.acme." + name, "p", "e", 1.0);
    suite.add(new SuiteReport.Row(name + "-1", passes ? "passed" : "failed", "", List.of(), "e:1", 1, "in", "a",
        passes ? "a" : "b", passes ? "" : "why"));
    return suite;
  }

  /** An evaluation (Jupiter, plain Java) with a failing example, whose verdict its test gives (empty: none). */
  private static SuiteReport evaluation(String name, Optional<Boolean> passed) {
    SuiteReport evaluation = new SuiteReport("com.acme." + name, "p", "e", 1.0);
    evaluation.add(new SuiteReport.Row(name + "-1", "failed", "", List.of(), "e:1", 1, "in", "a", "b", "why"));
    evaluation.verdict(new SuiteReport.Verdict(passed, passed.map(p -> "decided by its test " + name + "(): "
        + (p ? "passed" : "failed")).orElse("no test verdict: the caller's assertions decide")));
    return evaluation;
  }

  private static String header(List<SuiteReport> reports) {
    return Jsoup.parse(HtmlReport.render(reports, io.promptunit.model.Spend.NONE, java.time.ZonedDateTime.now()))
        .selectFirst("#suites-passing").text();
  }

  @Test
  void theHeaderCountsEvaluationsAsEvaluationsNotAsSuites() {
    List<SuiteReport> evaluations = List.of(evaluation("A", Optional.of(true)),
        evaluation("B", Optional.of(true)), evaluation("C", Optional.of(true)));

    assertThat(header(evaluations)).isEqualTo("3 evaluations (3 pass)");
    assertThat(header(List.of(evaluation("A", Optional.of(true)),
        evaluation("B", Optional.of(false))))).isEqualTo("2 evaluations (1 passes, 1 fails)");
    assertThat(header(List.of(evaluation("A", Optional.of(true)), evaluation("B", Optional.empty()))))
        .isEqualTo("2 evaluations (1 passes, 1 without a verdict: the caller's assertions decide)");
    assertThat(header(List.of(evaluation("A", Optional.empty()))))
        .isEqualTo("1 evaluation without a verdict (the caller's assertions decide)");
  }

  @Test
  void theHeaderOfARunOfSuitesAndEvaluationsNamesEachKind() {
    Document html = Jsoup.parse(HtmlReport.render(List.of(suite("ATest", true), suite("BTest", true),
        evaluation("C", Optional.of(true)), evaluation("D", Optional.of(false)),
        evaluation("E", Optional.empty())), io.promptunit.model.Spend.NONE, java.time.ZonedDateTime.now()));

    Element header = html.selectFirst("#suites-passing");
    assertThat(header.text()).isEqualTo("2 of 2 suites pass · 3 evaluations (1 passes, 1 fails, 1 without a verdict:"
        + " the caller's assertions decide)");
    assertThat(header.hasClass("bad")).as("an evaluation failed").isTrue();
    assertThat(header(List.of(suite("ATest", false), evaluation("C", Optional.of(true)))))
        .isEqualTo("0 of 1 suites pass · 1 evaluation (1 passes)");
    assertThat(Jsoup.parse(HtmlReport.render(List.of(suite("ATest", true), evaluation("C", Optional.empty())),
        io.promptunit.model.Spend.NONE, java.time.ZonedDateTime.now())).selectFirst("#suites-passing").hasClass("ok"))
        .as("an evaluation without a verdict fails nothing").isTrue();
  }

  @Test
  void eachModelsRunOfASuiteIsItsOwnPartOfTheSuitesSection() {
    SuiteReport suite = new SuiteReport("com.acme.XTest", "prompts/x.prompt", "prompts/x.jsonl", 1.0);
    suite.model("openai:gpt-4o-mini");
    suite.add(new SuiteReport.Row("x-1", "passed", "test", List.of(), "prompts/x.jsonl:1", 3, "", "", "", ""));
    suite.add(new SuiteReport.Row("x-2", "failed", "test", List.of(), "prompts/x.jsonl:2", 3, "in", "a", "b", "why"));

    Document html = Jsoup.parse(HtmlReport.render(List.of(suite), io.promptunit.model.Spend.NONE,
        java.time.ZonedDateTime.now()));

    assertThat(suite.runs()).extracting(SuiteReport.ModelRun::model).containsExactly("openai:gpt-4o-mini");
    Element run = html.selectFirst("section.suite div.runs > div.run[data-model=openai:gpt-4o-mini]");
    assertThat(run.selectFirst(".model").text()).isEqualTo("model openai:gpt-4o-mini");
    assertThat(run.selectFirst(".pass-rate").text()).isEqualTo("50.0%");
    assertThat(html.select("section.suite div.run-examples[data-model=openai:gpt-4o-mini] tr.example")).hasSize(2);
  }

  @Test
  void outputsAreEscapedNotInterpreted() {
    SuiteReport suite = new SuiteReport("com.acme.XTest", "prompts/x.prompt", "prompts/x.jsonl", 1.0);
    suite.add(new SuiteReport.Row("x-1", "failed", "test", List.of("t"), "prompts/x.jsonl:1", 3, "<b>hi</b>", "ok",
        "<script>alert(1)</script>", "normalized equality: differs"));

    Document html = Jsoup.parse(HtmlReport.render(List.of(suite), io.promptunit.model.Spend.NONE, java.time.ZonedDateTime.now()));

    assertThat(html.select("script")).hasSize(1); // only the report's own filter script
    assertThat(html.selectFirst("pre.actual").text()).isEqualTo("<script>alert(1)</script>");
    assertThat(html.selectFirst("tr.detail pre").text()).isEqualTo("<b>hi</b>");
  }

  @Test
  void aHugeSuiteListsItsFailuresAndSomePassesAndSaysHowManyMoreThereAre() {
    SuiteReport suite = new SuiteReport("com.acme.BigTest", "p", "e", 0.5);
    for (int i = 0; i < 3000; i++) {
      suite.add(new SuiteReport.Row("pass-" + i, "passed", "", List.of(), "e:" + i, 1, "", "", "", ""));
    }
    suite.add(new SuiteReport.Row("fail-1", "failed", "", List.of(), "e:3001", 1, "in", "a", "b", "why"));

    Document html = Jsoup.parse(HtmlReport.render(List.of(suite), io.promptunit.model.Spend.NONE, java.time.ZonedDateTime.now()));

    assertThat(html.select("tr.example.passed")).hasSize(HtmlReport.MAX_PASSES_LISTED);
    assertThat(html.select("tr.example.failed")).hasSize(1);
    assertThat(html.selectFirst("p.more").text()).startsWith("1000 more examples are not listed here");
    assertThat(html.selectFirst(".pass-rate").text()).as("rates count every example").isEqualTo("100.0%");
  }

  @Test
  void theWordDiffMarksOnlyWhatDiffers() {
    assertThat(HtmlReport.wordDiff("the billing team", "the technical team")).isEqualTo("the <del>billing</del><ins>technical</ins> team");
  }
}
