package io.promptunit.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.Optimize;
import io.promptunit.config.Configuration;
import io.promptunit.eval.ScoringSession;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.model.RetryPolicy;
import io.promptunit.model.ModelClient;
import io.promptunit.model.PriceTable;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** APE and OPRO on the ticket-urgency task, with the same scripted models as ProTeGi and PE2. */
class ApeOproTest {

  private final ScriptedChatModel task = Tickets.taskModel();
  private final ScriptedChatModel optimizer = Tickets.optimizerModel();

  private OptimizationResult optimize(Map<String, String> overrides) {
    Suite suite = SuiteLoader.load(TicketsSuite.class);
    Configuration settings = Configuration.of(new HashMap<>(overrides));
    OptimizeOptions options = OptimizeOptions.from(TicketsSuite.class.getAnnotation(Optimize.class), settings);
    RetryPolicy call = new RetryPolicy(0, 1);
    try (ScoringSession session = ScoringSession.builder(suite, new ModelClient(task, "task", call)).concurrency(4)
        .prices(new PriceTable(settings)).build()) {
      return Optimization.prepare(session, options, Optional.of(new ModelClient(optimizer, "optimizer", call)))
          .run((round, progress) -> {});
    }
  }

  @Test
  void apeInducesTheRulesFromDemonstrationsAndPassesHeldOut() {
    OptimizationResult result = optimize(Map.of("promptunit.optimize.strategy", "APE"));

    assertThat(result.passedHeldOut()).isTrue();
    assertThat(result.best().text()).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE)
        .endsWith("Answer with the label only.\n\nTicket: {{input}}");
    assertThat(result.best().origin()).startsWith("ape-");
    assertThat(result.best().rationale()).startsWith("induced from demonstrations [");
  }

  @Test
  void apeInsertModeFillsTheMarkedBlank() {
    OptimizationResult result = optimize(Map.of("promptunit.optimize.strategy", "APE", "promptunit.optimize.generation", "insert"));

    assertThat(result.passedHeldOut()).isTrue();
    assertThat(result.best().origin()).isEqualTo("ape-insert");
    assertThat(optimizer.requests()).anySatisfy(r -> assertThat(Tickets.user(r)).contains("I gave a friend an instruction: [INSERT]"));
  }

  @Test
  void apeMultiStageFilteringSpendsFewerTaskCallsThanScoringEveryoneOnEverythingAndKeepsTheBest() {
    Map<String, String> common = Map.of("promptunit.optimize.strategy", "APE", "promptunit.optimize.rounds", "1",
        "promptunit.optimize.promptsPerSubsample", "2", "promptunit.optimize.beamSize", "1");
    OptimizationResult staged = optimize(common);
    int stagedCalls = task.calls();

    ApeOproTest bruteForce = new ApeOproTest();
    Map<String, String> full = new HashMap<>(common);
    full.put("promptunit.optimize.selection", "BRUTE_FORCE");
    full.put("promptunit.optimize.selectionBudget", String.valueOf(1000));
    OptimizationResult everything = bruteForce.optimize(full);

    assertThat(stagedCalls).isLessThan(bruteForce.task.calls());
    assertThat(staged.best().text()).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE);
    assertThat(staged.bestScores().selection()).isEqualTo(everything.bestScores().selection()).isEqualTo(1.0);
  }

  @Test
  void logProbabilityScoringSaysClearlyThatItIsNotAvailable() {
    OptimizationResult result = optimize(Map.of("promptunit.optimize.strategy", "APE", "promptunit.optimize.scoring", "logprob"));

    assertThat(result.history().notes()).anySatisfy(note -> assertThat(note).contains("returns no log-probabilities", "execution accuracy"));
  }

  @Test
  void oproAddsARulePerStepAndPassesHeldOut() {
    OptimizationResult result = optimize(Map.of("promptunit.optimize.strategy", "OPRO"));

    assertThat(result.passedHeldOut()).isTrue();
    assertThat(result.best().text()).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE);
    assertThat(result.history().rounds()).hasSize(2);
    // 8 samples per step at temperature 1.0
    assertThat(optimizer.requests()).hasSize(16).allSatisfy(r -> assertThat(r.parameters().temperature()).isEqualTo(1.0));
  }

  @Test
  void oprosMetaPromptShowsAtMostNScoredInstructionsInAscendingOrder() {
    optimize(Map.of("promptunit.optimize.strategy", "OPRO", "promptunit.optimize.trajectorySize", "2",
        "promptunit.optimize.minTrajectoryScore", "0", "promptunit.optimize.rounds", "3", "promptunit.optimize.exemplars", "3"));

    List<List<Integer>> trajectories = new ArrayList<>();
    for (var request : optimizer.requests()) {
      Matcher score = Pattern.compile("\nscore:\n(\\d+)\n").matcher(Tickets.user(request));
      List<Integer> scores = new ArrayList<>();
      while (score.find()) {
        scores.add(Integer.parseInt(score.group(1)));
      }
      trajectories.add(scores);
    }
    assertThat(trajectories).allSatisfy(scores -> assertThat(scores).isNotEmpty().hasSizeLessThanOrEqualTo(2).isSorted());
    assertThat(trajectories).anySatisfy(scores -> assertThat(scores).hasSize(2));
    assertThat(Tickets.user(optimizer.requests().get(0))).contains("input:\n<INS>\nAnswer with the label only.\n\nTicket: ")
        .contains("different from the instruction above and scores higher than it");
    assertThat(Tickets.user(optimizer.requests().get(optimizer.requests().size() - 1)))
        .contains("different from all the instructions above and scores higher than all of them");
  }
}
