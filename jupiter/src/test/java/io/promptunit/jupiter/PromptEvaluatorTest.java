package io.promptunit.jupiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.promptunit.config.Configuration;
import io.promptunit.eval.ExampleResult;
import io.promptunit.jupiter.fixtures.RouterFixture;
import io.promptunit.jupiter.fixtures.RouterModel;
import io.promptunit.suite.InvalidSuiteException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator from plain Java: no JUnit extension, the same files, models, cassette and checks. */
class PromptEvaluatorTest {

  @TempDir
  Path cassettes;

  private PromptEvaluator evaluator;

  @BeforeEach
  void open() {
    evaluator = PromptEvaluator.builder(RouterFixture.class)
        .configuration(Configuration.of(Map.of("promptunit.cache-dir", cassettes.toString(), "promptunit.concurrency", "3", "promptunit.embedded", "false")))
        .build();
  }

  @AfterEach
  void close() {
    evaluator.close();
  }

  @Test
  void severalModelsAreEvaluatedSideBySideAndTheCheapestPassingOneIsNamed() {
    io.promptunit.jupiter.fixtures.MatrixFixture.reset();
    String accurate = "MatrixFixture.accurate()";
    String cheapWrong = "MatrixFixture.cheapWrong()";
    String cheapRight = "MatrixFixture.cheapRight()";
    try (PromptEvaluator models = PromptEvaluator.builder(io.promptunit.jupiter.fixtures.MatrixFixture.class)
        .configuration(Configuration.of(Map.of("promptunit.cache-dir", cassettes.toString(), "promptunit.concurrency",
            "1", "promptunit.embedded", "false", "promptunit.report", "false", "promptunit.price." + accurate, "10,30",
            "promptunit.price." + cheapWrong, "0.1,0.2", "promptunit.price." + cheapRight, "1,2")))
        .build()) {

      ModelEvaluations evaluations = models.prompt("prompts/router.prompt").examples("prompts/router.jsonl")
          .models(accurate, cheapWrong, cheapRight).evaluateModels();

      assertThat(evaluations.evaluations()).extracting(Evaluation::model)
          .containsExactly(accurate, cheapWrong, cheapRight);
      assertThat(evaluations.of(cheapWrong).orElseThrow().failures()).extracting(ScoredExample::id)
          .containsExactly("app-crash");
      assertThat(evaluations.heldOutPassRate(cheapWrong)).hasValueSatisfying(rate ->
          assertThat(rate).isCloseTo(2 / 3.0, within(1e-9)));
      PromptAssertions.assertThat(evaluations).modelPasses(accurate).modelFails(cheapWrong)
          .hasCheapestPassingModel(cheapRight);
      assertThat(evaluations.table()).contains(accurate, cheapWrong, cheapRight, "test (held-out)");
      assertThatThrownBy(() -> PromptAssertions.assertThat(evaluations).hasCheapestPassingModel(accurate))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("cheapest model that passes held-out to be " + accurate + ", but it is " + cheapRight);
    }
  }

  @Test
  void aModelThatCannotStartIsReportedWhileTheOthersAreEvaluated() {
    try (PromptEvaluator models = PromptEvaluator.builder(RouterFixture.class)
        .configuration(Configuration.of(Map.of("promptunit.cache-dir", cassettes.toString(), "promptunit.embedded",
            "false", "promptunit.report", "false", "promptunit.anthropic.api-key-env", "MATRIX_TEST_UNSET_KEY")))
        .build()) {
      RouterModel.install(false);

      ModelEvaluations evaluations = models.prompt("prompts/router.prompt").examples("prompts/router.jsonl")
          .models("RouterFixture.model()", "anthropic:claude-haiku-4-5").evaluateModels();

      assertThat(evaluations.evaluations()).extracting(Evaluation::model).containsExactly("RouterFixture.model()");
      assertThat(evaluations.skipped()).containsOnlyKeys("anthropic:claude-haiku-4-5");
      assertThat(evaluations.skipped().get("anthropic:claude-haiku-4-5")).contains("needs an API key");
      PromptAssertions.assertThat(evaluations).modelFails("anthropic:claude-haiku-4-5")
          .hasCheapestPassingModel("RouterFixture.model()");
    }
  }

