package io.promptunit.optimize.select;

import java.util.List;
import java.util.Random;

/**
 * Upper confidence bounds in the style of UCB1 (Auer, Cesa-Bianchi and Fischer, 2002), used as a
 * best-arm identifier the way the ProTeGi paper does. Every arm is pulled once (in index order,
 * while the budget lasts); after that each pull goes to the arm whose optimistic score
 * {@code mean + c * sqrt(ln t / n)} is highest, where {@code t} is the number of pulls made so far
 * and {@code n} the arm's own pull count. Arms that look good, or that have been tried too rarely
 * to be ruled out, keep being evaluated; clearly bad arms stop costing calls. When the budget is
 * spent the {@code k} arms with the highest empirical mean are kept (ties: more pulls first, then
 * lower index). Ties in the optimistic score go to the lower index. Pulls go out in waves (see
 * {@link ArmStats#pullHighestIndexUntilSpent}): batched UCB, identical to UCB1 for a wave of 1.
 *
 * <p>The exploration constant {@code c} defaults to {@value #DEFAULT_C}, the low end of the 1 to 2
 * that ProTeGi suggests (UCB1's textbook bonus {@code sqrt(2 ln t / n)} is {@code c = 1.41}).
 * Pass rates lie in [0, 1], so one pull's standard deviation is at most 0.5, while
 * {@code sqrt(ln t)} is already 2.5 to 3 for budgets of a few hundred to a few thousand: with
 * {@code c = 1} the bonus is still several standard errors wide, and a larger {@code c} mostly
 * spends budget re-checking arms that are already out of the race. On our synthetic benchmark
 * (benchmarks/README.md) {@code c = 1.41} and {@code c = 2} needed more evaluations than
 * {@code c = 1}, and {@code c = 0.7} somewhat fewer; we keep 1 rather than tune to synthetic data.
 * Larger values move UCB toward {@link BruteForce}.
 *
 * <p>Deterministic given the pull outcomes; the {@code Random} is not used.
 */
final class Ucb implements Selection {

  /** Default exploration constant. */
  public static final double DEFAULT_C = 1.0;

  private final double c;

  public Ucb() {
    this(DEFAULT_C);
  }

  /** @param c exploration constant, {@code >= 0} (0 is pure greedy after the first round). */
  public Ucb(double c) {
    if (!(c >= 0) || Double.isInfinite(c)) {
      throw new IllegalArgumentException("c must be a finite number >= 0, got " + c);
    }
    this.c = c;
  }

  public double c() {
    return c;
  }

  @Override
  public List<Integer> select(int arms, int k, int budget, int wave, ArmPull pull, Random random) {
    return ArmStats.select(arms, k, budget, wave, pull, random, stats -> {
      stats.pullEachOnce();
      stats.pullHighestIndexUntilSpent((mean, pulls, total) -> mean + c * Math.sqrt(Math.log(total) / pulls));
      return stats.top(k);
    });
  }

  @Override
  public String toString() {
    return "Ucb(c=" + c + ")";
  }
}
