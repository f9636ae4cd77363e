package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.promptunit.fixtures.valid.RouterSuite;
import io.promptunit.testing.Models;
import io.promptunit.testing.Routers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;

/** What the console and the report say about counts, cached answers, unpriced models and shards. */
class ConsoleWordingTest {

  @TempDir
  Path dir;

  private final PrintStream originalOut = System.out;

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    Models.clear();
  }

  /** Runs with a read-write cassette and the report in {@code dir/report}; returns the console. */
  private String run(Map<String, String> overrides, DiscoverySelector selector) {
    Models.use(Routers.model());
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    Map<String, String> settings = new HashMap<>(Map.of("promptunit.cache", "read-write",
        "promptunit.cache-dir", dir.resolve("cassettes").toString(), "promptunit.output-dir",
        dir.resolve("report").toString(), "promptunit.progress-seconds", "0"));
    settings.putAll(overrides);
    EngineRuns.run(settings, selector);
    System.setOut(originalOut);
    return console.toString(StandardCharsets.UTF_8);
  }

  private Document report() throws IOException {
    return Jsoup.parse(dir.resolve("report").resolve("report.html").toFile());
  }

  @Test
  void anAnswerCutOffAtItsOutputCapIsSaidToBeCutOffNotOnlyWrong() throws IOException {
    // "billing team" is all of "billing team handles it" that fits a cap of 2 (a word a token)
    Models.use(new io.promptunit.testing.TruncatingChatModel(request -> "billing team handles it"));
    Map<String, String> settings = Map.of("promptunit.cache", "read-write", "promptunit.cache-dir",
        dir.resolve("cassettes").toString(), "promptunit.output-dir", dir.resolve("report").toString(),
        "promptunit.progress-seconds", "0", "promptunit.max-output-tokens", "2");

    for (int run = 0; run < 2; run++) {
      // the second run answers from the cassette, which keeps that the answer was cut off
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
      List<Throwable> failures = EngineRuns.run(settings, selectMethod(RouterSuite.class.getName() + "#refund"))
          .testEvents().failed().stream()
          .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
              .orElseThrow())
          .toList();

      assertThat(failures).singleElement().satisfies(failure -> assertThat(failure.getMessage())
          .contains("billing team").contains("the answer was cut off at its output cap (finish reason LENGTH)")
          .contains("promptunit.max-output-tokens"));
      System.setOut(originalOut);
      assertThat(report().select("table.examples").text()).contains("cut off at its output cap");
      assertThat(console.toString(StandardCharsets.UTF_8))
          .contains("expected \"billing\", got \"billing team\" (cut off at its output cap)");
    }
  }

  @Test
  void oneCallAndOneCachedAnswerAreSingular() {
    DiscoverySelector one = selectMethod(RouterSuite.class.getName() + "#refund");

    String first = run(Map.of(), one);
    String second = run(Map.of(), one);

    assertThat(first).contains("RouterSuite: 1/1 passed").contains("spend 1 call, ").doesNotContain("1 calls");
    assertThat(second).contains("spend 0 calls, ").contains(", 1 answer from ").doesNotContain("1 answers");
  }

  @Test
  void theUnpricedModelWarningComesOnlyWhenCallsWereCountedAsFree() {
    String first = run(Map.of(), selectClass(RouterSuite.class));
    String second = run(Map.of(), selectClass(RouterSuite.class));

    assertThat(first).contains("warning: no price is known for model RouterSuite.model(), so its 5 calls counted as"
        + " $0 in the spend figures and cost caps (its calls until now: this is said once a run, and any later ones"
        + " count alike)");
    // every answer came from the cassette: nothing was priced at $0, nothing to warn about
    assertThat(second).contains("spend 0 calls").doesNotContain("no price is known");
  }

  @Test
  void answersFromTheCassetteShowCachedNotZeroMilliseconds() throws IOException {
    run(Map.of(), selectClass(RouterSuite.class));
    run(Map.of(), selectClass(RouterSuite.class));

    Document page = report();
    List<String> latencies = page.select("table tbody tr").stream().filter(row -> row.hasAttr("data-split"))
        .map(row -> row.select("td").last().text()).toList();
    assertThat(latencies).hasSize(5).containsOnly("cached");
    assertThat(page.select(".figure").eachText()).anyMatch(figure -> figure.startsWith("cached / cached"))
        .noneMatch(figure -> figure.contains("0 ms"));
  }

  @Test
  void aShardedRunSaysWhichShardRanAndHowManyExamplesItHolds() throws IOException {
    String console = run(Map.of("promptunit.shard", "1/2"), selectClass(RouterSuite.class));

    assertThat(console).containsPattern("\\[PromptUnit\\] RouterSuite \\(shard 1/2: \\d of 5 examples\\): ");
    assertThat(report().select("section.suite .meta .shard").text()).matches("shard 1/2: \\d of 5 examples");
  }

  @Test
  void plainJavaWarnsAboutAnUnpricedModelWhenItClosesAndOnlyAfterCalls() throws Exception {
    Models.use(Routers.model());
    io.promptunit.suite.Suite suite = io.promptunit.suite.SuiteLoader.load(RouterSuite.class);
    io.promptunit.config.Configuration settings = io.promptunit.config.Configuration.of(
        Map.of("promptunit.cache", "off", "promptunit.embedded", "false"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    try (io.promptunit.core.PromptUnit core = io.promptunit.core.PromptUnit.start(settings);
        io.promptunit.eval.ScoringSession session = core.session(suite)) {
      assertThat(session.taskModel().name()).isEqualTo("RouterSuite.model()");
    }
    String idle = console.toString(StandardCharsets.UTF_8);
    try (io.promptunit.core.PromptUnit core = io.promptunit.core.PromptUnit.start(settings);
        io.promptunit.eval.ScoringSession session = core.session(suite)) {
      new io.promptunit.eval.SuiteRun(session, suite.examples().subList(0, 1)).await(suite.examples().get(0));
      assertThat(console.toString(StandardCharsets.UTF_8)).as("not before the calls are done")
          .doesNotContain("no price is known");
    }
    System.setOut(originalOut);

    assertThat(idle).doesNotContain("no price is known");
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("warning: no price is known for model RouterSuite.model(), so its 1 call counted as $0");
  }
}
