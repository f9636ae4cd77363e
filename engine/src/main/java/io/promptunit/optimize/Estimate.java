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
 *       then cut by the run's caps. The real spend never exceeds it while the provider keeps to the
 *       output cap (one that does not can cross a cap by one call's overrun: {@link io.promptunit.model.Budget}).
 *   <li><b>expected</b>: every round runs, with the calls the strategy typically makes, prompts a
 *       quarter longer than the checked-in one, and answers as long as the suite run's answers were
 *       (optimizer answers: the prompts they typically hold); cut by the run's caps, since the run stops
 *       at them ({@code uncapped} keeps the figure before the cut). Runs that pass held-out early spend less.
 * </ul>
 *
 * Inputs are counted with the model's tokenizer where its encoding is known, and bounded by bytes
 * elsewhere. Pairs the suite run already answered cost nothing. Retries are not included (they
 * count against the call cap when they happen).
 *
 * @param computed the worst case from the parameters alone
 * @param bounded the worst case after the caps: what the run can spend at most
 * @param expected the likely spend if every round runs, cut by the caps (the run stops at them)
 * @param uncapped the likely spend if every round runs, before the caps: larger than {@code expected} when the caps
 *     end the run before its last round
 * @param rounds rounds the figures assume
 * @param roundsWithinCaps rounds the expected spend fits under the caps ({@code rounds} when every round fits)
 * @param bindingCap the cap that stops the run before its last round, in words; empty when none is expected to
 * @param keptForHeldOut what is kept aside for the final held-out measurement of the best prompt, at most
 * @param fitted what the run made smaller than its defaults to fit the caps, in words; empty when nothing
 * @param unpriced models without a known price (counted as $0)
 * @param advice how to tighten the worst case, when an easy way is known
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Estimate(Spend computed, Spend bounded, Spend expected, Spend uncapped, int rounds,
    int roundsWithinCaps, String bindingCap, Spend keptForHeldOut, String fitted, Budget.Caps caps,
    List<String> unpriced, Optional<String> advice) {

  /** Tokens of a meta-prompt's own instructions (around the prompts and examples it quotes), at most and typically. */
  private static final long META_FRAME_WORST = 700;
  private static final long META_FRAME_LIKELY = 350;
  /** The share of a round's new prompts that are new again the round after (the rest repeat earlier ones). */
  private static final double REPEATS = 0.9;
  /** New prompts grow as rules are added; the expected figure assumes this much. */
  private static final double LIKELY_GROWTH = 1.25;

  static Estimate of(OptimizationLoop loop, PromptStrategy strategy, OptimizeOptions options, ScoringSession session,
      String taskName, String optimizerName, String fitted) {
    ScoringCall scoring = ScoringCall.of(session, loop.rules(), options, Tokens.of(taskName));
    OptimizerCall optimizing = OptimizerCall.of(session.suite(), loop.rules(), scoring, Tokens.of(optimizerName));
    Rounds rounds = new Rounds(loop, strategy, options, optimizing, uncachedScoringCalls(loop, session));
    PriceTable prices = session.prices();
    List<Spend> likelyByRound = new ArrayList<>();
    for (int round = 1; round <= options.rounds(); round++) {
      rounds.add(round);
      likelyByRound.add(rounds.likely(scoring, prices, taskName, optimizerName));
    }

    Spend computed = spend(rounds.worstScoring, rounds.worstScoring * scoring.worstIn(),
        rounds.worstScoring * scoring.worstOut(), prices, taskName)
        .plus(spend(rounds.worstMetaCalls, rounds.worstMetaIn, rounds.worstMetaOut, prices, optimizerName));
    Spend expected = likelyByRound.isEmpty() ? rounds.likely(scoring, prices, taskName, optimizerName)
        : likelyByRound.get(likelyByRound.size() - 1);
    List<String> unpriced = Stream.of(taskName, optimizerName).distinct()
        .filter(name -> prices.priceOf(name).isEmpty()).toList();
    Spend kept = heldOutReserve(loop, options, session, taskName);
    Spend beyond = beyondLikely(kept, loop, scoring, prices, taskName);
    // the budget holds back the worst-case held-out measurement, the likely figures count only the likely one
    Within within = Within.of(likelyByRound.stream().map(spend -> spend.plus(beyond)).toList(), options.caps());
    return new Estimate(computed, bounded(computed, options.caps()), capped(expected, less(options.caps(), beyond)),
        expected, options.rounds(), within.rounds(), within.cap(), kept, fitted, options.caps(), unpriced,
        advice(session, scoring));
  }

  /**
   * What the budget keeps for the final held-out measurement ({@code kept}, the worst case) beyond the likely
   * held-out measurement the likely figures already count: room under the caps the rounds cannot use.
   */
  private static Spend beyondLikely(Spend kept, OptimizationLoop loop, ScoringCall scoring, PriceTable prices,
      String taskName) {
    long calls = loop.splits().heldOut().size() * StrategyText.scoringCallsPerExample(loop.context(Runnable::run));
    Spend likely = spend(calls, calls * (double) scoring.likelyIn(), calls * (double) scoring.likelyOut(), prices,
        taskName);
    return new Spend(Math.max(0, kept.calls() - likely.calls()), Math.max(0, kept.inputTokens() - likely.inputTokens()),
        Math.max(0, kept.outputTokens() - likely.outputTokens()), Math.max(0.0, kept.cost() - likely.cost()));
  }

  /** {@code caps} less {@code spend}: what is left for the rest. */
  private static Budget.Caps less(Budget.Caps caps, Spend spend) {
    return new Budget.Caps(caps.calls() - spend.calls(), caps.tokens() - spend.tokens(), caps.cost() - spend.cost(),
        caps.seconds());
  }

  /**
   * The share of the default best-arm selection budget that lets every round's likely spend fit under the call and
   * token caps, besides the rest of the rounds and the final measurements: 1 when it fits as it is. The loop never
   * pulls an arm fewer than twice, whatever the share ({@link OptimizationLoop#selectionBudget}).
   */
  static double selectionScale(OptimizationLoop loop, PromptStrategy strategy, OptimizeOptions options,
      ScoringSession session, String taskName, String optimizerName) {
    ScoringCall scoring = ScoringCall.of(session, loop.rules(), options, Tokens.of(taskName));
    OptimizerCall optimizing = OptimizerCall.of(session.suite(), loop.rules(), scoring, Tokens.of(optimizerName));
    Rounds rounds = new Rounds(loop, strategy, options, optimizing, uncachedScoringCalls(loop, session));
    for (int round = 1; round <= options.rounds(); round++) {
      rounds.add(round);
    }
    Spend likely = rounds.likely(scoring, prices(session), taskName, optimizerName);
    double selectionCalls = rounds.likelySelection;
    if (selectionCalls <= 0) {
      return 1.0;
    }
    double selectionTokens = selectionCalls * (scoring.likelyIn() + scoring.likelyOut());
    Budget.Caps caps = less(options.caps(),
        beyondLikely(heldOutReserve(loop, options, session, taskName), loop, scoring, prices(session), taskName));
    double byCalls = (caps.calls() - (likely.calls() - selectionCalls)) / selectionCalls;
    double byTokens = (caps.tokens() - (likely.tokens() - selectionTokens)) / selectionTokens;
    return Math.max(0.0, Math.min(1.0, Math.min(byCalls, byTokens)));
  }

  private static PriceTable prices(ScoringSession session) {
    return session.prices();
  }

  /**
   * What the final held-out measurement of the best prompt can cost at most: every held-out example scored once
   * at the worst scoring call. The loop keeps it aside until the end ({@link Budget#setAside}), so a run that reaches
   * a cap still ends with the best prompt measured on held-out. At most half of each cap.
   */
  static Spend heldOutReserve(OptimizationLoop loop, OptimizeOptions options, ScoringSession session,
      String taskName) {
    ScoringCall scoring = ScoringCall.of(session, loop.rules(), options, Tokens.of(taskName));
    long calls = loop.splits().heldOut().size() * StrategyText.scoringCallsPerExample(loop.context(Runnable::run));
    Spend worst = spend(calls, calls * (double) scoring.worstIn(), calls * (double) scoring.worstOut(),
        session.prices(), taskName);
    Budget.Caps caps = options.caps();
    double share = Math.min(1.0, Math.min(ratio(caps.calls() / 2, worst.calls()),
        Math.min(ratio(caps.tokens() / 2, worst.tokens()), worst.cost() <= 0 ? 1.0 : caps.cost() / 2 / worst.cost())));
    return share >= 1.0 ? worst : new Spend((long) (worst.calls() * share), Math.round(worst.inputTokens() * share),
        Math.round(worst.outputTokens() * share), worst.cost() * share);
  }

  /**
   * How many rounds the likely spend fits under the caps, and the cap that stops it first (empty when every round
   * fits).
   */
  private record Within(int rounds, String cap) {

    static Within of(List<Spend> cumulative, Budget.Caps caps) {
      for (int r = 0; r < cumulative.size(); r++) {
        Spend spend = cumulative.get(r);
        String cap = spend.calls() > caps.calls() ? "the call cap of " + caps.calls() + " calls"
            : spend.tokens() > caps.tokens() ? "the token cap of " + caps.tokens() + " tokens"
            : spend.cost() > caps.cost() ? String.format(Locale.ROOT, "the cost cap of $%.2f", caps.cost()) : "";
        if (!cap.isEmpty()) {
          return new Within(r, cap);
        }
      }
      return new Within(cumulative.size(), "");
    }
  }

  /**
   * Scoring calls of the checked-in prompt, unless the suite run answered them, and of the final
   * train and held-out scores.
   */
  private static long uncachedScoringCalls(OptimizationLoop loop, ScoringSession session) {
    Splits splits = loop.splits();
    String original = session.suite().prompt().text();
    long unknownOriginal = Stream.of(splits.selection(), splits.heldOut(), splits.train()).flatMap(List::stream)
        .distinct().filter(e -> session.known(original, e).isEmpty()).count();
    return (unknownOriginal + splits.train().size() + splits.heldOut().size())
        * StrategyText.scoringCallsPerExample(loop.context(Runnable::run));
  }

  /** The worst case cut by the run's caps: the tokens in proportion, calls and cost at the caps. */
  private static Spend bounded(Spend computed, Budget.Caps caps) {
    long calls = Math.min(computed.calls(), caps.calls());
    long tokensCap = Math.min(computed.tokens(), caps.tokens());
    double share = computed.tokens() == 0 ? 0 : (double) tokensCap / computed.tokens();
    return new Spend(calls, Math.round(computed.inputTokens() * share), Math.round(computed.outputTokens() * share),
        Math.min(computed.cost(), caps.cost()));
  }

  /** The likely spend cut where the first cap would stop the run: every figure in the same proportion. */
  private static Spend capped(Spend likely, Budget.Caps caps) {
    double share = Math.min(1.0, Math.min(ratio(caps.calls(), likely.calls()),
        Math.min(ratio(caps.tokens(), likely.tokens()), likely.cost() <= 0 ? 1.0 : caps.cost() / likely.cost())));
    if (share >= 1.0) {
      return likely;
    }
    return new Spend(Math.min(caps.calls(), (long) Math.ceil(likely.calls() * share)),
        Math.round(likely.inputTokens() * share), Math.round(likely.outputTokens() * share),
        Math.min(caps.cost(), likely.cost() * share));
  }

  private static double ratio(long cap, long figure) {
    return figure <= 0 ? 1.0 : (double) cap / figure;
  }

  /** How to tighten the worst case, when the task model's answers have no cap and are far shorter than one. */
  private static Optional<String> advice(ScoringSession session, ScoringCall scoring) {
    if (session.outputCap().isPresent() || scoring.likelyOut() * 8 > scoring.worstOut()) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT,
        "the task model's answers average %d tokens but may reach %d: "
            + "set %s=%d to bound them and tighten the worst case",
        scoring.likelyOut(), scoring.worstOut(), io.promptunit.config.Keys.MAX_OUTPUT_TOKENS,
        Math.max(16, scoring.likelyOut() * 4)));
  }

  /**
   * The tokens of one scoring call, at worst and likely: the rendered conversation, with the prompt
   * part grown.
   */
  private record ScoringCall(long worstIn, long likelyIn, long worstOut, long likelyOut) {

    static ScoringCall of(ScoringSession session, CandidateRules rules, OptimizeOptions options, Tokens task) {
      Suite suite = session.suite();
      String original = suite.prompt().text();
      List<Long> rendered = suite.examples().stream()
          .map(e -> task.bound(Conversation.render(suite, e).messages())).toList();
      long promptTokens = task.bound(original);
      long worstIn = max(rendered) - promptTokens + longestPrompt(task, promptTokens, rules, original);
      long likelyIn = Math.round(mean(rendered) + (LIKELY_GROWTH - 1) * promptTokens);
      long worstOut = session.outputCap().orElse(options.maxOutputTokens());
      long likelyOut = Math.min(worstOut, Math.round(likelyOutput(session, suite, original, task)));
      return new ScoringCall(worstIn, likelyIn, worstOut, likelyOut);
    }
  }

  /**
   * The tokens of one optimizer call: its own instructions, the prompts and examples it quotes,
   * the answer.
   *
   * @param prompt the checked-in prompt
   * @param longest the longest prompt the candidate rules allow
   * @param system the suite's system message
   * @param exampleWorst a quoted example with its answer, at worst
   * @param exampleLikely a quoted example with its answer, likely
   */
  private record OptimizerCall(long prompt, long longest, long system, long exampleWorst, double exampleLikely) {

    static OptimizerCall of(Suite suite, CandidateRules rules, ScoringCall scoring, Tokens meta) {
      String original = suite.prompt().text();
      long prompt = meta.bound(original);
      long system = suite.system().map(s -> meta.bound(s.text())).orElse(0L);
      // the checks' feedback on an example is cut to a fixed length, however many checks failed
      long exampleWorst = suite.examples().stream().mapToLong(e -> meta.bound(shown(e))).max().orElse(0)
          + scoring.worstOut() + StrategyText.FEEDBACK_TOKENS;
      double exampleLikely = suite.examples().stream().mapToLong(e -> meta.approximate(shown(e))).average().orElse(0)
          + scoring.likelyOut();
      return new OptimizerCall(prompt, longestPrompt(meta, prompt, rules, original), system,
          exampleWorst, exampleLikely);
    }
  }

  /** Tokens of the longest prompt the candidate rules allow, from the checked-in prompt's {@code promptTokens}. */
  private static long longestPrompt(Tokens tokens, long promptTokens, CandidateRules rules, String original) {
    return tokens.exact()
        ? Math.round((double) promptTokens * rules.maxChars() / Math.max(1, original.length()))
        : rules.maxChars() * 4L;
  }

  /** The calls and the optimizer's tokens of every round, added up at worst and likely. */
  private static final class Rounds {
    private final OptimizationLoop loop;
    private final PromptStrategy strategy;
    private final OptimizeOptions options;
    private final OptimizationContext context;
    private final OptimizerCall optimizing;
    private final int beam;
    private final long perExample;
    private final long selection;
    private final long heldOut;

    double worstScoring;
    double likelyScoring;
    double worstMetaCalls;
    double likelyMetaCalls;
    double worstMetaIn;
    double worstMetaOut;
    double likelyMetaIn;
    double likelyMetaOut;
    double likelySelection;
    private long seenWorst = 1;
    private double seenLikely = 1;

    Rounds(OptimizationLoop loop, PromptStrategy strategy, OptimizeOptions options, OptimizerCall optimizing,
        long scoringBeforeRounds) {
      this.loop = loop;
      this.strategy = strategy;
      this.options = options;
      this.context = loop.context(Runnable::run);
      this.optimizing = optimizing;
      this.beam = options.beamSize();
      this.perExample = StrategyText.scoringCallsPerExample(context);
      this.selection = loop.splits().selection().size();
      this.heldOut = loop.splits().heldOut().size();
      this.worstScoring = scoringBeforeRounds;
      this.likelyScoring = scoringBeforeRounds;
    }

    Spend likely(ScoringCall scoring, PriceTable prices, String taskName, String optimizerName) {
      return likelyOf(this, scoring, prices, taskName, optimizerName);
    }

    void add(int round) {
      int parentsWorst = (int) Math.min(beam, seenWorst);
      int parentsLikely = (int) Math.max(1, Math.min(beam, Math.round(seenLikely)));
      addWorst(parentsWorst, strategy.worstCase(parentsWorst, round, context));
      addLikely(parentsLikely, strategy.worstCase(parentsLikely, round, context), round);
    }

    private void addWorst(int parents, PromptStrategy.WorstCase worst) {
      long pool = parents + worst.newCandidates();
      long selectionCalls = strategy.scoresEveryCandidate() ? worst.newCandidates() * selection
          : pool > beam ? Math.min(loop.selectionBudget((int) Math.min(pool, Integer.MAX_VALUE)), pool * selection) : 0;
      worstScoring += worst.scoringCalls() + (selectionCalls + Math.min(beam, pool) * selection + heldOut) * perExample;
      worstMetaCalls += worst.metaCalls();
      long output = worst.metaOutputTokens(options.maxOutputTokens());
      worstMetaOut += output;
      // a critique quoted in an edit question is at most one answer long: no longer than the round's mean cap, since a
      // critique's cap is the smallest of its round
      long longestAnswer = worst.metaCalls() == 0 ? 0 : (output + worst.metaCalls() - 1) / worst.metaCalls();
      worstMetaIn += worst.metaCalls() * (double) (META_FRAME_WORST + optimizing.system()
          + worst.promptsShown() * optimizing.longest() + longestAnswer
          + worst.examplesShown() * optimizing.exampleWorst());
      seenWorst += worst.newCandidates();
    }

    /**
     * The likely round: new prompts repeat earlier ones more as the search settles ({@link #REPEATS} a round), and
     * the held-out split is measured once, at the end (counted before the rounds), unless the run passes early.
     */
    private void addLikely(int parents, PromptStrategy.WorstCase likely, int round) {
      // samples of one question (OPRO's) repeat rarely; rewordings of the same few prompts do
      double fresh = likely.likelyNew() * (strategy.scoresEveryCandidate() ? 1.0 : Math.pow(REPEATS, round - 1));
      double likelyPool = parents + fresh;
      // pulls on parents replay their remembered results; only the new candidates' pulls are calls
      double likelySelection = strategy.scoresEveryCandidate() ? fresh * selection
          : likelyPool > beam
              ? Math.min(loop.selectionBudget((int) Math.round(likelyPool)) * fresh / likelyPool, fresh * selection)
              : fresh * selection;
      this.likelySelection += likelySelection * perExample;
      // a new member of the beam is measured on the rest of the selection split, beyond its selection pulls
      double beamMeasure = strategy.scoresEveryCandidate() || fresh <= 0 ? 0
          : Math.min(beam, fresh) * Math.max(0, selection - likelySelection / fresh);
      likelyScoring += likely.scoringCalls() + (likelySelection + beamMeasure) * perExample;
      double calls = likely.typicalMetaCalls();
      likelyMetaCalls += calls;
      likelyMetaIn += calls * (META_FRAME_LIKELY + optimizing.system()
          + likely.likelyPromptsShown() * optimizing.prompt() * LIKELY_GROWTH
          + likely.examplesShown() * optimizing.exampleLikely());
      double capPerCall = likely.metaCalls() == 0 ? 0
          : (double) likely.metaOutputTokens(options.maxOutputTokens()) / likely.metaCalls();
      likelyMetaOut += calls
          * Math.min(capPerCall, 60 + likely.likelyAnswerPrompts() * optimizing.prompt() * LIKELY_GROWTH);
      seenLikely += fresh;
    }
  }

  /** The likely figure of every round added so far. */
  private static Spend likelyOf(Rounds rounds, ScoringCall scoring, PriceTable prices, String taskName,
      String optimizerName) {
    return spend(rounds.likelyScoring, rounds.likelyScoring * scoring.likelyIn(),
        rounds.likelyScoring * scoring.likelyOut(), prices, taskName)
        .plus(spend(rounds.likelyMetaCalls, rounds.likelyMetaIn, rounds.likelyMetaOut, prices, optimizerName));
  }

  /** {@code calls} calls of {@code in} input and {@code out} output tokens in all. */
  private static Spend spend(double calls, double in, double out, PriceTable prices, String model) {
    long input = Math.round(in);
    long output = Math.round(out);
    // a bound must not round down
    return new Spend((long) Math.ceil(calls), input, output,
        prices.priceOf(model).map(p -> p.cost(input, output)).orElse(0.0));
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
    example.variables().forEach((name, value) -> text.append(name).append(": ")
        .append(StrategyText.cut(value.toString())).append('\n'));
    return text.append("expected output: ").append(StrategyText.cut(example.expected()))
        .append("\nmodel output: \nwhy it failed: \n").toString();
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
        : "; WARNING: no price is known for " + String.join(" and ", unpriced)
            + ", so its calls count as $0 and the cost cap"
            + " cannot stop them (set promptunit.price.<model>=<input>,<output> dollars per million tokens)";
    String likely = bindingCap.isEmpty() && expected.equals(uncapped)
        ? String.format(Locale.ROOT, "expected %s if all %d rounds run", expected.describe(), rounds)
        : String.format(Locale.ROOT, "expected %s: %s stops the run %s (all %d rounds would take %s), with %s kept"
            + " for the final held-out measurement",
            expected.describe(), bindingCap.isEmpty() ? "a cap" : bindingCap, roundsWithinCaps == 0
                ? "in its first round" : "after about " + roundsWithinCaps + " of its " + rounds + " rounds",
            rounds, uncapped.describe(), keptForHeldOut.describe());
    return String.format(Locale.ROOT, "%s%s; worst case %s (from the parameters: %s); caps %s%s%s",
        likely, fitted.isEmpty() ? "" : " (" + fitted + ")", bounded.describe(), computed.describe(), caps.describe(),
        advice.map(a -> "; " + a).orElse(""), warning);
  }
}
