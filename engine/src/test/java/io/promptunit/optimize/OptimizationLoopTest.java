package io.promptunit.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.Optimize;
import io.promptunit.config.Configuration;
import io.promptunit.eval.ScoringSession;
import io.promptunit.fixtures.optimize.TicketsPe2Suite;
import io.promptunit.fixtures.optimize.JudgedTicketsSuite;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.fixtures.optimize.UnlearnableSuite;
import io.promptunit.model.RetryPolicy;
import io.promptunit.model.ModelClient;
import io.promptunit.model.PriceTable;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The optimization loop from plain Java, with a task model that is right only when the prompt states the rule an example needs. */
class OptimizationLoopTest {

  private final ScriptedChatModel task = Tickets.taskModel();
  private ScriptedChatModel optimizer = Tickets.optimizerModel();

  private OptimizationResult optimize(Class<?> anchor, Map<String, String> overrides) {
    return prepare(anchor, overrides).run((round, state) -> {});
  }

  private Optimization prepare(Class<?> anchor, Map<String, String> overrides) {
    Suite suite = SuiteLoader.load(anchor);
    Map<String, String> settings = new HashMap<>(overrides);
    OptimizeOptions options = OptimizeOptions.from(anchor.getAnnotation(Optimize.class), Configuration.of(settings));
    RetryPolicy call = new RetryPolicy(0, 1);
    ScoringSession session = ScoringSession.builder(suite, new ModelClient(task, "openai:gpt-4o-mini", call))
        .concurrency(4).prices(new PriceTable(Configuration.of(settings))).build();
    return Optimization.prepare(session, options, Optional.of(new ModelClient(optimizer, "openai:gpt-4o", call)));
  }