  @Test
  void aPlainJavaEvaluationHasNoVerdictOfItsOwnInTheReport(@TempDir Path output) throws Exception {
    RouterModel.install(true, "reset my password");
    try (PromptEvaluator plain = PromptEvaluator.builder(RouterFixture.class)
        .configuration(Configuration.of(Map.of("promptunit.cache-dir", cassettes.toString(), "promptunit.embedded",
            "false", "promptunit.output-dir", output.toString())))
        .build()) {
      plain.evaluate("prompts/router.prompt", "prompts/router.jsonl");
    }

    org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(
        output.resolve("jupiter").resolve(RouterFixture.class.getName() + ".html").toFile());
    assertThat(page.selectFirst("section.suite h2 .badge").text()).isEqualTo("EVALUATED");
    assertThat(page.selectFirst("#suites-passing").text())
        .isEqualTo("1 evaluation without a verdict (the caller's assertions decide)");
    assertThat(page.selectFirst(".figure:has(.pass-rate) span").text())
        .isEqualTo("pass rate (no test verdict: the caller's assertions decide)");
  }

  @Test
  void anEvaluationHasEveryExampleWithItsLineAndPassRatesPerSplitAndTag() {
    RouterModel model = RouterModel.install(true, "reset my password", "VAT");

    Evaluation evaluation = evaluator.evaluate("prompts/router.prompt", "prompts/router.jsonl");

    assertThat(evaluation.examples()).extracting(ScoredExample::id)
        .containsExactly("refund-1", "invoice-vat", "password-reset", "app-crash", "refund-2", "site-down");
    assertThat(evaluation.failures()).extracting(ScoredExample::location)
        .containsExactly("src/test/resources/prompts/router.jsonl:2", "src/test/resources/prompts/router.jsonl:3");
    assertThat(evaluation.passRate()).isCloseTo(4 / 6.0, within(1e-9));
    assertThat(evaluation.passRateBySplit()).containsExactly(Map.entry("train", 1.0), Map.entry("dev", 0.0), Map.entry("test", 2 / 3.0));
    assertThat(evaluation.passRateByTag()).containsExactly(Map.entry("invoice", 0.0), Map.entry("login", 0.0), Map.entry("refund", 1.0));
    assertThat(evaluation.onTag("refund").examples()).hasSize(2);
    assertThat(evaluation.model()).isEqualTo("RouterFixture.model()");
    assertThat(evaluation.spend().calls()).isEqualTo(6).isEqualTo(model.calls.get());
    assertThat(evaluation.spend().inputTokens()).isPositive();
    assertThat(evaluation.example("password-reset").orElseThrow().toString())
        .matches("password-reset \\(src/test/resources/prompts/router.jsonl:3\\): expected \"account\", got \"(billing|Billing\\.|BILLING)\"");
    assertThat(evaluation.toString()).startsWith(
        "src/test/resources/prompts/router.prompt on src/test/resources/prompts/router.jsonl: 4/6 passed (66.7%; train 100.0%, dev 0.0%, test 66.7%)");
  }

  @Test
  void splitAndTagSelectionsEvaluateOnlyThoseExamples() {
    RouterModel model = RouterModel.install(false);

    Evaluation evaluation = evaluator.prompt("prompts/router.prompt").examples("prompts/router.jsonl").split("test").tags("refund", "login").evaluate();

    assertThat(evaluation.examples()).extracting(ScoredExample::id).containsExactly("password-reset", "refund-2");
    assertThat(model.calls).hasValue(2);
    assertThat(evaluation.scope()).endsWith("(split test, tags login or refund)");
  }

  @Test
  void anInlineTemplateIsEvaluatedLikeAFile() {
    RouterModel.install(false);

    Evaluation evaluation = evaluator.promptText("Which team: billing, technical or account?\nTicket: {{input}}").examples("prompts/tickets.csv").evaluate();

    assertThat(evaluation.passRate()).isEqualTo(1.0);
    assertThat(evaluation.prompt()).isEqualTo("prompt text of RouterFixture");
  }

  @Test
  void aCallBudgetStopsCallsAndReportsTheUnaffordableExamplesAsErrors() {
    RouterModel model = RouterModel.install(false);

    Evaluation evaluation = evaluator.prompt("prompts/router.prompt").examples("prompts/router.jsonl").concurrency(1).maxCalls(2).evaluate();

    assertThat(model.calls).hasValue(2);
    assertThat(evaluation.passed()).isEqualTo(2);
    assertThat(evaluation.failures()).hasSize(4).allSatisfy(failure -> {
      assertThat(failure.status()).isEqualTo(ExampleResult.Status.ERROR);
      assertThat(failure.error()).hasValueSatisfying(error -> assertThat(error).containsIgnoringCase("budget"));
    });
  }

