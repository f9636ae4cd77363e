package io.promptunit.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promptunit.Example;
import io.promptunit.Optimize;
import io.promptunit.config.Configuration;
import io.promptunit.eval.ScoringSession;
import io.promptunit.fixtures.optimize.TicketsPe2Suite;
import io.promptunit.model.Budget;
import io.promptunit.model.ModelClient;
import io.promptunit.model.PriceTable;
import io.promptunit.model.RetryPolicy;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Few-shot demonstrations quote train examples only, for every strategy that adds them (PE2 here, GEPA in its test). */
class DemonstrationsTest {

  private static final RetryPolicy CALL = new RetryPolicy(0, 1);

  private static ScoringSession session(ScriptedChatModel task, Map<String, String> values) {
    Suite suite = SuiteLoader.load(TicketsPe2Suite.class);
    return ScoringSession.builder(suite, new ModelClient(task, "openai:gpt-4o-mini", CALL)).concurrency(4)
        .prices(new PriceTable(Configuration.of(values))).build();
  }

  private static OptimizeOptions options(Map<String, String> values) {
    return OptimizeOptions.from(TicketsPe2Suite.class.getAnnotation(Optimize.class), Configuration.of(values));
  }

  @Test
  void aDevOrTestExampleIsNeverQuoted() {
    OptimizeOptions options = options(Map.of());
    try (ScoringSession session = session(Tickets.taskModel(), Map.of())) {
      OptimizationLoop loop = new OptimizationLoop(session, options.strategy(), options,
          new ModelClient(Tickets.optimizerModel(), "openai:gpt-4o", CALL), Budget.unlimited());
      java.util.concurrent.ExecutorService workers = Executors.newSingleThreadExecutor();
      OptimizationContext context = loop.context(workers);
      workers.shutdown();
      String prompt = "Classify the urgency.\nTicket: {{input}}";
      Example train = loop.splits().train().get(0);

      assertThat(Demonstrations.insert(context, prompt, List.of(train)))
          .isEqualTo("Classify the urgency.\n" + Demonstrations.HEADING + "\n\ninput: " + train.input() + "\noutput: "
              + train.expected() + "\n\nTicket: {{input}}");
      for (Example heldBack : List.of(loop.splits().dev().get(0), loop.splits().test().get(0))) {
        assertThatThrownBy(() -> Demonstrations.insert(context, prompt, List.of(train, heldBack)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(heldBack.id());
      }
    }
  }

  @Test
  void theMostOftenFailedTrainExamplesAreChosenUpToTheCap() {
    List<Example> train = SuiteLoader.load(TicketsPe2Suite.class).examples().subList(0, 5);
    Map<String, Integer> failures = Map.of(train.get(1).id(), 1, train.get(3).id(), 3, train.get(4).id(), 2,
        "dev-id", 9);

    assertThat(Demonstrations.choose(train, failures, 2)).containsExactly(train.get(3), train.get(4));
    assertThat(Demonstrations.choose(train, failures, 9)).containsExactly(train.get(3), train.get(4), train.get(1));
  }

  @Test
  void pe2AddsDemonstrationsFromTheTrainExamplesItGotWrong() {
    Map<String, String> values = Map.of("promptunit.optimize.strategy", "pe2", "promptunit.optimize.demonstrations", "2");
    ScriptedChatModel optimizer = ScriptedChatModel.answering(question -> "<prompt>"
        + Tagged.all(question, "current_prompt").get(0) + "\nBe accurate.</prompt>");
    OptimizationResult result;
    try (ScoringSession session = session(ScriptedChatModel.answering(Tickets::fewShotTaskAnswer), values)) {
      result = Optimization.prepare(session, options(values),
          Optional.of(new ModelClient(optimizer, "openai:gpt-4o", CALL))).run((round, progress) -> {});
    }

    List<Candidate> demonstrated = result.history().candidates().stream()
        .filter(c -> c.origin().equals("demonstrations")).toList();
    assertThat(demonstrated).isNotEmpty().allSatisfy(c -> {
      long quoted = result.splits().train().stream().filter(e -> c.text().contains(e.input())).count();
      assertThat(quoted).isBetween(1L, 2L);
      assertThat(c.rationale()).startsWith("quotes ");
    });
    for (Candidate candidate : result.history().candidates()) {
      for (Example heldBack : result.splits().heldOut()) {
        assertThat(candidate.text()).doesNotContain(heldBack.input());
      }
      for (Example heldBack : result.splits().dev()) {
        assertThat(candidate.text()).doesNotContain(heldBack.input());
      }
    }
  }
}