  @Test
  void protegiStatesBothMissingRulesAndPassesHeldOut() {
    OptimizationResult result = optimize(TicketsSuite.class, Map.of());

    assertThat(result.passedHeldOut()).isTrue();
    assertThat(result.stop()).isEqualTo(OptimizationResult.Stop.PASSED);
    assertThat(result.best().text()).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE, "{{input}}", Tickets.FROZEN);
    assertThat(result.originalScores().selection()).isLessThan(1.0);
    assertThat(result.bestScores().heldOut()).isEqualTo(1.0);
  }

  @Test
  void theResultMeasuresWhatTheOriginalAndTheBestPromptsAnswersTookOnTheSameExamples() {
    OptimizationResult result = optimize(TicketsSuite.class, Map.of());

    OptimizationResult.Usage usage = result.usage();
    // the scripted task model counts a word a token; one answer per example, a one-word label
    assertThat(usage.examples()).isBetween(1, 24);
    assertThat(usage.original().count()).isEqualTo(usage.examples());
    assertThat(usage.best().count()).isEqualTo(usage.examples());
    assertThat(usage.best().outputTokens()).isEqualTo(usage.original().outputTokens()).isEqualTo(usage.examples());
    assertThat(usage.best().inputTokens() - usage.original().inputTokens())
        .isEqualTo(usage.examples() * (words(result.best().text()) - words(result.original().text())));
  }

  private static long words(String text) {
    return text.strip().split("\\s+").length;
  }

  @Test
  void pe2StatesBothMissingRulesAndPassesHeldOut() {
    OptimizationResult result = optimize(TicketsPe2Suite.class, Map.of());

    assertThat(result.passedHeldOut()).isTrue();
    assertThat(result.best().text()).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE);
    assertThat(result.history().candidates()).filteredOn(c -> !c.origin().equals("original")).allMatch(c -> c.origin().equals("pe2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PROTEGI", "PE2"})
  void itStopsInTheRoundWhereTheBestPromptFirstPassesHeldOut(String strategy) {
    OptimizationResult result = optimize(TicketsSuite.class, Map.of("promptunit.optimize.strategy", strategy));

    // one rule per round can be learned from the errors, and two are missing
    assertThat(result.history().rounds()).hasSize(2);
    assertThat(result.history().rounds().get(0).bestHeldOut()).isEmpty();
    assertThat(result.history().rounds().get(1).bestHeldOut()).contains(1.0);
  }

  @Test
  void theBeamNeverLosesTheBestPrompt() {
    OptimizationResult result = optimize(TicketsSuite.class, Map.of("promptunit.optimize.beamSize", "2", "promptunit.optimize.selection", "SUCCESSIVE_HALVING"));

    double previous = result.originalScores().selection();
    for (History.Round round : result.history().rounds()) {
      assertThat(round.bestSelection()).isGreaterThanOrEqualTo(previous);
      previous = round.bestSelection();
    }
  }

  @Test
  void aPromptThatFitsTrainButFailsHeldOutIsNotAccepted() {
    OptimizationResult result = optimize(UnlearnableSuite.class, Map.of());

    assertThat(result.passedHeldOut()).isFalse();
    assertThat(result.stop()).isIn(OptimizationResult.Stop.PATIENCE, OptimizationResult.Stop.ROUNDS);
    assertThat(result.bestScores().selection()).isEqualTo(1.0);
    assertThat(result.bestScores().heldOut()).isLessThan(1.0);
    assertThat(result.gap()).hasValueSatisfying(gap -> assertThat(gap).isPositive());
  }

  @Test
  void variablesAndFrozenPassagesSurviveAndViolationsAreRecorded() {
    OptimizationResult result = optimize(TicketsSuite.class, Map.of());

    assertThat(result.history().candidates()).allSatisfy(c -> assertThat(c.text()).contains("{{input}}", Tickets.FROZEN));
    assertThat(result.history().rejections()).filteredOn(r -> !r.reason().equals(OptimizationLoop.COPY))
        .isNotEmpty().allSatisfy(r -> {
      assertThat(r.reason()).isEqualTo("template variables changed; dropped {{input}}; added {{ticket}}");
      assertThat(r.origin()).isEqualTo("paraphrase");
    });
  }

  @Test
  void unparseableOptimizerAnswersAreRejectedAndRecordedAndTheLoopGoesOn() {
    // every paraphrase answer, whichever order the calls finish in
    optimizer = Tickets.optimizerModel(answer -> answer.contains("Rate the urgency") ? "Sure! Here is a better prompt: be more careful." : answer);

    OptimizationResult result = optimize(TicketsSuite.class, Map.of());

    assertThat(result.history().rejections()).anySatisfy(r -> {
      assertThat(r.reason()).contains("has no <");
      assertThat(r.text()).isEqualTo("Sure! Here is a better prompt: be more careful.");
    });
    assertThat(result.passedHeldOut()).isTrue();
  }

  @Test
  void aProposalThatRepeatsAPromptAlreadyConsideredIsRecordedAsACopyNotDroppedSilently() {
    // every paraphrase comes back as the prompt it was asked to paraphrase
    optimizer = Tickets.optimizerModel(answer -> !answer.startsWith("<instruction>") ? answer
        : answer.replace("Label the urgency", "Classify the urgency").replace("the ticket", "this support ticket"));

    OptimizationResult result = optimize(TicketsSuite.class, Map.of());

    assertThat(result.history().rejections()).anySatisfy(r -> {
      assertThat(r.origin()).isEqualTo("paraphrase");
      assertThat(r.reason()).isEqualTo(OptimizationLoop.COPY);
    });
    assertThat(result.history().rejectionsByReason()).containsKey(OptimizationLoop.COPY);
    assertThat(result.history().candidates()).extracting(Candidate::text).doesNotHaveDuplicates();
  }

  @Test
  void aFailedOptimizerCallIsRecordedAndTheLoopGoesOn() {
    // every paraphrase call, whichever order the calls finish in
    optimizer = Tickets.optimizerModel(answer -> {
      if (answer.contains("Rate the urgency")) {
        throw new dev.langchain4j.exception.ContentFilteredException("blocked by policy");
      }
      return answer;
    });

    OptimizationResult result = optimize(TicketsSuite.class, Map.of());

    assertThat(result.history().rejections()).anySatisfy(r -> assertThat(r.reason())
        .startsWith("the optimizer call failed: Model openai:gpt-4o blocked by the provider's content filter"));
    assertThat(result.passedHeldOut()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 20, 33, 60})
  void theCallCapIsNeverExceeded(int maxCalls) {
    OptimizationResult result = optimize(TicketsSuite.class, Map.of("promptunit.optimize.maxCalls", String.valueOf(maxCalls)));

    assertThat(task.calls() + optimizer.calls()).isLessThanOrEqualTo(maxCalls).isEqualTo((int) result.spend().calls());
    if (result.stop() != OptimizationResult.Stop.PASSED) {
      assertThat(result.stop()).isEqualTo(OptimizationResult.Stop.BUDGET);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {100, 2_000, 8_000, 200_000})
  void theTokenCapIsNeverExceeded(long maxTokens) {
    OptimizationResult result = optimize(TicketsSuite.class, Map.of("promptunit.optimize.maxTokens", String.valueOf(maxTokens)));

    assertThat(result.spend().tokens()).isLessThanOrEqualTo(maxTokens);
    if (result.stop() != OptimizationResult.Stop.PASSED) {
      assertThat(result.stop()).isEqualTo(OptimizationResult.Stop.BUDGET);
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0001, 0.002, 0.01})
  void theCostCapIsNeverExceeded(double maxCost) {
    OptimizationResult result = optimize(TicketsSuite.class, Map.of("promptunit.optimize.maxCost", String.valueOf(maxCost),
        "promptunit.price.gpt-4o-mini", "100,400", "promptunit.price.gpt-4o", "200,800"));

    assertThat(result.spend().cost()).isLessThanOrEqualTo(maxCost);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PROTEGI", "PE2"})
  void theDryRunEstimateIsAnUpperBoundOfTheRealSpend(String strategy) {
    Map<String, String> settings = Map.of("promptunit.optimize.strategy", strategy, "promptunit.optimize.rounds", "3",
        "promptunit.price.gpt-4o-mini", "0.15,0.60", "promptunit.price.gpt-4o", "2.5,10");
    Estimate estimate = prepare(UnlearnableSuite.class, settings).estimate();

    OptimizationResult result = prepare(UnlearnableSuite.class, settings).run((round, state) -> {});

    assertThat(result.spend().calls()).isPositive().isLessThanOrEqualTo(estimate.bounded().calls());
    assertThat(result.spend().inputTokens()).isLessThanOrEqualTo(estimate.bounded().inputTokens());
    assertThat(result.spend().outputTokens()).isLessThanOrEqualTo(estimate.bounded().outputTokens());
    assertThat(result.spend().cost()).isLessThanOrEqualTo(estimate.bounded().cost());
  }

  @Test
  void theModelCallsAChecksDeclaresAreCountedInTheEstimate() {
    Estimate plain = prepare(TicketsSuite.class, Map.of()).estimate();
    Estimate judged = prepare(JudgedTicketsSuite.class, Map.of()).estimate();

    assertThat(judged.computed().calls()).as("a judge call follows every scoring call")
        .isGreaterThan(plain.computed().calls());
  }

  @Test
  void theSameSeedGivesTheSameRun() {
    OptimizationResult first = optimize(TicketsSuite.class, Map.of());
    ScriptedChatModel firstTask = task;

    OptimizationLoopTest again = new OptimizationLoopTest();
    OptimizationResult second = again.optimize(TicketsSuite.class, Map.of());

    assertThat(second.best().text()).isEqualTo(first.best().text());
    assertThat(second.history().candidates()).extracting(Candidate::text).containsExactlyElementsOf(
        first.history().candidates().stream().map(Candidate::text).toList());
    assertThat(again.task.calls()).isEqualTo(firstTask.calls());
  }
}
