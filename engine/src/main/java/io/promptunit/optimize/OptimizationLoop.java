package io.promptunit.optimize;

import io.promptunit.Example;
import io.promptunit.eval.ExampleResult;
import io.promptunit.eval.ScoringSession;
import io.promptunit.model.Budget;
import io.promptunit.model.BudgetExhaustedException;
import io.promptunit.model.DaemonThreads;
import io.promptunit.model.ModelClient;
import io.promptunit.model.Spend;
import io.promptunit.optimize.select.ArmPull;
import io.promptunit.optimize.select.SelectionAlgorithm;
import io.promptunit.suite.Suite;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The loop every strategy shares: score the checked-in prompt, then per round let the strategy
 * propose prompts from train errors, validate and deduplicate them, select the next beam on the
 * selection split under an evaluation budget, and judge the best prompt on the held-out split.
 * Stops when the best prompt passes held-out, or rounds, patience or budget run out.
 */
final class OptimizationLoop {

  private final Suite suite;
  private final PromptStrategy strategy;
  private final OptimizeOptions options;
  private final Budget budget;
  private final Scorer scorer;
  private final MetaModel meta;
  private final int concurrency;
  private final int metaConcurrency;
  private final Splits splits;
  private final CandidateRules rules;
  private final History history = new History();
  private final Trace trace;
  private final Random random;
  private final double threshold;
  private final Set<String> seenTexts = new HashSet<>();
  /** Why a proposal that repeats a prompt already considered (up to case and spacing) is not scored again. */
  static final String COPY = "a copy of a prompt already considered";
  /** The share of the default selection budget the caps leave room for ({@link Estimate#selectionScale}). */
  private double selectionScale = 1.0;
  /** Kept aside for the final held-out measurement of the best prompt ({@link Estimate#heldOutReserve}). */
  private Spend keptForHeldOut = Spend.NONE;

  /**
   * @param session the suite's session, charged to {@code budget} ({@link ScoringSession#budgeted})
   * @param optimizerModel the optimizer model, charged to {@code budget}
   */
  public OptimizationLoop(ScoringSession session, PromptStrategy strategy, OptimizeOptions options,
      ModelClient optimizerModel, Budget budget) {
    this.suite = session.suite();
    this.strategy = strategy;
    this.options = options;
    this.budget = budget;
    this.random = new Random(options.seed());
    this.splits = Splits.of(suite.examples(), options.trainFraction(), options.devFraction(), options.seed());
    this.rules = new CandidateRules(suite.prompt(), options.frozen());
    this.scorer = new Scorer(session);
    this.concurrency = session.concurrency();
    this.metaConcurrency = options.optimizerConcurrency() > 0 ? options.optimizerConcurrency() : session.concurrency();
    this.meta = new MetaModel(optimizerModel, options.metaTemperature(), options.maxOutputTokens());
    this.threshold = suite.options().minPassRate();
    this.trace = new Trace(history, budget, concurrency, metaConcurrency);
  }

  public Splits splits() {
    return splits;
  }

  OptimizeOptions options() {
    return options;
  }

  public CandidateRules rules() {
    return rules;
  }

  /**
   * The checked-in prompt's scores in words ({@code dev 100%, held-out test 100%}) when the suite run's answers show
   * it passing the suite on the selection and the held-out splits: then there is nothing to optimize.
   */
  Optional<String> originalKnownToPass() {
    Candidate original = Candidate.original(suite.prompt().text());
    Optional<Double> selection = scorer.fullyKnownScore(original, splits.selection());
    Optional<Double> heldOut = scorer.fullyKnownScore(original, splits.heldOut());
    if (selection.isEmpty() || heldOut.isEmpty() || selection.get() + 1e-9 < threshold
        || heldOut.get() + 1e-9 < threshold) {
      return Optional.empty();
    }
    return Optional.of(splits.selectionName() + " " + OptimizationResult.percent(selection.get()) + ", held-out "
        + splits.heldOutName() + " " + OptimizationResult.percent(heldOut.get()));
  }

  OptimizationContext context(Executor metaWorkers) {
    return new OptimizationContext(suite, splits, scorer, meta, metaWorkers, options, rules, history, trace, random);
  }

