package io.promptunit.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import io.promptunit.Example;
import io.promptunit.Optimize;
import io.promptunit.config.Configuration;
import io.promptunit.eval.ScoringSession;
import io.promptunit.fixtures.optimize.MessagesSuite;
import io.promptunit.model.ModelClient;
import io.promptunit.model.PriceTable;
import io.promptunit.model.RetryPolicy;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.testing.Messages;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.TruncatingChatModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The strategies with models that behave like real ones, on 120 spam/ham messages (41 train, 19 dev, 60 test) after
 * a suite run: an optimizer that keeps to {@code max_tokens} (cutting its answer there, finish reason LENGTH), a
 * checked-in prompt that scores 0, hard negatives that all share one label, and every default of {@code @Optimize}.
 */
class RealModelBehaviourTest {

  private ChatModel task = Messages.taskModel("ham");
  private TruncatingChatModel optimizer = new TruncatingChatModel(r -> Messages.optimizerAnswer(
      ScriptedChatModel.userMessage(r)));

  private Optimization prepare(Map<String, String> overrides) {
    Suite suite = SuiteLoader.load(MessagesSuite.class);
    Map<String, String> settings = new HashMap<>(overrides);
    OptimizeOptions options = OptimizeOptions.from(MessagesSuite.class.getAnnotation(Optimize.class),
        Configuration.of(settings));
    RetryPolicy call = new RetryPolicy(0, 1);
    ScoringSession session = ScoringSession.builder(suite, new ModelClient(task, "openai:gpt-4o-mini", call))
        .concurrency(4).remember(true).prices(new PriceTable(Configuration.of(settings))).build();
    // the suite run scores the checked-in prompt on every example first
    for (Example example : suite.examples()) {
      session.evaluate(suite.prompt().text(), example).join();
    }
    return Optimization.prepare(session, options, Optional.of(new ModelClient(optimizer, "openai:gpt-4o", call)));
  }

  private OptimizationResult optimize(Map<String, String> settings) {
    return prepare(settings).run((round, state) -> {});
  }

