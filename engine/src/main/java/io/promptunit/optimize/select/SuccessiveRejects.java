package io.promptunit.optimize.select;

import java.util.List;
import java.util.Random;

/**
 * Successive rejects (Audibert and Bubeck, "Best arm identification in multi-armed bandits",
 * COLT 2010), generalised from "keep the best arm" to "keep the best {@code k}". The budget is cut
 * into {@code K - k} phases. In each phase every surviving arm is topped up to the same number of
 * pulls {@code n_j}, then the arm with the lowest empirical mean is dropped. Early phases are
 * cheap per arm because many arms are still in play; the arms that survive to the end, where the
 * close calls are, get the most evidence.
 *
 * <p>Schedule: {@code n_j = ceil((n - K) / (L * (K + 1 - j)))} for phase {@code j = 1 .. K - k},
 * with {@code L = k / (k + 1) + sum_{i = k+1..K} 1/i}. For {@code k = 1} this is the paper's
 * {@code log-bar(K) = 1/2 + sum_{i=2..K} 1/i}; the general {@code L} is what makes the total
 * {@code sum_j n_j + k * n_{K-k}} come out at most {@code n}, just as in the paper (each ceiling
 * adds at most one pull per term, which the {@code - K} absorbs). Every phase gives each arm at
 * least one pull in total, so no arm is rejected unseen; the budget cap is enforced regardless.
 *
 * <p>When {@code k >= arms} the caller wants everything ranked, so the phases run down to a single
 * survivor and the result is the survivor followed by the rejected arms, last rejected first.
 * When the budget is below the number of arms, arms 0, 1, ... are pulled once each while it lasts
 * and ranked by mean, unpulled arms last. Ties (equal means on equal pulls) drop the higher index.
 *
 * <p>Deterministic given the pull outcomes; the {@code Random} is not used.
 */
final class SuccessiveRejects implements Selection {

  @Override
  public List<Integer> select(int arms, int k, int budget, int wave, ArmPull pull, Random random) {
    return ArmStats.select(arms, k, budget, wave, pull, random, stats -> {
      if (budget < arms) {
        stats.pullEachOnce();
        return stats.top(k);
      }
      int keep = k < arms ? k : 1;
      double logBar = (double) keep / (keep + 1);
      for (int i = keep + 1; i <= arms; i++) {
        logBar += 1.0 / i;
      }
      List<Integer> survivors = ArmStats.allArms(arms);
      int previous = 0;
      for (int phase = 1; phase <= arms - keep; phase++) {
        int target = (int) Math.ceil((budget - arms) / (logBar * (arms + 1 - phase)));
        target = Math.max(target, 1);
        if (target > previous) {
          stats.pullEach(survivors, target - previous);
          previous = target;
        }
        List<Integer> ranked = stats.sorted(survivors);
        survivors = ranked.subList(0, ranked.size() - 1);
        survivors.forEach(stats::survived);
      }
      return stats.top(k);
    });
  }

  @Override
  public String toString() {
    return "SuccessiveRejects";
  }
}