  /**
   * Runs the optimization.
   *
   * @throws IllegalStateException when the suite cannot be optimized (no train or held-out examples,
   *     a frozen passage missing from the original, or a task model that fails on every example)
   */
  public OptimizationResult run(RoundListener listener) {
    if (splits.train().isEmpty()) {
      throw new IllegalStateException("No train examples to learn from: mark some examples \"split\": \"train\""
          + " or lower trainFraction's complement.");
    }
    if (splits.heldOut().isEmpty()) {
      throw new IllegalStateException("No test examples to judge the optimized prompt on (dev chooses the prompt,"
          + " so it cannot also judge it): mark some examples \"split\": \"test\" in " + suite.examplesFile().path()
          + ", or leave \"split\" out of some examples so that PromptUnit assigns them.");
    }
    for (String passage : options.frozen()) {
      if (!suite.prompt().text().contains(passage)) {
        throw new IllegalStateException("@Optimize(frozen) passage \"" + passage + "\" does not occur in "
            + suite.prompt().path() + "; copy it verbatim from the prompt file.");
      }
    }
    long start = System.nanoTime();
    budget.start();
    budget.setAside(keptForHeldOut, "the final held-out measurement of the best prompt");
    ExecutorService metaWorkers = Executors.newFixedThreadPool(metaConcurrency,
        DaemonThreads.named("promptunit-optimizer-"));
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("promptunit-progress-"));
    if (options.progressSeconds() > 0) {
      ticker.scheduleAtFixedRate(() -> tick(listener, start), options.progressSeconds(),
          options.progressSeconds(), TimeUnit.SECONDS);
    }
    try {
      return search(listener, start, context(metaWorkers));
    } finally {
      ticker.shutdownNow();
      metaWorkers.shutdownNow();
    }
  }

  /** A progress line for a phase that has been running, from the ticker thread. */
  private void tick(RoundListener listener, long start) {
    Trace.Current current = trace.current();
    if (current == null) {
      return;
    }
    Spend spent = budget.spent();
    try {
      listener.progress(new RoundListener.Status(strategy.name(), current.round(), options.rounds(), current.phase(),
          spent.calls() - current.atStart().calls(), current.planned(), spent,
          (System.nanoTime() - start) / 1_000_000_000L));
    } catch (RuntimeException e) {
      // a listener that fails must not stop the ticker or the run
    }
  }

  private OptimizationResult search(RoundListener listener, long start, OptimizationContext context) {
    Candidate original = Candidate.original(suite.prompt().text());
    history.add(original);
    seenTexts.add(normalize(original.text()));
    Candidate best = original;
    Stopped stopped = new Stopped(OptimizationResult.Stop.ROUNDS, "all " + options.rounds() + " rounds used");
    try {
      scoreOriginal(original);
      if (passesHeldOut(original)) {
        return result(original, original, true, OptimizationResult.Stop.PASSED,
            "the checked-in prompt already passes the held-out examples", start);
      }
      List<Candidate> beam = List.of(original);
      int withoutImprovement = 0;
      for (int round = 1; round <= options.rounds(); round++) {
        Spend before = budget.spent();
        Played played = play(round, beam, context);
        beam = played.beam();
        Candidate roundBest = bestOf(history.candidates());
        if (better(roundBest, best)) {
          best = roundBest;
          withoutImprovement = 0;
        } else {
          withoutImprovement++;
        }
        boolean passed = passesHeldOut(best);
        record(round, best, played, before, listener);
        Optional<String> finished = strategy.afterRound(context, round);
        Optional<Stopped> early = stopsEarly(round, passed, withoutImprovement)
            .or(() -> finished.map(why -> new Stopped(OptimizationResult.Stop.BUDGET, why)));
        if (early.isPresent()) {
          stopped = early.get();
          break;
        }
      }
    } catch (BudgetExhaustedException e) {
      stopped = new Stopped(OptimizationResult.Stop.BUDGET, e.getMessage());
    }
    return finish(original, best, stopped.stop(), stopped.detail(), start);
  }

  /** Why the search stopped, in a word and in a sentence. */
  private record Stopped(OptimizationResult.Stop stop, String detail) {}

  /** Stops when the best prompt passes held-out, or when {@code patience} rounds brought nothing better. */
  private Optional<Stopped> stopsEarly(int round, boolean passed, int withoutImprovement) {
    if (passed) {
      return Optional.of(new Stopped(OptimizationResult.Stop.PASSED,
          "the best prompt passes the " + splits.heldOutName() + " examples after round " + round));
    }
    if (withoutImprovement >= options.patience()) {
      return Optional.of(new Stopped(OptimizationResult.Stop.PATIENCE,
          "no better prompt for " + withoutImprovement + " rounds (patience " + options.patience() + ")"));
    }
    return Optional.empty();
  }

  /** The checked-in prompt's selection and train scores, and its held-out score when the suite run measured it. */
  private void scoreOriginal(Candidate original) {
    List<ExampleResult> initial = trace.task("score the checked-in prompt", splits.selection().size(),
        () -> scorer.evaluate(original, splits.selection()));
    if (initial.stream().allMatch(r -> r.status() == ExampleResult.Status.ERROR)) {
      throw new IllegalStateException("The task model failed on every example, so nothing can be optimized: "
          + initial.get(0).firstError().map(Throwable::getMessage).orElse("unknown error"));
    }
    history.score(original.id(), scores -> scores.withSelection(Scorer.fraction(initial)));
    updateTrain(original);
    // The suite run measured the checked-in prompt on every example: its held-out score is known
    // without choosing by it (and without a call).
    scorer.fullyKnownScore(original, splits.heldOut())
        .ifPresent(score -> history.score(original.id(), scores -> scores.withHeldOut(score)));
  }

  /** What one round did: the next beam, and how many prompts were proposed and accepted. */
  private record Played(List<Candidate> beam, int proposed, int accepted) {}

  /** One round: proposals from the parents, the valid new ones scored, the next beam selected and measured. */
  private Played play(int round, List<Candidate> beam, OptimizationContext context) {
    trace.round(round);
    List<Candidate> parents = strategy.backtracks() ? topBySelection(options.beamSize()) : beam;
    List<Proposal> proposals = strategy.propose(parents, context, round);
    List<Candidate> fresh = accept(proposals, round);
    List<Candidate> pool = new ArrayList<>(parents);
    pool.addAll(fresh);
    List<Candidate> next;
    if (strategy.scoresEveryCandidate()) {
      measureSelection("score new candidates", fresh);
      next = pool.stream().sorted(ranking()).limit(options.beamSize()).toList();
    } else {
      next = select(pool);
    }
    measureSelection("score the beam", next);
    next.forEach(this::updateTrain);
    return new Played(next, proposals.size(), fresh.size());
  }

  private void record(int round, Candidate best, Played played, Spend before, RoundListener listener) {
    History.Scores scores = history.scoresOf(best.id());
    Spend total = budget.spent();
    History.Round record = new History.Round(round, best.id(), Optional.ofNullable(scores.train()),
        orZero(scores.selection()),
        Optional.ofNullable(scores.heldOut()), played.beam().stream().map(Candidate::id).toList(),
        played.proposed(), played.accepted(),
        total.minus(before), total);
    history.round(record);
    listener.roundFinished(record, new RoundListener.Progress(strategy.name(), options.rounds(), best.text()));
  }

  /**
   * The scores the summary compares (held-out and full train of the original and the best), as far as the budget
   * allows.
   */
  private OptimizationResult finish(Candidate original, Candidate best, OptimizationResult.Stop stop,
      String detail, long start) {
    trace.round(options.rounds() + 1);
    budget.releaseSetAside();
    boolean passed = stop == OptimizationResult.Stop.PASSED;
    if (!passed) {
      measureHeldOutIfAffordable(best);
    }
    measureHeldOutIfAffordable(original);
    measureTrainIfAffordable(original);
    measureTrainIfAffordable(best);
    return result(original, best, passed, stop, detail, start);
  }

  private OptimizationResult result(Candidate original, Candidate best, boolean passed, OptimizationResult.Stop stop,
      String detail, long start) {
    String told = stopDetail(stop, detail) + (passed ? "" : history.rejectionSummary().map(r -> "; " + r).orElse(""));
    return new OptimizationResult(original, best, passed, stop, told, history, splits,
        budget.spent(), (System.nanoTime() - start) / 1_000_000_000L, strategy.name(), budget.overrun(),
        scorer.usage(original, best, suite.examples()));
  }

  /**
   * Why the run stopped, told once every call has settled: a budget stop with the exact total spent (the refusal that
   * stopped the loop saw the spend of its moment, before the calls then running answered), a crossed cap as the
   * budget tells it now, whatever else stopped the run.
   */
  private String stopDetail(OptimizationResult.Stop stop, String detail) {
    Optional<String> crossed = budget.overrun();
    if (crossed.isPresent()) {
      String told = budget.cancelledCalls() == 0 ? crossed.get() : crossed.get() + "; " + budget.account();
      return stop == OptimizationResult.Stop.BUDGET ? told : detail + ". " + told;
    }
    return stop == OptimizationResult.Stop.BUDGET ? withoutSpentSoFar(detail) + "; " + budget.account() : detail;
  }

  /** A refusal's message without the figure of its moment, which the closing account replaces. */
  private static String withoutSpentSoFar(String refusal) {
    int at = refusal.indexOf("; spent so far: ");
    return at < 0 ? refusal : refusal.substring(0, at);
  }

  private List<Candidate> accept(List<Proposal> proposals, int round) {
    List<Candidate> accepted = new ArrayList<>();
    Map<String, Integer> perParent = new HashMap<>();
    for (Proposal proposal : proposals) {
      String text = proposal.text().strip();
      Optional<String> violation = rules.violation(text);
      if (violation.isPresent()) {
        history.reject(new History.Rejection(round, proposal.parent(), proposal.origin(), violation.get(), text));
        continue;
      }
      if (!seenTexts.add(normalize(text))) {
        // nothing new to score, but said: a round whose every proposal repeats an earlier prompt explains its verdict
        history.reject(new History.Rejection(round, proposal.parent(), proposal.origin(), COPY, text));
        continue;
      }
      int count = perParent.merge(proposal.parent(), 1, Integer::sum);
      if (count > strategy.maxNewPerParent()) {
        history.reject(new History.Rejection(round, proposal.parent(), proposal.origin(),
            "over the expansion cap of this parent", text));
        continue;
      }
      Candidate candidate = Candidate.made(history.size(), text, Optional.of(proposal.parent()), proposal.origin(),
          proposal.rationale(), round);
      history.add(candidate);
      accepted.add(candidate);
    }
    return accepted;
  }

  /**
   * The next beam: the pool itself when small enough, otherwise a best-arm selection under the
   * evaluation budget, pulled in waves of up to the scoring concurrency.
   */
  private List<Candidate> select(List<Candidate> pool) {
    if (pool.size() <= options.beamSize()) {
      return pool;
    }
    List<Example> examples = splits.selection();
    // One shuffled order shared by every arm: candidates are compared on the same examples, and an
    // arm's successive pulls walk fresh, disjoint examples (APE's multi-stage filtering).
    List<Example> order = new ArrayList<>(examples);
    Collections.shuffle(order, random);
    int[] cursors = new int[pool.size()];
    ArmPull pull = arms -> trace.wave(() -> {
      List<CompletableFuture<List<ExampleResult>>> wave = new ArrayList<>(arms.size());
      for (int arm : arms) {
        Example example = order.get(cursors[arm]++ % examples.size());
        wave.add(scorer.evaluateAsync(pool.get(arm), List.of(example)));
      }
      return Async.join(Async.all(wave)).stream().map(r -> r.get(0).status() == ExampleResult.Status.PASSED).toList();
    });
    // Beyond every arm on every example, pulls only replay remembered results: they add no evidence.
    int selectionBudget = (int) Math.min(selectionBudget(pool.size()), (long) pool.size() * examples.size());
    List<Integer> kept = trace.task("best-arm selection", selectionBudget,
        () -> SelectionAlgorithm.valueOf(options.selection().name()).create()
        .select(pool.size(), options.beamSize(), selectionBudget, concurrency, pull, random));
    return kept.stream().map(pool::get).toList();
  }

  /**
   * Evaluations of one best-arm selection among {@code poolSize} candidates: {@code @Optimize(selectionBudget)} when
   * set, else half the selection split per candidate, scaled to what the caps leave room for
   * ({@link #fitSelectionTo}) but never below {@link #MIN_PULLS} pulls per candidate.
   */
  int selectionBudget(int poolSize) {
    if (options.selectionBudget() > 0) {
      return options.selectionBudget();
    }
    int full = poolSize * Math.max(1, (splits.selection().size() + 1) / 2);
    return (int) Math.min(full, Math.max((long) poolSize * MIN_PULLS, Math.round(full * selectionScale)));
  }

  /** Pulls per candidate a scaled selection keeps at least: one pull tells a candidate nothing. */
  static final int MIN_PULLS = 2;

  /** Scales the default selection budget by {@code scale} (in [0, 1]) so that the rounds fit the caps. */
  void fitSelectionTo(double scale) {
    this.selectionScale = Math.max(0.0, Math.min(1.0, scale));
  }

  /** Keeps {@code reserve} of the caps for the final held-out measurement of the best prompt. */
  void keepForHeldOut(Spend reserve) {
    this.keptForHeldOut = reserve;
  }

  /** Scores every candidate not yet measured on the whole selection split, in one concurrent batch. */
  private void measureSelection(String phase, List<Candidate> candidates) {
    List<Candidate> unmeasured = candidates.stream().filter(c -> history.scoresOf(c.id()).selection() == null).toList();
    if (unmeasured.isEmpty()) {
      return;
    }
    List<List<ExampleResult>> results = trace.task(phase, (long) unmeasured.size() * splits.selection().size(),
        () -> scorer.evaluateAll(unmeasured, splits.selection()));
    for (int i = 0; i < unmeasured.size(); i++) {
      double score = Scorer.fraction(results.get(i));
      history.score(unmeasured.get(i).id(), scores -> scores.withSelection(score));
    }
  }

  private void updateTrain(Candidate candidate) {
    scorer.knownScore(candidate, splits.train())
        .ifPresent(score -> history.score(candidate.id(), scores -> scores.withTrain(score)));
  }

  /** Measures held-out only for a prompt that passes the selection split, so the test split is not used to choose. */
  private boolean passesHeldOut(Candidate candidate) {
    History.Scores scores = history.scoresOf(candidate.id());
    if (scores.selection() == null || scores.selection() + 1e-9 < threshold) {
      return false;
    }
    double heldOut = scores.heldOut() != null ? scores.heldOut()
        : trace.task("held-out", splits.heldOut().size(), () -> scorer.score(candidate, splits.heldOut()));
    history.score(candidate.id(), known -> known.withHeldOut(heldOut));
    return heldOut + 1e-9 >= threshold;
  }

  private void measureHeldOutIfAffordable(Candidate candidate) {
    if (history.scoresOf(candidate.id()).heldOut() != null) {
      return;
    }
    try {
      double heldOut = trace.task("held-out", splits.heldOut().size(), () -> scorer.score(candidate, splits.heldOut()));
      history.score(candidate.id(), known -> known.withHeldOut(heldOut));
    } catch (BudgetExhaustedException e) {
      history.note("The held-out score of " + candidate.id() + " was not measured: " + e.getMessage());
    }
  }

  /** The full train score, for the train-vs-held-out gap; skipped (and noted) when the budget is spent. */
  private void measureTrainIfAffordable(Candidate candidate) {
    try {
      double train = trace.task("train", splits.train().size(), () -> scorer.score(candidate, splits.train()));
      history.score(candidate.id(), known -> known.withTrain(train));
    } catch (BudgetExhaustedException e) {
      history.note("The full train score of " + candidate.id() + " was not measured: " + e.getMessage());
    }
  }

  private List<Candidate> topBySelection(int n) {
    List<Candidate> measured = new ArrayList<>(history.candidates().stream()
        .filter(c -> history.scoresOf(c.id()).selection() != null).toList());
    measured.sort(ranking());
    return measured.subList(0, Math.min(n, measured.size()));
  }

  private Candidate bestOf(List<Candidate> candidates) {
    return candidates.stream().filter(c -> history.scoresOf(c.id()).selection() != null).min(ranking()).orElseThrow();
  }

  /** Best first: selection score, then train score, then earlier. */
  private Comparator<Candidate> ranking() {
    return Comparator.<Candidate>comparingDouble(c -> -orZero(history.scoresOf(c.id()).selection()))
        .thenComparingDouble(c -> -orZero(history.scoresOf(c.id()).train()))
        .thenComparingInt(Candidate::ordinal);
  }

  private boolean better(Candidate challenger, Candidate incumbent) {
    return ranking().compare(challenger, incumbent) < 0;
  }

  private static double orZero(Double value) {
    return value == null ? 0.0 : value;
  }

  static String normalize(String text) {
    return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