  @Test
  void badInputNamesTheFileAsItSitsInTheProjectTheLineAndWhatToDo() {
    assertThatThrownBy(() -> evaluator.evaluate("prompts/nope.prompt", "prompts/router.jsonl"))
        .isInstanceOf(InvalidSuiteException.class)
        .hasMessageContaining("PromptEvaluator(prompt = \"prompts/nope.prompt\") not found on the classpath")
        .hasMessageContaining("Fix: create src/test/resources/prompts/nope.prompt or correct the path");
    assertThatThrownBy(() -> evaluator.evaluate("prompts/router.prompt", "prompts/broken.jsonl"))
        .isInstanceOf(InvalidSuiteException.class)
        .hasMessageContaining("src/test/resources/prompts/broken.jsonl:2: bad JSON")
        .hasMessageContaining("src/test/resources/prompts/broken.jsonl:3: the example has no \"expected\" value");
    assertThatThrownBy(() -> evaluator.prompt("prompts/router.prompt").examples("prompts/router.jsonl").split("holdout").evaluate())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown split \"holdout\" in PromptEvaluator.split")
        .hasMessageContaining("use \"train\", \"dev\" or \"test\"");
    assertThatThrownBy(() -> evaluator.promptText("Route {{input} please").examples("prompts/router.jsonl").evaluate())
        .isInstanceOf(InvalidSuiteException.class)
        .hasMessageContaining("prompt text of RouterFixture");
    assertThatThrownBy(() -> evaluator.prompt("prompts/router.prompt").evaluate())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("examples(");
  }

  @Test
  void aLineBeyondTheJsonReadersLimitsIsAProblemOfItsLineNotANullPointerException() {
    assertThatThrownBy(() -> evaluator.evaluate("prompts/router.prompt", "prompts/deep.jsonl"))
        .isInstanceOf(InvalidSuiteException.class)
        .hasMessageStartingWith("src/test/resources/prompts/deep.jsonl:2: ")
        .hasMessageContaining("nested");
  }

  @Test
  void settingsComeFromSystemPropertiesThenTheClasspathPropertiesFileThenTheEnvironment() throws Exception {
    RouterModel.install(false);
    Path fromFile = Path.of("target/test-cassettes", RouterFixture.class.getName() + ".jsonl");
    java.nio.file.Files.deleteIfExists(fromFile);
    try (PromptEvaluator plain = PromptEvaluator.builder(RouterFixture.class).build()) {
      plain.prompt("prompts/router.prompt").examples("prompts/router.jsonl").split("dev").evaluate();

      assertThat(fromFile).as("cassette in promptunit.cache-dir of junit-platform.properties").exists();

      System.setProperty("promptunit.cache-dir", cassettes.toString());
      try (PromptEvaluator overridden = PromptEvaluator.builder(RouterFixture.class).build()) {
        overridden.prompt("prompts/router.prompt").examples("prompts/router.jsonl").split("dev").evaluate();
      } finally {
        System.clearProperty("promptunit.cache-dir");
      }
      assertThat(cassettes.resolve(RouterFixture.class.getName() + ".jsonl")).as("cassette in the system property's folder").exists();
    }
  }

  /** A budget changes what is reserved, never what is asked: an evaluation under a budget replays what one without recorded. */
  @Test
  void aBudgetedEvaluationReplaysTheCassetteOfAnUnbudgetedOne() {
    RouterModel.install(false);
    Evaluation recorded = evaluator.evaluate("prompts/router.prompt", "prompts/router.jsonl");
    try (PromptEvaluator replay = PromptEvaluator.builder(RouterFixture.class)
        .configuration(Configuration.of(Map.of("promptunit.cache-dir", cassettes.toString(), "promptunit.cache", "replay",
            "promptunit.embedded", "false"))).build()) {
      Evaluation budgeted = replay.prompt("prompts/router.prompt").examples("prompts/router.jsonl").maxCalls(100).evaluate();

      assertThat(budgeted.passed()).isEqualTo(recorded.passed());
      assertThat(budgeted.cachedAnswers()).isEqualTo(budgeted.examples().size());
      assertThat(budgeted.spend().calls()).isZero();
    }
  }

}
