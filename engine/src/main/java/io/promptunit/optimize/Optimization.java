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
    Suite suite = session.suite();
    ScoringSession budgeted = session.budgeted(budget, session.outputCap().orElse(options.maxOutputTokens()));
    ModelClient optimizerClient = optimizer.map(session::client).orElse(session.taskModel());
    ModelClient budgetedOptimizer = ScoringSession.budgeted(optimizerClient, budget, session.prices(),
        options.maxOutputTokens());
    PromptStrategy strategy = options.strategy();
    OptimizationLoop loop = new OptimizationLoop(budgeted, strategy, options, budgetedOptimizer, budget);
    loop.fitSelectionTo(Estimate.selectionScale(loop, strategy, options, session, session.taskModel().name(),
        optimizerClient.name()));
    loop.keepForHeldOut(Estimate.heldOutReserve(loop, options, session, session.taskModel().name()));
    Estimate estimate = Estimate.of(loop, strategy, options, session, session.taskModel().name(),
        optimizerClient.name());
    return new Optimization(loop, estimate, budget, dryRun);
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
