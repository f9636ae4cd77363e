package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import io.promptunit.eval.ScoringSession;
import io.promptunit.model.Budget;
import io.promptunit.model.ModelClient;
import io.promptunit.suite.Suite;
import java.util.Optional;

/**
 * An optimization run ready to start, usable from plain Java: the suite's session and the optimizer
 * model charged to one {@link Budget}, the loop built, and its {@link Estimate} known before
 * anything is spent.
 *
 * <pre>{@code
 * try (ScoringSession session = ScoringSession.builder(suite, task).concurrency(8).build()) {
 *   Optimization optimization = Optimization.prepare(session, options, Optional.of(optimizer));
 *   System.out.println(optimization.estimate().describe());
 *   OptimizationResult result = optimization.run((round, state) -> {});
 * }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Optimization {

  private final OptimizationLoop loop;
  private final Estimate estimate;
  private final Budget budget;
  private final boolean dryRun;

  private Optimization(OptimizationLoop loop, Estimate estimate, Budget budget, boolean dryRun) {
    this.loop = loop;
    this.estimate = estimate;
    this.budget = budget;
    this.dryRun = dryRun;
  }

  /**
   * @param session the suite's session; the optimization scores through it (its cassette, checks,
   *     concurrency and remembered results), with every call also charged to the optimization's budget
   * @param optimizer the optimizer model, unmetered (metered into the session's spend here); empty: the task model
   */
  public static Optimization prepare(ScoringSession session, OptimizeOptions options, Optional<ModelClient> optimizer) {
    return prepare(session, options, optimizer, false);
  }

  /**
   * As {@link #prepare(ScoringSession, OptimizeOptions, Optional)}; a dry run
   * ({@code promptunit.optimize.dry-run=true}) has its estimate, and {@link #run} spends nothing.
   */
  public static Optimization prepare(ScoringSession session, OptimizeOptions options, Optional<ModelClient> optimizer,
      boolean dryRun) {
    Budget budget = new Budget(options.caps());
    ScoringSession budgeted = session.budgeted(budget, session.outputCap().orElse(options.maxOutputTokens()));
    ModelClient optimizerClient = optimizer.map(session::client).orElse(session.taskModel());
    ModelClient budgetedOptimizer = ScoringSession.budgeted(optimizerClient, budget, session.prices(),
        options.maxOutputTokens());
    String task = session.taskModel().name();
    java.util.function.Function<OptimizeOptions, Optimization> build = current -> {
      OptimizationLoop loop = new OptimizationLoop(budgeted, current.strategy(), current, budgetedOptimizer, budget);
      double scale = Estimate.selectionScale(loop, current.strategy(), current, session, task, optimizerClient.name());
      loop.fitSelectionTo(scale);
      loop.keepForHeldOut(Estimate.heldOutReserve(loop, current, session, task));
      Estimate estimate = Estimate.of(loop, current.strategy(), current, session, task, optimizerClient.name(),
          fitNote(options, current, loop, scale));
      return new Optimization(loop, estimate, budget, dryRun);
    };
    Optimization fitted = build.apply(options);
    while (fitted.estimate.roundsWithinCaps() < options.rounds()) {
      Optimization before = fitted;
      fitted = smaller(options, before.loop).stream().map(build)
          .filter(o -> o.estimate.uncapped().calls() < before.estimate.uncapped().calls()).findFirst().orElse(before);
      if (fitted == before) {
        break;
      }
    }
    return fitted;
  }

  /** A minibatch shrinks to this at least when the caps cannot hold every round. */
  static final int MIN_MINIBATCH = 16;
  /** A beam shrinks to this at least. */
  static final int MIN_BEAM = 2;

  /**
   * Smaller sizes to try for a run whose likely spend does not fit its caps for every round: the train minibatch
   * halved (down to {@link #MIN_MINIBATCH}), else the beam one smaller (down to {@link #MIN_BEAM}), each only when
   * left at its default. A size that does not lower the strategy's likely spend is not taken.
   */
  private static java.util.List<OptimizeOptions> smaller(OptimizeOptions asked, OptimizationLoop loop) {
    OptimizeOptions current = loop.options();
    java.util.List<OptimizeOptions> tries = new java.util.ArrayList<>();
    int minibatch = Math.min(current.minibatchSize(), loop.splits().train().size());
    if (asked.fit().minibatch() && minibatch > MIN_MINIBATCH) {
      tries.add(current.fitted(Math.max(MIN_MINIBATCH, minibatch / 2), current.beamSize()));
    }
    if (asked.fit().beam() && current.beamSize() > MIN_BEAM) {
      tries.add(current.fitted(current.minibatchSize(), current.beamSize() - 1));
    }
    return tries;
  }

  /** What was made smaller to fit the caps, in words; empty when nothing was. */
  private static String fitNote(OptimizeOptions asked, OptimizeOptions current, OptimizationLoop loop,
      double selectionScale) {
    java.util.List<String> changes = new java.util.ArrayList<>();
    if (current.minibatchSize() != asked.minibatchSize()) {
      changes.add("minibatches of " + current.minibatchSize() + " train examples (default "
          + Math.min(asked.minibatchSize(), loop.splits().train().size()) + ")");
    }
    if (current.beamSize() != asked.beamSize()) {
      changes.add("a beam of " + current.beamSize() + " (default " + asked.beamSize() + ")");
    }
    if (selectionScale < 1.0 && asked.selectionBudget() <= 0 && !current.strategy().scoresEveryCandidate()) {
      changes.add(String.format(java.util.Locale.ROOT, "best-arm selections at %.0f%% of their default budget"
          + " (at least %d pulls a candidate)", selectionScale * 100, OptimizationLoop.MIN_PULLS));
    }
    return changes.isEmpty() ? "" : "to fit the caps: " + String.join(", ", changes);
  }

  public Estimate estimate() {
    return estimate;
  }

  public Splits splits() {
    return loop.splits();
  }

  public Budget budget() {
    return budget;
  }

  /**
   * Why there is nothing to optimize, when the suite run's answers show the checked-in prompt passing the suite on
   * the selection and held-out examples (e.g. {@code The checked-in prompt already passes the suite (dev 100%,
   * held-out test 100%) ...}): callers then say so and spend nothing, no estimate needed.
   */
  public Optional<String> alreadyPasses() {
    return loop.originalKnownToPass().map(scores -> "The checked-in prompt already passes the suite (" + scores
        + ", from the suite run's answers): nothing to optimize, nothing spent, nothing to apply");
  }

  /** Whether this is a dry run: {@link #run} spends nothing. */
  public boolean dryRun() {
    return dryRun;
  }

  /**
   * Runs the optimization.
   *
   * @throws IllegalStateException in a dry run, with the estimate: nothing is spent
   */
  public OptimizationResult run(RoundListener listener) {
    if (dryRun) {
      throw new IllegalStateException("Dry run (" + io.promptunit.config.Keys.OPTIMIZE_DRY_RUN
          + "=true): the optimization spent nothing. "
          + estimate.describe());
    }
    return loop.run(listener);
  }
}
