package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import io.promptunit.Example;
import io.promptunit.check.Conversation;
import io.promptunit.eval.ExampleResult;
import io.promptunit.eval.ScoringSession;
import io.promptunit.model.Budget;
import io.promptunit.model.PriceTable;
import io.promptunit.model.Spend;
import io.promptunit.model.Tokens;
import io.promptunit.suite.Suite;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What an optimization run will spend, computed before anything is spent, in two figures:
 *
 * <ul>
 *   <li><b>worst case</b>: every round runs and makes every call its strategy may make, every new
 *       prompt is as long as the candidate rules allow, every answer is as long as its output cap;
 *       then cut by the run's caps. The real spend never exceeds it.
 *   <li><b>expected</b>: every round runs, with the calls the strategy typically makes, prompts a
 *       quarter longer than the checked-in one, and answers as long as the suite run's answers were
 *       (optimizer answers: the prompts they typically hold). Runs that pass held-out early spend less.
 * </ul>
 *
 * Inputs are counted with the model's tokenizer where its encoding is known, and bounded by bytes
 * elsewhere. Pairs the suite run already answered cost nothing. Retries are not included (they
 * count against the call cap when they happen).
 *
 * @param computed the worst case from the parameters alone
 * @param bounded the worst case after the caps: what the run can spend at most
 * @param expected the likely spend if every round runs
 * @param rounds rounds the figures assume
 * @param unpriced models without a known price (counted as $0)
 * @param advice how to tighten the worst case, when an easy way is known
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Estimate(Spend computed, Spend bounded, Spend expected, int rounds, Budget.Caps caps, List<String> unpriced, Optional<String> advice) {

  /** Tokens of a meta-prompt's own instructions (around the prompts and examples it quotes), at most and typically. */
  private static final long META_FRAME_WORST = 700;
  private static final long META_FRAME_LIKELY = 350;
  /** New prompts grow as rules are added; the expected figure assumes this much. */
  private static final double LIKELY_GROWTH = 1.25;

  static Estimate of(OptimizationLoop loop, PromptStrategy strategy, OptimizeOptions options, ScoringSession session,
      String taskName, String optimizerName) {
    OptimizationContext context = loop.context(Runnable::run);
    Suite suite = session.suite();
    Splits splits = loop.splits();
    CandidateRules rules = loop.rules();
    Tokens task = Tokens.of(taskName);
    Tokens meta = Tokens.of(optimizerName);
    String original = suite.prompt().text();
    int beam = options.beamSize();
    long perExample = StrategyText.scoringCallsPerExample(context);
    long selection = splits.selection().size();
    long heldOut = splits.heldOut().size();

    // one scoring call: the rendered conversation, with the prompt part grown
    List<Long> rendered = suite.examples().stream().map(e -> task.bound(Conversation.render(suite, e).messages())).toList();
    long promptTokens = task.bound(original);
    long longestPrompt = task.exact() ? Math.round((double) promptTokens * rules.maxChars() / Math.max(1, original.length())) : rules.maxChars() * 4L;
    long worstScoringIn = max(rendered) - promptTokens + longestPrompt;
    long likelyScoringIn = Math.round(mean(rendered) + (LIKELY_GROWTH - 1) * promptTokens);
    long worstScoringOut = session.outputCap().orElse(options.maxOutputTokens());
    long likelyScoringOut = Math.min(worstScoringOut, Math.round(likelyOutput(session, suite, original, task)));

    // one optimizer call: its own instructions, the prompts and examples it quotes, the answer
    long metaPrompt = meta.bound(original);
    long metaLongest = meta.exact() ? Math.round((double) metaPrompt * rules.maxChars() / Math.max(1, original.length())) : rules.maxChars() * 4L;
    long system = suite.system().map(s -> meta.bound(s.text())).orElse(0L);
    long shownExampleWorst = suite.examples().stream().mapToLong(e -> meta.bound(shown(e))).max().orElse(0) + worstScoringOut;
    double shownExampleLikely = suite.examples().stream().mapToLong(e -> meta.approximate(shown(e))).average().orElse(0) + likelyScoringOut;

    // the checked-in prompt's scores, unless the suite run answered them; the final train and held-out scores
    long unknownOriginal = Stream.of(splits.selection(), splits.heldOut(), splits.train()).flatMap(List::stream).distinct()
        .filter(e -> session.known(original, e).isEmpty()).count();
    double worstScoring = (unknownOriginal + splits.train().size() + heldOut) * perExample;
    double likelyScoring = worstScoring;
    double worstMetaCalls = 0;
    double likelyMetaCalls = 0;
    double worstMetaIn = 0;
    double likelyMetaIn = 0;
    double likelyMetaOut = 0;
    long seenWorst = 1;
    double seenLikely = 1;
    for (int r = 1; r <= options.rounds(); r++) {
      int parentsWorst = (int) Math.min(beam, seenWorst);
      int parentsLikely = (int) Math.max(1, Math.min(beam, Math.round(seenLikely)));
      PromptStrategy.WorstCase worst = strategy.worstCase(parentsWorst, r, context);
      PromptStrategy.WorstCase likely = strategy.worstCase(parentsLikely, r, context);
      long pool = parentsWorst + worst.newCandidates();
      long selectionCalls = strategy.scoresEveryCandidate() ? worst.newCandidates() * selection
          : pool > beam ? Math.min(loop.selectionBudget((int) Math.min(pool, Integer.MAX_VALUE)), pool * selection) : 0;
      worstScoring += worst.scoringCalls() + (selectionCalls + Math.min(beam, pool) * selection + heldOut) * perExample;
      double likelyPool = parentsLikely + likely.likelyNew();
      // pulls on parents replay their remembered results; only the new candidates' pulls are calls
      double likelySelection = strategy.scoresEveryCandidate() ? likely.likelyNew() * selection
          : likelyPool > beam ? Math.min(loop.selectionBudget((int) Math.round(likelyPool)) * likely.likelyNew() / likelyPool,
              likely.likelyNew() * selection) : likely.likelyNew() * selection;
      likelyScoring += likely.scoringCalls() + (likelySelection + Math.min(beam, likely.likelyNew()) * selection * 0.5 + heldOut * 0.5) * perExample;
      worstMetaCalls += worst.metaCalls();
      likelyMetaCalls += likely.metaCalls();
      // a critique quoted in an edit question is at most one answer long
      worstMetaIn += worst.metaCalls() * (double) (META_FRAME_WORST + system + worst.promptsShown() * metaLongest + options.maxOutputTokens()
          + worst.examplesShown() * shownExampleWorst);
      likelyMetaIn += likely.metaCalls() * (META_FRAME_LIKELY + system + likely.likelyPromptsShown() * metaPrompt * LIKELY_GROWTH
          + likely.examplesShown() * shownExampleLikely);
      likelyMetaOut += likely.metaCalls() * Math.min(options.maxOutputTokens(), 60 + likely.likelyAnswerPrompts() * metaPrompt * LIKELY_GROWTH);
      seenWorst += worst.newCandidates();
      seenLikely += likely.likelyNew();
    }

    PriceTable prices = session.prices();
    Spend computed = spend(worstScoring, worstScoring * worstScoringIn, worstScoring * worstScoringOut, prices, taskName)
        .plus(spend(worstMetaCalls, worstMetaIn, worstMetaCalls * options.maxOutputTokens(), prices, optimizerName));
    Spend expected = spend(likelyScoring, likelyScoring * likelyScoringIn, likelyScoring * likelyScoringOut, prices, taskName)
        .plus(spend(likelyMetaCalls, likelyMetaIn, likelyMetaOut, prices, optimizerName));

    Budget.Caps caps = options.caps();
    long calls = Math.min(computed.calls(), caps.calls());
    long tokensCap = Math.min(computed.tokens(), caps.tokens());
    double share = computed.tokens() == 0 ? 0 : (double) tokensCap / computed.tokens();
    Spend bounded = new Spend(calls, Math.round(computed.inputTokens() * share), Math.round(computed.outputTokens() * share),
        Math.min(computed.cost(), caps.cost()));
    List<String> unpriced = Stream.of(taskName, optimizerName).distinct().filter(name -> prices.priceOf(name).isEmpty()).toList();
    Optional<String> advice = session.outputCap().isPresent() || likelyScoringOut * 8 > worstScoringOut
        ? Optional.empty()
        : Optional.of(String.format(Locale.ROOT, "the task model's answers average %d tokens but may reach %d: set %s=%d to bound them and"
            + " tighten the worst case", likelyScoringOut, worstScoringOut, io.promptunit.config.Keys.MAX_OUTPUT_TOKENS,
            Math.max(16, likelyScoringOut * 4)));
    return new Estimate(computed, bounded, expected, options.rounds(), caps, unpriced, advice);
  }

  /** {@code calls} calls of {@code in} input and {@code out} output tokens in all. */
  private static Spend spend(double calls, double in, double out, PriceTable prices, String model) {
    long input = Math.round(in);
    long output = Math.round(out);
    // a bound must not round down
    return new Spend((long) Math.ceil(calls), input, output, prices.priceOf(model).map(p -> p.cost(input, output)).orElse(0.0));
  }

  /** Tokens of an answer of the task model: the suite run's answers where known, else the expected outputs. */
  private static double likelyOutput(ScoringSession session, Suite suite, String original, Tokens task) {
    List<Long> answered = new ArrayList<>();
    for (Example example : suite.examples()) {
      Optional<ExampleResult> known = session.known(original, example);
      known.flatMap(r -> r.attempts().stream().flatMap(a -> a.reply().stream()).findFirst())
          .ifPresent(reply -> answered.add(task.approximate(reply.text())));
    }
    if (!answered.isEmpty()) {
      return mean(answered);
    }
    return suite.examples().stream().mapToLong(e -> task.approximate(e.expected())).average().orElse(1);
  }

  /** How a meta-prompt quotes an example: its variables and expected output. */
  private static String shown(Example example) {
    StringBuilder text = new StringBuilder();
    example.variables().forEach((name, value) -> text.append(name).append(": ").append(StrategyText.cut(value.toString())).append('\n'));
    return text.append("expected output: ").append(StrategyText.cut(example.expected())).append("\nmodel output: \nwhy it failed: \n").toString();
  }

  private static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  private static double mean(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).average().orElse(0);
  }

  public String describe() {
    String warning = unpriced.isEmpty() || Double.isInfinite(caps.cost())
        ? ""
        : "; WARNING: no price is known for " + String.join(" and ", unpriced) + ", so its calls count as $0 and the cost cap"
            + " cannot stop them (set promptunit.price.<model>=<input>,<output> dollars per million tokens)";
    return String.format(Locale.ROOT, "expected %s if all %d rounds run; worst case %s (from the parameters: %s); caps %s%s%s",
        expected.describe(), rounds, bounded.describe(), computed.describe(), caps.describe(), advice.map(a -> "; " + a).orElse(""), warning);
  }
}
