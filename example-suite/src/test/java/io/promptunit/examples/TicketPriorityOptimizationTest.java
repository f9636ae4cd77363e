package io.promptunit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.Optimize;
import io.promptunit.config.Configuration;
import io.promptunit.eval.ScoringSession;
import io.promptunit.model.RetryPolicy;
import io.promptunit.model.ModelClient;
import io.promptunit.model.PriceTable;
import io.promptunit.optimize.Optimization;
import io.promptunit.optimize.OptimizationResult;
import io.promptunit.optimize.OptimizeOptions;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example suite's optimizable task, optimized by each of the four strategies with scripted
 * models (no network, no key): the naive checked-in prompt fails its house-rule examples, and every
 * strategy finds a prompt that passes the held-out test split, keeping the variables and the frozen
 * output-format line.
 */
class TicketPriorityOptimizationTest {

  @ParameterizedTest
  @ValueSource(strings = {"PROTEGI", "PE2", "APE", "OPRO"})
  void everyStrategyTurnsTheNaivePromptIntoOneThatPassesHeldOut(String strategy) {
    Suite suite = SuiteLoader.load(TicketPriorityPromptTest.class);
    HouseRuleModels models = new HouseRuleModels(suite.examples());
    Map<String, String> settings = new HashMap<>(Map.of("promptunit.optimize.strategy", strategy));
    if (strategy.equals("APE")) {
      // APE can only induce a rule its demonstrations show, and one train example alone shows "billing
      // over $500": with the default 5 demonstrations per subsample no subsample holds all four rules
      // (selection on dev cannot tell, as no dev example needs that rule; held-out does). So every
      // subsample shows all 20 train examples here.
      settings.put("promptunit.optimize.demos", "20");
    }
    OptimizeOptions options = OptimizeOptions.from(TicketPriorityPromptTest.class.getAnnotation(Optimize.class), Configuration.of(settings));
    RetryPolicy call = new RetryPolicy(0, 1);

    OptimizationResult result;
    try (ScoringSession session = ScoringSession.builder(suite, new ModelClient(models.task(), "scripted-task", call))
        .concurrency(4).prices(new PriceTable(Configuration.of(settings))).build()) {
      result = Optimization.prepare(session, options, Optional.of(new ModelClient(models.optimizer(), "scripted-optimizer", call)))
          .run((round, progress) -> {});
    }

    assertThat(result.originalScores().selection()).isLessThan(0.8);
    assertThat(result.passedHeldOut()).as("%s stopped: %s", strategy, result.stopDetail()).isTrue();
    assertThat(result.best().text()).contains("{{subject}}", "{{body}}", "Answer with only the label: P1, P2 or P3.");
    assertThat(result.spend().calls()).isEqualTo(models.taskCalls.get() + models.optimizerCalls.get())
        .isLessThanOrEqualTo(options.caps().calls());
  }
}
