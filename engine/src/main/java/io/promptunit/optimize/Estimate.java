package io.promptunit.optimize;

import io.promptunit.Example;
import io.promptunit.model.Budget;
import io.promptunit.model.Spend;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The worst case of an optimization run, computed before anything is spent: every round making
 * every call its strategy may make, every prompt at its maximum length, every answer at the output
 * cap. The run's caps bound it too. Retries of failed calls are not included (they count against
 * the call cap when they happen).
 *
 * @param computed the worst case from the parameters alone
 * @param bounded the worst case after the caps: what the run can spend at most
 */
public record Estimate(Spend computed, Spend bounded, Budget.Caps caps, List<String> unpriced) {

  /** Worst-case bytes of meta-prompt instructions around the prompt and examples. */
  private static final int META_FRAME_BYTES = 6000;

  /**
   * @param cost turns (input tokens, output tokens) into dollars for the task model (first) and the optimizer (second)
   */
  static Estimate of(OptimizationLoop loop, PromptStrategy strategy, OptimizeOptions options,
      BiFunction<Long, Long, Double> taskCost, BiFunction<Long, Long, Double> optimizerCost, List<String> unpriced) {
    OptimizationContext context = loop.context();
    Splits splits = loop.splits();
    int beam = options.beamSize();
    long perExample = StrategyText.scoringCallsPerExample(context);
    int pool = beam + beam * strategy.maxNewPerParent(options);

    long scoringCallsInitial = (splits.selection().size() + splits.heldOut().size()) * perExample;
    PromptStrategy.WorstCase round = strategy.worstCase(beam, context);
    long metaCallsPerRound = round.metaCalls();
    long selectionCalls = strategy.scoresEveryCandidate()
        ? (long) (pool - beam) * splits.selection().size()
        : loop.selectionBudget(pool);
    long scoringPerRound = round.scoringCalls()
        + selectionCalls * perExample
        + (long) beam * splits.selection().size() * perExample
        + splits.heldOut().size() * perExample;
    long finalScoring = (2L * splits.train().size() + splits.heldOut().size()) * perExample;
    long scoringCalls = scoringCallsInitial + options.rounds() * scoringPerRound + finalScoring;
    long metaCalls = options.rounds() * metaCallsPerRound;

    long scoringIn = worstScoringInput(context, loop.rules());
    long metaIn = worstMetaInput(context, loop.rules(), options);
    long out = options.maxOutputTokens();
    long inputTokens = scoringCalls * scoringIn + metaCalls * metaIn;
    long outputTokens = (scoringCalls + metaCalls) * out;
    double cost = scoringCalls * taskCost.apply(scoringIn, out) + metaCalls * optimizerCost.apply(metaIn, out);
    Spend computed = new Spend(scoringCalls + metaCalls, inputTokens, outputTokens, cost);

    Budget.Caps caps = options.caps();
    long calls = Math.min(computed.calls(), caps.calls());
    long tokensCap = Math.min(computed.tokens(), caps.tokens());
    double share = computed.tokens() == 0 ? 0 : (double) tokensCap / computed.tokens();
    Spend bounded = new Spend(calls, Math.round(inputTokens * share), Math.round(outputTokens * share), Math.min(cost, caps.cost()));
    return new Estimate(computed, bounded, caps, List.copyOf(unpriced));
  }

  private static long worstScoringInput(OptimizationContext context, CandidateRules rules) {
    long system = context.suite().system().map(s -> (long) bytes(s.text())).orElse(0L);
    // a variable may appear several times in a template; allow each twice as often as in the original
    long repeats = 2L * Math.max(1, maxOccurrences(context.suite().prompt().text(), rules));
    return 64 + system + rules.maxChars() * 4L + repeats * maxVariableBytes(context);
  }

  private static long worstMetaInput(OptimizationContext context, CandidateRules rules, OptimizeOptions options) {
    int shown = Math.max(options.errorsPerGradient(), options.batchSize());
    long perExample = maxVariableBytes(context) + maxExpectedBytes(context) + options.maxOutputTokens() * 4L + 400;
    long history = options.history() ? (long) options.rounds() * options.beamSize() * options.proposals() * rules.maxChars() * 4L : 0;
    long system = context.suite().system().map(s -> (long) bytes(s.text())).orElse(0L);
    // a prompt may appear twice (current prompt and a critique quoting it), plus the critique itself
    return META_FRAME_BYTES + system + rules.maxChars() * 4L * 2 + options.maxOutputTokens() * 4L + shown * perExample + history;
  }

  private static long maxVariableBytes(OptimizationContext context) {
    long max = 0;
    for (Example example : context.suite().examples()) {
      long sum = 0;
      for (Object value : example.variables().values()) {
        sum += bytes(value.toString()) + 16;
      }
      max = Math.max(max, sum);
    }
    return max;
  }

  private static int maxOccurrences(String template, CandidateRules rules) {
    int max = 0;
    for (String variable : rules.variables()) {
      int count = template.split(java.util.regex.Pattern.quote("{{" + variable + "}}"), -1).length - 1;
      max = Math.max(max, count);
    }
    return max;
  }

  private static long maxExpectedBytes(OptimizationContext context) {
    return context.suite().examples().stream().mapToLong(e -> bytes(e.expected())).max().orElse(0);
  }

  private static int bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  public String describe() {
    String warning = unpriced.isEmpty() || Double.isInfinite(caps.cost())
        ? ""
        : "; WARNING: no price is known for " + String.join(" and ", unpriced) + ", so its calls count as $0 and the cost cap"
            + " cannot stop them (set promptunit.price.<model>=<input>,<output> dollars per million tokens)";
    return String.format(Locale.ROOT, "worst case %s (from the parameters: %s); caps %s%s",
        bounded.describe(), computed.describe(), caps.describe(), warning);
  }
}
