package io.promptunit.optimize.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.function.IntToDoubleFunction;

/**
 * Per-arm bookkeeping shared by the selection algorithms: how often each arm was pulled, how often
 * it passed, and how many elimination rounds it survived. It also owns the budget: {@link #tryPull}
 * refuses to call the user's {@link ArmPull} once {@code budget} calls were made, so no algorithm
 * can overspend even if its schedule arithmetic is off by one.
 *
 * <p>Ranking order (best first), used by every algorithm:
 * <ol>
 *   <li>arms pulled at least once before arms never pulled;
 *   <li>arms that survived more elimination rounds first (only elimination algorithms use rounds);
 *   <li>higher empirical mean (compared exactly as fractions, no floating-point ties);
 *   <li>more pulls (the same mean on more evidence is more trustworthy);
 *   <li>lower index.
 * </ol>
 * So unpulled arms always come last, in index order, and the order is fully deterministic.
 */
final class ArmStats {

  private final ArmPull pull;
  private final int budget;
  private final int wave;
  private final int[] pulls;
  private final int[] wins;
  private final int[] rounds;
  private int used;

  /** Negative when {@code a} ranks before {@code b}. */
  private int compare(int a, int b) {
    boolean pa = pulls[a] > 0;
    boolean pb = pulls[b] > 0;
    if (pa != pb) {
      return pa ? -1 : 1;
    }
    if (rounds[a] != rounds[b]) {
      return Integer.compare(rounds[b], rounds[a]);
    }
    // wins[a]/pulls[a] vs wins[b]/pulls[b] without division; an unpulled arm counts as mean 0.
    long left = (long) wins[a] * Math.max(pulls[b], 1);
    long right = (long) wins[b] * Math.max(pulls[a], 1);
    if (left != right) {
      return left > right ? -1 : 1;
    }
    if (pulls[a] != pulls[b]) {
      return Integer.compare(pulls[b], pulls[a]);
    }
    return Integer.compare(a, b);
  }

  ArmStats(int arms, int budget, int wave, ArmPull pull) {
    this.pull = pull;
    this.budget = budget;
    this.wave = wave;
    this.pulls = new int[arms];
    this.wins = new int[arms];
    this.rounds = new int[arms];
  }

  /**
   * What every selection does first: validate the arguments, answer the trivial cases without
   * spending anything, and otherwise run {@code algorithm} on fresh statistics that enforce the budget.
   */
  static List<Integer> select(int arms, int k, int budget, int wave, ArmPull pull, Random random,
      Function<ArmStats, List<Integer>> algorithm) {
    check(arms, k, budget, wave, pull, random);
    List<Integer> trivial = trivial(arms, k);
    return trivial != null ? trivial : algorithm.apply(new ArmStats(arms, budget, wave, pull));
  }

  /** Validates the arguments of {@link Selection#select}. */
  private static void check(int arms, int k, int budget, int wave, ArmPull pull, Random random) {
    if (arms < 0 || k < 0 || budget < 0) {
      throw new IllegalArgumentException(
          "arms, k and budget must be >= 0 (got arms=" + arms + ", k=" + k + ", budget=" + budget + ")");
    }
    if (wave < 1) {
      throw new IllegalArgumentException("wave must be >= 1 (got " + wave + ")");
    }
    Objects.requireNonNull(pull, "pull");
    Objects.requireNonNull(random, "random");
  }

  /**
   * The answer when there is nothing to choose, without spending anything: no arms or k == 0 gives
   * the empty list, a single arm gives [0]. Returns null when the algorithm has work to do.
   */
  private static List<Integer> trivial(int arms, int k) {
    if (arms == 0 || k == 0) {
      return List.of();
    }
    if (arms == 1) {
      return List.of(0);
    }
    return null;
  }

  int arms() {
    return pulls.length;
  }

  int used() {
    return used;
  }

  int remaining() {
    return budget - used;
  }

