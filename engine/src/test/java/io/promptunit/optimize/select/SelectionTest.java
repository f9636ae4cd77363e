package io.promptunit.optimize.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Best-arm selection on synthetic Bernoulli arms with fixed seeds: everything here is
 * deterministic, so a pass or failure reproduces exactly.
 */
class SelectionTest {

  private static final double[] MEANS = {0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8};

  /** Bernoulli arms; one independent, seeded outcome stream per arm. Counts and records pulls. */
  private static final class Arms implements ArmPull {
    final double[] rate;
    final SplittableRandom[] outcomes;
    final List<Integer> pulled = new ArrayList<>();
    final List<Integer> waves = new ArrayList<>();

    Arms(double[] rate, long seed) {
      this.rate = rate;
      SplittableRandom root = new SplittableRandom(seed);
      this.outcomes = new SplittableRandom[rate.length];
      for (int arm = 0; arm < rate.length; arm++) {
        outcomes[arm] = root.split();
      }
    }

    @Override
    public List<Boolean> pull(List<Integer> arms) {
      waves.add(arms.size());
      List<Boolean> outcomes = new ArrayList<>();
      for (int arm : arms) {
        outcomes.add(pull(arm));
      }
      return outcomes;
    }

    boolean pull(int arm) {
      assertThat(arm).as("pulled arm index").isBetween(0, rate.length - 1);
      pulled.add(arm);
      return outcomes[arm].nextDouble() < rate[arm];
    }
  }

  /** MEANS in a seed-dependent order; returns the rates and, in best[0], where the 0.8 arm went. */
  private static double[] shuffledMeans(long seed, int[] best) {
    double[] rates = MEANS.clone();
    Random shuffle = new Random(seed * 31 + 7);
    for (int i = rates.length - 1; i > 0; i--) {
      int j = shuffle.nextInt(i + 1);
      double swap = rates[i];
      rates[i] = rates[j];
      rates[j] = swap;
    }
    for (int arm = 0; arm < rates.length; arm++) {
      if (rates[arm] == 0.8) {
        best[0] = arm;
      }
    }
    return rates;
  }

  @ParameterizedTest
  @EnumSource(SelectionAlgorithm.class)
  void findsTheBestArmInAlmostEverySeededRunOneByOneAndInWaves(SelectionAlgorithm algorithm) {
    // 2000 pulls over 8 arms, gap 0.1 to the runner-up: generous (the benchmark puts brute force's
    // 95% point near 950), so every algorithm should be right far more often than 90 times in 100,
    // whether it pulls one arm at a time or a wave of 16 at once.
    for (int wave : new int[] {1, 16}) {
      int hits = 0;
      for (long seed = 1; seed <= 100; seed++) {
        int[] best = new int[1];
        Arms arms = new Arms(shuffledMeans(seed, best), seed);
        List<Integer> chosen = algorithm.create().select(MEANS.length, 1, 2000, wave, arms, new Random(seed));
        assertThat(chosen).hasSize(1);
        if (chosen.get(0) == best[0]) {
          hits++;
        }
      }
      assertThat(hits).as("%s with waves of %d found the best arm in %d of 100 runs", algorithm, wave, hits).isGreaterThanOrEqualTo(90);
    }
  }

  @ParameterizedTest
  @EnumSource(SelectionAlgorithm.class)
  void keepsTheBestArmAmongTheTopFour(SelectionAlgorithm algorithm) {
    int hits = 0;
    for (long seed = 1; seed <= 100; seed++) {
      int[] best = new int[1];
      Arms arms = new Arms(shuffledMeans(seed, best), seed);
      List<Integer> chosen = algorithm.create().select(MEANS.length, 4, 2000, 1, arms, new Random(seed));
      assertThat(chosen).hasSize(4).doesNotHaveDuplicates();
      if (chosen.contains(best[0])) {
        hits++;
      }
    }
    assertThat(hits).as("%s kept the best arm in %d of 100 runs", algorithm, hits).isGreaterThanOrEqualTo(95);
  }

  @ParameterizedTest
  @EnumSource(SelectionAlgorithm.class)
  void neverPullsMoreThanTheBudgetAndReturnsMinKArmsDistinct(SelectionAlgorithm algorithm) {
    for (int wave : new int[] {1, 3, 16}) {
      neverPullsMoreThanTheBudget(algorithm, wave);
    }
  }

