package io.promptunit.optimize.rulebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promptunit.Optimize;
import io.promptunit.config.Configuration;
import io.promptunit.eval.ScoringSession;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.model.RetryPolicy;
import io.promptunit.model.ModelClient;
import io.promptunit.model.PriceTable;
import io.promptunit.optimize.Optimization;
import io.promptunit.optimize.OptimizationResult;
import io.promptunit.optimize.OptimizeOptions;
import io.promptunit.optimize.Strategies;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A strategy registered from outside the optimizer core runs through the same loop, with parameters of its own. */
class RulebookTest {

  private final ScriptedChatModel task = Tickets.taskModel();
  private final ScriptedChatModel optimizer = ScriptedChatModel.answering(RulebookTest::rules);

  /** Answers every rulebook question with the ticket prompt plus both rules, and a variant with one rule. */
  static String rules(String question) {
    String base = "Classify the urgency of this support ticket as P1, P2 or P3.\n";
    String frame = "Answer with the label only.\n\nTicket: {{input}}";
    return "<prompt>" + base + Tickets.SECURITY_RULE + "\n" + Tickets.OUTAGE_RULE + "\n" + frame + "</prompt>\n"
        + "<prompt>" + base + Tickets.SECURITY_RULE + "\n" + frame + "</prompt>\n<prompt>never shown: rulesPerAsk is 2</prompt>";
  }

  private OptimizationResult optimize(Map<String, String> values) {
    Suite suite = SuiteLoader.load(TicketsSuite.class);
    Configuration settings = Configuration.of(values);
    OptimizeOptions options = OptimizeOptions.from(TicketsSuite.class.getAnnotation(Optimize.class), settings, TicketsSuite.class.getClassLoader());
    RetryPolicy call = new RetryPolicy(0, 1);
    try (ScoringSession session = ScoringSession.builder(suite, new ModelClient(task, "task", call)).concurrency(4)
        .prices(new PriceTable(settings)).build()) {
      return Optimization.prepare(session, options, Optional.of(new ModelClient(optimizer, "optimizer", call))).run((round, progress) -> {});
    }
  }

  @Test
  void aRegisteredFifthStrategyRunsByNameWithItsOwnParameter() {
    OptimizationResult result = optimize(Map.of("promptunit.optimize.strategy", "rulebook", "promptunit.optimize.rulesPerAsk", "2"));

    assertThat(Strategies.find("RuleBook")).isPresent();
    assertThat(result.strategy()).isEqualTo("rulebook");
    assertThat(result.passedHeldOut()).isTrue();
    assertThat(result.best().text()).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE);
    assertThat(result.best().origin()).isEqualTo("rulebook");
  }

  @Test
  void itsParametersAreValidatedWithTheLoopsAllAtOnce() {
    assertThatThrownBy(() -> optimize(Map.of("promptunit.optimize.strategy", "rulebook", "promptunit.optimize.rulesPerAsk", "0",
        "promptunit.optimize.patience", "0")))
        .hasMessageContaining("2 problems").hasMessageContaining("rulesPerAsk = 0 (from promptunit.optimize.rulesPerAsk) must be at least 1").hasMessageContaining("patience = 0");
  }

  @Test
  void anUnknownStrategyNamesTheRegisteredOnes() {
    assertThatThrownBy(() -> optimize(Map.of("promptunit.optimize.strategy", "annealing")))
        .hasMessageContaining("promptunit.optimize.strategy=annealing is not a strategy")
        .hasMessageContaining("PROTEGI").hasMessageContaining("OPRO").hasMessageContaining("RULEBOOK");
  }
}
