package io.promptunit.optimize.select;

import java.util.List;
import java.util.Random;

/**
 * Sequential (successive) halving (Karnin, Koren and Somekh, "Almost optimal exploration in
 * multi-armed bandits", ICML 2013), generalised to keep {@code k} arms. There are
 * {@code R = ceil(log2(K / k))} rounds. Each round gets an equal share of the budget that is still
 * unspent ({@code remaining / rounds left}, so rounding leftovers roll forward), split evenly over
 * the surviving arms; then the better half of the survivors (rounded up, never fewer than
 * {@code k}) goes on to the next round. After {@code R} rounds exactly {@code k} arms remain.
 * Survivors are compared on all of their pulls so far rather than only the current round's
 * (a common practical variant: more evidence for the same cost).
 *
 * <p>When {@code k >= arms} the rounds run down to a single arm and the result is the winner
 * followed by the arms dropped in later rounds before those dropped earlier. When a round's share
 * is less than one pull per survivor, each survivor still gets one pull while the budget lasts;
 * when the whole budget is below the number of arms, arms 0, 1, ... are pulled once each while it
 * lasts and ranked by mean, unpulled arms last. The budget cap is enforced regardless.
 *
 * <p>Deterministic given the pull outcomes; the {@code Random} is not used.
 */
final class SuccessiveHalving implements Selection {

  @Override
  public List<Integer> select(int arms, int k, int budget, int wave, ArmPull pull, Random random) {
    return ArmStats.select(arms, k, budget, wave, pull, random, stats -> {
      if (budget < arms) {
        stats.pullEachOnce();
        return stats.top(k);
      }
      int keep = k < arms ? k : 1;
      int rounds = 0;
      for (long reach = keep; reach < arms; reach *= 2) {
        rounds++;
      }
      List<Integer> survivors = ArmStats.allArms(arms);
      for (int round = 0; round < rounds; round++) {
        int each = stats.remaining() / ((rounds - round) * survivors.size());
        stats.pullEach(survivors, Math.max(each, 1));
        List<Integer> ranked = stats.sorted(survivors);
        survivors = ranked.subList(0, Math.max(keep, (ranked.size() + 1) / 2));
        survivors.forEach(stats::survived);
      }
      return stats.top(k);
    });
  }

  @Override
  public String toString() {
    return "SuccessiveHalving";
  }
}