  /**
   * Pulls the listed arms (an arm may appear several times) in one batch, cut to the budget that is
   * left; the caller may evaluate the batch concurrently. Statistics are updated in list order, so
   * the outcome does not depend on which pull finished first.
   */
  private void pullBatch(List<Integer> arms) {
    List<Integer> all = arms.subList(0, Math.min(arms.size(), remaining()));
    // never more than a wave at once (the caller sized it to what it can evaluate concurrently)
    for (int from = 0; from < all.size(); from += wave) {
      pullWave(all.subList(from, Math.min(all.size(), from + wave)));
    }
  }

  private void pullWave(List<Integer> batch) {
    if (batch.isEmpty()) {
      return;
    }
    used += batch.size();
    List<Boolean> passed = pull.pull(List.copyOf(batch));
    if (passed.size() != batch.size()) {
      throw new IllegalStateException("ArmPull returned " + passed.size() + " outcomes for " + batch.size() + " pulls");
    }
    for (int i = 0; i < batch.size(); i++) {
      int arm = batch.get(i);
      pulls[arm]++;
      if (passed.get(i)) {
        wins[arm]++;
      }
    }
  }

  /**
   * Pulls each arm of {@code among} {@code times} times, round-robin, stopping when the budget ends.
   * The schedule does not depend on outcomes, so it goes out in full waves.
   */
  void pullEach(List<Integer> among, int times) {
    List<Integer> schedule = new ArrayList<>();
    for (int t = 0; t < times && schedule.size() < remaining(); t++) {
      schedule.addAll(among);
    }
    pullBatch(schedule);
  }

  /** Pulls arms 0, 1, 2, ... once each for as long as the budget lasts, in full waves. */
  void pullEachOnce() {
    pullBatch(allArms(arms()));
  }

  /**
   * Spends the rest of the budget on the arms with the highest index, as the upper-confidence-bound
   * algorithms do, in waves of up to {@code wave} pulls. Within a wave each pull goes to the arm
   * with the highest index, ties to the lowest arm; pulls already planned for the wave count as
   * pulls whose outcome equals the arm's mean so far (its mean is unchanged, its count and the total
   * grow), so a wave spreads over the contenders instead of piling onto one arm. With a wave of 1
   * this is the classic one-pull-at-a-time rule.
   */
  void pullHighestIndexUntilSpent(Index index) {
    int[] pending = new int[arms()];
    while (remaining() > 0) {
      java.util.Arrays.fill(pending, 0);
      int size = Math.min(wave, remaining());
      List<Integer> batch = new ArrayList<>(size);
      for (int p = 0; p < size; p++) {
        int best = 0;
        double bestIndex = Double.NEGATIVE_INFINITY;
        for (int arm = 0; arm < arms(); arm++) {
          double value = index.of(mean(arm), pulls[arm] + pending[arm], used + p);
          if (value > bestIndex) {
            bestIndex = value;
            best = arm;
          }
        }
        pending[best]++;
        batch.add(best);
      }
      pullBatch(batch);
    }
  }

  /** An optimistic index from an arm's mean, its pull count (planned pulls included) and the pulls made in all. */
  @FunctionalInterface
  interface Index {
    double of(double mean, int pulls, int total);
  }

  int pulls(int arm) {
    return pulls[arm];
  }

  /** Empirical pass rate; 0 for an arm never pulled. */
  double mean(int arm) {
    return pulls[arm] == 0 ? 0.0 : (double) wins[arm] / pulls[arm];
  }

  /** Marks that {@code arm} survived one more elimination round. */
  void survived(int arm) {
    rounds[arm]++;
  }

  /** {@code among} sorted best first (see the class comment for the order). */
  List<Integer> sorted(List<Integer> among) {
    List<Integer> copy = new ArrayList<>(among);
    copy.sort((Comparator<Integer>) this::compare);
    return copy;
  }

  /** All arms ranked best first, cut to the first {@code k}. */
  List<Integer> top(int k) {
    List<Integer> ranked = sorted(allArms(arms()));
    return List.copyOf(ranked.subList(0, Math.min(k, ranked.size())));
  }

  /** [0, 1, ..., arms - 1] as a mutable list. */
  static List<Integer> allArms(int arms) {
    List<Integer> all = new ArrayList<>(arms);
    for (int arm = 0; arm < arms; arm++) {
      all.add(arm);
    }
    return all;
  }
}
