package io.promptunit.optimize.select;

import java.util.List;
import java.util.Random;

/**
 * The baseline: every arm gets the same number of pulls, {@code budget / arms} (integer division,
 * so up to {@code arms - 1} calls of the budget stay unspent and every candidate is judged on the
 * same amount of evidence), and the {@code k} arms with the highest pass rate are kept. This is
 * "score every candidate on the same sample" from the ProTeGi paper, the reference the adaptive
 * algorithms must beat. When the budget is smaller than the number of arms, arms 0, 1, ... are
 * pulled once each while the budget lasts and the rest rank last, in index order.
 *
 * <p>Deterministic given the pull outcomes; the {@code Random} is not used.
 */
final class BruteForce implements Selection {

  @Override
  public List<Integer> select(int arms, int k, int budget, int wave, ArmPull pull, Random random) {
    return ArmStats.select(arms, k, budget, wave, pull, random, stats -> {
      int each = budget / arms;
      if (each == 0) {
        stats.pullEachOnce();
      } else {
        stats.pullEach(ArmStats.allArms(arms), each);
      }
      return stats.top(k);
    });
  }

  @Override
  public String toString() {
    return "BruteForce";
  }
}