  private List<String> questions() {
    return optimizer.requests().stream().map(ScriptedChatModel::userMessage).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"PROTEGI", "PE2", "APE", "OPRO"})
  void aDefaultRunOnA120ExampleSuiteEndsWithTheBestPromptMeasuredOnHeldOut(String strategy) {
    Optimization optimization = prepare(Map.of("promptunit.optimize.strategy", strategy));
    OptimizationResult result = optimization.run((round, state) -> {});

    assertThat(result.bestScores().heldOut()).as(result.stopDetail()).isNotNull();
    assertThat(result.best()).isNotEqualTo(result.original());
    assertThat(result.spend().calls()).isLessThanOrEqualTo(1000);
    assertThat(result.history().notes()).noneMatch(note -> note.contains("held-out score of " + result.best().id()));
  }

  /**
   * The expected figure against what the run really spent, calls and tokens, with the default caps (which stop
   * ProTeGi and OPRO before their last round) and with caps that let every round run.
   */
  @ParameterizedTest(name = "{0}, at most {1} calls")
  @org.junit.jupiter.params.provider.CsvSource({"PROTEGI, 1000", "PE2, 1000", "APE, 1000", "OPRO, 1000",
      "PROTEGI, 20000", "PE2, 20000", "APE, 20000", "OPRO, 20000"})
  void theExpectedSpendIsWithinHalfOfTheRealSpend(String strategy, int maxCalls) {
    Optimization optimization = prepare(Map.of("promptunit.optimize.strategy", strategy,
        "promptunit.optimize.maxCalls", String.valueOf(maxCalls), "promptunit.optimize.maxCost", "100"));
    OptimizationResult result = optimization.run((round, state) -> {});
    Estimate estimate = optimization.estimate();
    System.out.printf(java.util.Locale.ROOT, "ESTIMATE %s %d: expected %s (%d of %d rounds), real %s (%d rounds, %s)%n",
        strategy, maxCalls, estimate.expected().describe(), estimate.roundsWithinCaps(), estimate.rounds(),
        result.spend().describe(), result.history().rounds().size(), result.stop());

    assertThat(result.stop()).isNotEqualTo(OptimizationResult.Stop.PASSED);
    assertThat(estimate.expected().calls() / (double) result.spend().calls()).as("calls").isBetween(0.5, 1.5);
    assertThat(estimate.expected().tokens() / (double) result.spend().tokens()).as("tokens").isBetween(0.5, 1.5);
    assertThat(result.spend().calls()).isLessThanOrEqualTo(estimate.bounded().calls());
    assertThat(result.spend().tokens()).isLessThanOrEqualTo(estimate.bounded().tokens());
  }

  /**
   * Under a token cap the budget keeps the worst-case held-out measurement aside (here many times the likely one):
   * the rounds the estimate says fit are the rounds that run.
   */
  @ParameterizedTest(name = "{0}, at most {1} tokens")
  @org.junit.jupiter.params.provider.CsvSource({"PROTEGI, 60000", "PE2, 60000", "APE, 60000", "OPRO, 60000",
      "PROTEGI, 120000", "PE2, 120000", "OPRO, 120000"})
  void underATokenCapTheEstimatedRoundsAreTheRoundsThatRun(String strategy, int maxTokens) {
    Optimization optimization = prepare(Map.of("promptunit.optimize.strategy", strategy,
        "promptunit.optimize.maxTokens", String.valueOf(maxTokens), "promptunit.optimize.maxCalls", "100000",
        "promptunit.optimize.maxCost", "100", "promptunit.optimize.patience", "100"));
    OptimizationResult result = optimization.run((round, state) -> {});
    Estimate estimate = optimization.estimate();

    assertThat(result.stop()).as(result.stopDetail()).isEqualTo(OptimizationResult.Stop.BUDGET);
    assertThat(estimate.roundsWithinCaps()).as(estimate.describe()).isBetween(result.history().rounds().size() - 1,
        result.history().rounds().size() + 1);
  }

  @Test
  void aRunStoppedAtTheCallCapStillMeasuresItsBestPromptOnHeldOut() {
    Optimization optimization = prepare(Map.of("promptunit.optimize.maxCalls", "200"));
    OptimizationResult result = optimization.run((round, state) -> {});

    assertThat(optimization.estimate().describe()).contains("the call cap of 200 calls stops the run",
        "kept for the final held-out measurement");
    assertThat(result.stop()).isEqualTo(OptimizationResult.Stop.BUDGET);
    assertThat(result.best()).isNotEqualTo(result.original());
    assertThat(result.bestScores().heldOut()).as(result.stopDetail()).isNotNull();
    assertThat(result.spend().calls()).isLessThanOrEqualTo(200);
  }

  @Test
  void oproShowsACheckedInPromptThatScoresZeroWithItsScoreInsteadOfAnnouncingAnEmptyHistory() {
    task = Messages.taskModel("unsure");

    OptimizationResult result = optimize(Map.of("promptunit.optimize.strategy", "OPRO",
        "promptunit.optimize.rounds", "1"));

    assertThat(result.originalScores().selection()).isZero();
    assertThat(questions()).isNotEmpty().allSatisfy(question -> assertThat(question)
        .contains("Below is the instruction tried so far with its score", "text:\nDecide whether this message is spam"
            + " or ham.\nscore:\n0\n")
        .doesNotContain("earlier instructions"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PROTEGI", "PE2", "APE", "OPRO"})
  void everyMetaPromptStatesBothLabelsWhenTheHardNegativesShareOne(String strategy) {
    OptimizationResult result = optimize(Map.of("promptunit.optimize.strategy", strategy,
        "promptunit.optimize.rounds", "2"));

    // the literal task model answers "ham" without a rule: every error it makes is a spam message
    assertThat(result.history().rounds()).isNotEmpty();
    assertThat(questions()).isNotEmpty().allSatisfy(question -> assertThat(question)
        .contains("Every expected output is exactly one of these 2 labels: \"ham\", \"spam\"."));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PROTEGI", "PE2", "APE", "OPRO"})
  void answersAskedForSeveralPromptsFitTheirOutputCapWhereTheConfiguredCapWouldCutThem(String strategy) {
    OptimizationResult result = optimize(Map.of("promptunit.optimize.strategy", strategy,
        "promptunit.optimize.rounds", "2", "promptunit.optimize.maxOutputTokens", "24"));

    assertThat(optimizer.caps()).isNotEmpty().allSatisfy(cap -> assertThat(cap).isGreaterThan(24));
    assertThat(result.history().rejections()).noneMatch(r -> r.reason().contains("cut off"))
        .noneMatch(r -> r.reason().contains("has no <"));
    assertThat(result.history().candidates()).hasSizeGreaterThan(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PROTEGI", "PE2", "APE", "OPRO"})
  void anAnswerCutOffAtItsCapIsReportedAsCutOffNotAsAFormatError(String strategy) {
    String reasoning = "I reason at length. ".repeat(2100);
    optimizer = new TruncatingChatModel(r -> reasoning + Messages.optimizerAnswer(ScriptedChatModel.userMessage(r)));

    OptimizationResult result = optimize(Map.of("promptunit.optimize.strategy", strategy,
        "promptunit.optimize.rounds", "1"));

    assertThat(result.history().rejections()).isNotEmpty().allSatisfy(r -> assertThat(r.reason())
        .startsWith("the optimizer's answer was cut off at its output cap of ")
        .contains("tokens (finish reason LENGTH) before a complete <"));
  }
}
