package io.promptunit.optimize.select;

import java.util.List;
import java.util.Random;

/**
 * UCB-E, the fixed-budget best-arm algorithm of Audibert, Bubeck and Munos ("Best arm
 * identification in multi-armed bandits", COLT 2010). Like {@link Ucb} it pulls the arm with the
 * highest optimistic score, but the bonus is {@code sqrt(a / n)}: it does not grow with time,
 * because the goal is to name the best arm when the budget runs out, not to collect rewards along
 * the way. Every arm is pulled once first (index order, while the budget lasts); at the end the
 * {@code k} arms with the highest empirical mean are kept (ties: more pulls, then lower index).
 *
 * <p>Choosing {@code a}. The paper's guarantee holds for {@code a} up to
 * {@code (25/36) (n - K) / H1}, where {@code n} is the budget, {@code K} the number of arms and
 * {@code H1 = sum over arms of 1 / gap^2} measures how hard the problem is; larger {@code a} means
 * more exploration (in the limit, round-robin), smaller {@code a} means greedier play. {@code H1}
 * is unknown before anything is evaluated, so the default replaces it with {@code K / g^2}, the
 * hardness of {@code K} arms that each trail the best by an assumed gap {@code g}:
 * {@code a = (25/36) (n - K) g^2 / K}. With the default {@code g = }{@value #DEFAULT_ASSUMED_GAP}
 * this is exactly {@code a = (n - K) / (16 K)}: after an arm has had its even share
 * {@code (n - K) / K} of pulls its bonus is 0.25. Why 0.3 and not a "typical" gap such as 0.1:
 * the paper's constant comes from a worst-case bound and is cautious; on our synthetic benchmark
 * (benchmarks/README.md, 4 to 16 arms, gaps 0.05 to 0.2) {@code g = 0.1} explored so much that it
 * needed more evaluations than brute force in most settings, while {@code g} between 0.25 and 0.35
 * did about as well as {@link Ucb}. Because {@code a} grows with the budget, a larger budget always
 * buys more exploration, so the algorithm cannot lock onto a bad arm forever the way a small fixed
 * {@code a} can. Use {@link #withAssumedGap} to tune for a different gap or {@link #withA} to fix
 * {@code a} outright.
 *
 * <p>Deterministic given the pull outcomes; the {@code Random} is not used.
 */
final class UcbE implements Selection {

  /** Default assumed gap (difference in pass rate to the best arm) behind the exploration parameter. */
  public static final double DEFAULT_ASSUMED_GAP = 0.3;

  private final double assumedGap; // used when a is NaN
  private final double a;

  private UcbE(double assumedGap, double a) {
    this.assumedGap = assumedGap;
    this.a = a;
  }

  /** Exploration derived from the budget with the default assumed gap. */
  public UcbE() {
    this(DEFAULT_ASSUMED_GAP, Double.NaN);
  }

  /** Exploration derived from the budget, tuned for arms trailing the best by {@code gap}. */
  public static UcbE withAssumedGap(double gap) {
    if (!(gap > 0 && gap <= 1)) {
      throw new IllegalArgumentException("gap must be in (0, 1], got " + gap);
    }
    return new UcbE(gap, Double.NaN);
  }

  /** A fixed exploration parameter, independent of budget and arms. */
  public static UcbE withA(double a) {
    if (!(a >= 0) || Double.isInfinite(a)) {
      throw new IllegalArgumentException("a must be a finite number >= 0, got " + a);
    }
    return new UcbE(Double.NaN, a);
  }

  /** The exploration parameter used for a run with this many arms and this budget. */
  public double a(int arms, int budget) {
    if (!Double.isNaN(a)) {
      return a;
    }
    return 25.0 / 36.0 * Math.max(0, budget - arms) * assumedGap * assumedGap / Math.max(arms, 1);
  }

  @Override
  public List<Integer> select(int arms, int k, int budget, int wave, ArmPull pull, Random random) {
    return ArmStats.select(arms, k, budget, wave, pull, random, stats -> {
      double exploration = a(arms, budget);
      stats.pullEachOnce();
      stats.pullHighestIndexUntilSpent((mean, pulls, total) -> mean + Math.sqrt(exploration / pulls));
      return stats.top(k);
    });
  }

  @Override
  public String toString() {
    return Double.isNaN(a) ? "UcbE(gap=" + assumedGap + ")" : "UcbE(a=" + a + ")";
  }
}