  private static void neverPullsMoreThanTheBudget(SelectionAlgorithm algorithm, int wave) {
    int[] armCounts = {0, 1, 2, 3, 5, 8, 16, 33};
    long seed = 0;
    for (int armCount : armCounts) {
      int[] ks = {0, 1, 2, 4, Math.max(armCount - 1, 0), armCount, armCount + 3};
      int[] budgets = {0, 1, 2, 3, Math.max(armCount - 1, 0), armCount, armCount + 1, 2 * armCount,
          2 * armCount + 1, Math.max(3 * armCount - 1, 0), 10 * armCount + 7, 100, 257, 1000};
      for (int k : ks) {
        for (int budget : budgets) {
          seed++;
          double[] rates = new SplittableRandom(seed).doubles(armCount).toArray();
          Arms arms = new Arms(rates, seed);
          List<Integer> chosen = algorithm.create().select(armCount, k, budget, wave, arms, new Random(seed));
          String where = algorithm + " arms=" + armCount + " k=" + k + " budget=" + budget + " wave=" + wave;
          assertThat(arms.pulled.size()).as(where + ": pulls").isLessThanOrEqualTo(budget);
          if (algorithm == SelectionAlgorithm.UCB || algorithm == SelectionAlgorithm.UCB_E) {
            // after the first pull of every arm, the adaptive algorithms hand over at most a wave at once
            assertThat(arms.waves.subList(Math.min(1, arms.waves.size()), arms.waves.size())).as(where + ": waves")
                .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(wave));
          }
          assertThat(chosen).as(where + ": result")
              .hasSize(Math.min(k, armCount))
              .doesNotHaveDuplicates()
              .allSatisfy(arm -> assertThat(arm).isBetween(0, armCount - 1));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(SelectionAlgorithm.class)
  void sameSeedSameResultAndSamePulls(SelectionAlgorithm algorithm) {
    for (long seed = 1; seed <= 20; seed++) {
      int[] best = new int[1];
      double[] rates = shuffledMeans(seed, best);
      Arms first = new Arms(rates, seed);
      Arms second = new Arms(rates, seed);
      List<Integer> a = algorithm.create().select(8, 3, 300, 1, first, new Random(seed));
      List<Integer> b = algorithm.create().select(8, 3, 300, 1, second, new Random(seed));
      assertThat(b).isEqualTo(a);
      assertThat(second.pulled).isEqualTo(first.pulled);
    }
  }

  @ParameterizedTest
  @EnumSource(SelectionAlgorithm.class)
  void aWaveGivesTheSameResultWhateverOrderItsPullsFinishIn(SelectionAlgorithm algorithm) {
    for (long seed = 1; seed <= 20; seed++) {
      int[] best = new int[1];
      double[] rates = shuffledMeans(seed, best);
      Arms inOrder = new Arms(rates, seed);
      Arms reversed = new Arms(rates, seed);
      // the second caller evaluates each wave back to front, as threads finishing in another order would
      ArmPull backwards = arms -> {
        List<Boolean> outcomes = new ArrayList<>(java.util.Collections.nCopies(arms.size(), false));
        for (int i = arms.size() - 1; i >= 0; i--) {
          outcomes.set(i, reversed.pull((int) arms.get(i)));
        }
        return outcomes;
      };
      List<Integer> a = algorithm.create().select(8, 2, 400, 8, inOrder, new Random(seed));
      List<Integer> b = algorithm.create().select(8, 2, 400, 8, backwards, new Random(seed));
      assertThat(b).as("seed %d", seed).isEqualTo(a);
    }
  }

  @ParameterizedTest
  @EnumSource(SelectionAlgorithm.class)
  void budgetBelowArmCountPullsTheFirstArmsOnceAndRanksUnpulledLastByIndex(SelectionAlgorithm algorithm) {
    double[] rates = {0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0};
    Arms arms = new Arms(rates, 42);
    List<Integer> chosen = algorithm.create().select(7, 7, 3, 1, arms, new Random(42));
    assertThat(arms.pulled).containsExactly(0, 1, 2);
    // Arm 1 passed; arms 0 and 2 failed (lower index first); 3..6 were never pulled.
    assertThat(chosen).containsExactly(1, 0, 2, 3, 4, 5, 6);
  }

  @ParameterizedTest
  @EnumSource(SelectionAlgorithm.class)
  void kAtLeastArmsRanksEveryArmBestFirst(SelectionAlgorithm algorithm) {
    double[] rates = {0.0, 0.0, 1.0, 0.0, 0.0};
    for (int k : new int[] {5, 9}) {
      Arms arms = new Arms(rates, 7);
      List<Integer> chosen = algorithm.create().select(5, k, 100, 1, arms, new Random(7));
      assertThat(chosen).hasSize(5).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
      assertThat(chosen.get(0)).isEqualTo(2);
      assertThat(arms.pulled.size()).isLessThanOrEqualTo(100);
    }
  }

  @ParameterizedTest
  @EnumSource(SelectionAlgorithm.class)
  void nothingToChooseCostsNothing(SelectionAlgorithm algorithm) {
    Arms none = new Arms(new double[0], 1);
    assertThat(algorithm.create().select(0, 3, 100, 1, none, new Random(1))).isEmpty();
    Arms one = new Arms(new double[] {0.5}, 1);
    assertThat(algorithm.create().select(1, 3, 100, 1, one, new Random(1))).containsExactly(0);
    Arms some = new Arms(new double[] {0.5, 0.6}, 1);
    assertThat(algorithm.create().select(2, 0, 100, 1, some, new Random(1))).isEmpty();
    assertThat(none.pulled).isEmpty();
    assertThat(one.pulled).isEmpty();
    assertThat(some.pulled).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SelectionAlgorithm.class)
  void rejectsNegativeArguments(SelectionAlgorithm algorithm) {
    Selection selection = algorithm.create();
    ArmPull pull = ArmPull.oneByOne(arm -> true);
    assertThatThrownBy(() -> selection.select(-1, 1, 10, 1, pull, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> selection.select(3, -1, 10, 1, pull, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> selection.select(3, 1, -10, 1, pull, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(value = SelectionAlgorithm.class, names = {"UCB", "UCB_E", "SUCCESSIVE_REJECTS", "SUCCESSIVE_HALVING"})
  void adaptiveAlgorithmsSpendMoreOnLeadersThanAnEvenSplit(SelectionAlgorithm algorithm) {
    // Two strong arms, six hopeless ones: with an even split each arm would get 200 pulls. Adaptive
    // algorithms give each leader more than that and the hopeless arms less, together. (Single
    // hopeless arms may still reach 200: successive rejects and halving keep the best of them
    // around until the last phase.)
    double[] rates = {0.05, 0.05, 0.85, 0.05, 0.05, 0.8, 0.05, 0.05};
    Arms arms = new Arms(rates, 3);
    algorithm.create().select(8, 1, 1600, 1, arms, new Random(3));
    long hopeless = 0;
    for (int arm = 0; arm < 8; arm++) {
      int a = arm;
      long pulls = arms.pulled.stream().filter(p -> p == a).count();
      if (rates[arm] > 0.5) {
        assertThat(pulls).as("%s pulls on leader %d", algorithm, arm).isGreaterThan(200);
      } else {
        hopeless += pulls;
      }
    }
    assertThat(hopeless).as("%s pulls on the six hopeless arms", algorithm).isLessThan(6 * 200);
  }

  @ParameterizedTest
  @EnumSource(SelectionAlgorithm.class)
  void bruteForceSpendsEvenlyAndOthersUseTheirBudget(SelectionAlgorithm algorithm) {
    Arms arms = new Arms(MEANS, 11);
    algorithm.create().select(8, 2, 803, 1, arms, new Random(11));
    if (algorithm == SelectionAlgorithm.BRUTE_FORCE) {
      assertThat(arms.pulled).hasSize(800);
      IntStream.range(0, 8).forEach(arm ->
          assertThat(arms.pulled.stream().filter(p -> p == arm).count()).isEqualTo(100));
    } else {
      // Fixed-budget algorithms may leave rounding crumbs, never a sizeable part of the budget.
      assertThat(arms.pulled.size()).isBetween(803 - 8, 803);
    }
    assertThat(new HashSet<>(arms.pulled)).hasSize(8);
  }
}
