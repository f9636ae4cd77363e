package io.promptunit.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.Example;
import io.promptunit.Optimize;
import io.promptunit.config.Configuration;
import io.promptunit.eval.ScoringSession;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.model.Budget;
import io.promptunit.model.ModelClient;
import io.promptunit.model.RetryPolicy;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.testing.Tickets;
import io.promptunit.testing.TruncatingChatModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What the optimizer core gives every strategy for its meta calls: the label set, output caps sized to the ask. */
class MetaCallsTest {

  private final TruncatingChatModel optimizer = new TruncatingChatModel(r -> Tickets.optimizerAnswer(Tickets.user(r)));

  private OptimizationContext context(Map<String, String> settings) {
    Suite suite = SuiteLoader.load(TicketsSuite.class);
    OptimizeOptions options = OptimizeOptions.from(TicketsSuite.class.getAnnotation(Optimize.class),
        Configuration.of(settings));
    RetryPolicy call = new RetryPolicy(0, 1);
    ScoringSession session = ScoringSession.builder(suite,
        new ModelClient(Tickets.taskModel(), "openai:gpt-4o-mini", call)).build();
    OptimizationLoop loop = new OptimizationLoop(session, options.strategy(), options,
        new ModelClient(optimizer, "openai:gpt-4o", call), new Budget(options.caps()));
    return loop.context(Runnable::run);
  }

  private static Example example(int n, String expected) {
    return new Example("e" + n, Map.of("input", "text " + n), expected, false, Optional.empty(), List.of(), Map.of(),
        "x.jsonl", n);
  }

  @Test
  void expectedOutputsThatRepeatFromASmallSetAreALabelSetStatedWithEveryLabel() {
    List<Example> examples = IntStream.range(0, 10).mapToObj(n -> example(n, n % 3 == 0 ? "spam" : "ham ")).toList();

    assertThat(LabelSet.of(examples)).hasValueSatisfying(set -> {
      assertThat(set.labels()).containsExactly("ham", "spam");
      assertThat(set.statement()).contains("exactly one of these 2 labels: \"ham\", \"spam\"");
    });
  }

  @Test
  void freeTextOutputsAndSingleOutputsAreNoLabelSet() {
    List<Example> free = IntStream.range(0, 10).mapToObj(n -> example(n, "a summary number " + n)).toList();
    List<Example> one = IntStream.range(0, 10).mapToObj(n -> example(n, "yes")).toList();
    List<Example> long_ = IntStream.range(0, 10).mapToObj(n -> example(n, n % 2 + " " + "x".repeat(60))).toList();

    assertThat(LabelSet.of(free)).isEmpty();
    assertThat(LabelSet.of(one)).isEmpty();
    assertThat(LabelSet.of(long_)).isEmpty();
  }

  @Test
  void theContextStatesTheTrainLabelsForMetaPrompts() {
    OptimizationContext context = context(Map.of());

    assertThat(StrategyText.labels(context)).contains("\"P1\"", "\"P2\"", "\"P3\"");
  }

  @Test
  void anAnswerAskedForMorePromptsGetsALargerCapNeverBelowTheConfiguredOneAndBoundedByTheBudget() {
    OptimizationContext context = context(Map.of());
    int one = context.outputCap(AnswerSize.prompts(1));
    int two = context.outputCap(AnswerSize.prompts(2));

    assertThat(context.outputCap(AnswerSize.text(10))).isEqualTo(512);
    assertThat(two).isGreaterThan(one).isGreaterThan(512);
    // the rules accept prompts of up to 2,000 characters: two of them, at 3 characters a token, and the overhead
    assertThat(two).isEqualTo(OptimizationContext.ANSWER_OVERHEAD + 2 * 667);
    assertThat(context.outputCap(AnswerSize.prompts(50))).isEqualTo(OptimizationContext.MAX_OUTPUT_CAP);
    assertThat(context(Map.of("promptunit.optimize.maxTokens", "20000")).outputCap(AnswerSize.prompts(2)))
        .isEqualTo(1000);
  }

  @Test
  void anAnswerCutOffAtItsCapIsToldAsCutOffNotAsAFormatError() {
    OptimizationContext context = context(Map.of("promptunit.optimize.maxOutputTokens", "8"));
    String question = "Rewrite the prompt below in 2 different ways.\n<prompt>\nClassify the urgency of this"
        + " support ticket as P1, P2 or P3.\nTicket: {{input}}\n</prompt>";

    Answer cut = context.ask(1, 0, question).join();
    Answer whole = context.ask(1, 1, question, AnswerSize.prompts(2)).join();

    assertThat(cut.truncated()).isTrue();
    assertThat(cut.missing("prompt", 1, "c0", "paraphrase").rejections().get(0).reason())
        .isEqualTo("the optimizer's answer was cut off at its output cap of 8 tokens (finish reason LENGTH)"
            + " before a complete <prompt>...</prompt> block");
    assertThat(whole.truncated()).isFalse();
    assertThat(Tagged.all(whole.text().orElseThrow(), "prompt")).hasSize(2);
    assertThat(optimizer.caps()).containsExactly(8, context.outputCap(AnswerSize.prompts(2)));
    assertThat(Answer.of("no tags").missing("prompt", 1, "c0", "edit").rejections().get(0).reason())
        .isEqualTo("the optimizer's answer has no <prompt>...</prompt> block");
  }
}
