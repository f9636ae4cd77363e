package io.promptunit.benchmarks;

import io.promptunit.optimize.select.ArmPull;
import io.promptunit.optimize.select.Selection;
import io.promptunit.optimize.select.SelectionAlgorithm;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * How many evaluations each best-arm algorithm needs to find the best of K candidate prompts.
 *
 * <p>Candidates are simulated as Bernoulli arms (a pull passes with the arm's pass rate). For each
 * number of arms K and gap between the best and the second-best pass rate, and for each
 * {@link SelectionAlgorithm} with its defaults, the harness searches for the smallest budget at
 * which {@code select(K, 1, budget)} names the best arm in at least 95% of seeded trials: it
 * doubles the budget until the target is met, then bisects to within 1%. It prints a Markdown
 * table of the budgets found and the saving against brute force.
 *
 * <p>Reproducible: trial {@code t} of a (K, gap) cell always sees the same arm order and the same
 * outcome sequence per arm, whatever the algorithm and budget (common random numbers), so the
 * algorithms are compared on identical luck. Trials run in parallel; results do not depend on the
 * number of threads.
 *
 * <p>Arguments (optional): the number of trials per budget point (default 2000).
 */
public final class SelectionBenchmark {

  static final int[] ARMS = {4, 8, 16};
  static final double[] GAPS = {0.05, 0.10, 0.20};
  static final double BEST = 0.80;
  static final double LOWEST = 0.30;
  static final double TARGET = 0.95;
  static final int MAX_BUDGET = 1 << 24;

  /** Pulls handed to the selection at once (the scoring concurrency); 1 is the classic sequential algorithm. */
  static int wave = 1;

  private SelectionBenchmark() {}

  public static void main(String[] args) {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    wave = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    long started = System.nanoTime();
    SelectionAlgorithm[] algorithms = SelectionAlgorithm.values();
    List<String> rows = new ArrayList<>();
    for (int arms : ARMS) {
      for (double gap : GAPS) {
        double[] means = means(arms, gap);
        Map<SelectionAlgorithm, Integer> needed = new EnumMap<>(SelectionAlgorithm.class);
        for (SelectionAlgorithm algorithm : algorithms) {
          int budget = smallestBudget(algorithm.create(), means, trials, seed(arms, gap));
          needed.put(algorithm, budget);
          System.err.printf(Locale.ROOT, "K=%d gap=%.2f %-18s %d%n", arms, gap, algorithm, budget);
        }
        rows.add(row(arms, gap, needed));
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "Evaluations needed to name the best arm in >= %.0f%% of %d trials (k = 1; best pass rate %.2f,"
            + " second = best - gap, the rest evenly spaced from second - 0.05 down to %.2f; pulls in waves of %d).%n%n",
        TARGET * 100, trials, BEST, LOWEST, wave));
    StringBuilder header = new StringBuilder("| K | gap |");
    StringBuilder rule = new StringBuilder("|--:|----:|");
    for (SelectionAlgorithm algorithm : algorithms) {
      header.append(' ').append(algorithm).append(" |");
      rule.append("--:|");
      if (algorithm != SelectionAlgorithm.BRUTE_FORCE) {
        header.append(" saving |");
        rule.append("--:|");
      }
    }
    out.append(header).append('\n').append(rule).append('\n');
    rows.forEach(r -> out.append(r).append('\n'));
    out.append(String.format(Locale.ROOT, "%n(%d trials per budget point, %d threads, %.0f s)%n",
        trials, Runtime.getRuntime().availableProcessors(), seconds));
    System.out.print(out);
  }

  /** Pass rates: best, best - gap, then K - 2 arms evenly from (best - gap - 0.05) down to LOWEST. */
  static double[] means(int arms, double gap) {
    double[] means = new double[arms];
    means[0] = BEST;
    means[1] = BEST - gap;
    int rest = arms - 2;
    double top = BEST - gap - 0.05;
    for (int i = 0; i < rest; i++) {
      means[2 + i] = rest == 1 ? top : top - (top - LOWEST) * i / (rest - 1);
    }
    return means;
  }

  static long seed(int arms, double gap) {
    return 1_000_003L * arms + Math.round(gap * 1000);
  }

  /** Doubling, then bisection to within 1%: the smallest budget tested that met the target. */
  static int smallestBudget(Selection selection, double[] means, int trials, long seed) {
    int needed = (int) Math.ceil(TARGET * trials);
    int lo = 0; // largest budget known to miss the target
    int hi = means.length;
    while (successes(selection, means, hi, trials, seed) < needed) {
      lo = hi;
      if (hi >= MAX_BUDGET) {
        return -1;
      }
      hi *= 2;
    }
    while (hi - lo > Math.max(1, hi / 100)) {
      int mid = lo + (hi - lo) / 2;
      if (successes(selection, means, mid, trials, seed) >= needed) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /** In how many of the trials the best arm (pass rate means[0]) came out first. */
  static int successes(Selection selection, double[] means, int budget, int trials, long seed) {
    return (int) IntStream.range(0, trials).parallel()
        .filter(trial -> trial(selection, means, budget, seed * 7919 + trial))
        .count();
  }

  static boolean trial(Selection selection, double[] means, int budget, long trialSeed) {
    SplittableRandom root = new SplittableRandom(trialSeed);
    int arms = means.length;
    // position[i] = which arm index carries pass rate means[i]; shuffled so that index-based tie
    // breaking favours no particular pass rate.
    int[] position = IntStream.range(0, arms).toArray();
    for (int i = arms - 1; i > 0; i--) {
      int j = root.nextInt(i + 1);
      int swap = position[i];
      position[i] = position[j];
      position[j] = swap;
    }
    double[] rate = new double[arms];
    SplittableRandom[] outcomes = new SplittableRandom[arms];
    for (int i = 0; i < arms; i++) {
      rate[position[i]] = means[i];
    }
    for (int arm = 0; arm < arms; arm++) {
      outcomes[arm] = root.split();
    }
    ArmPull pull = ArmPull.oneByOne(arm -> outcomes[arm].nextDouble() < rate[arm]);
    List<Integer> chosen = selection.select(arms, 1, budget, wave, pull, new Random(trialSeed));
    return !chosen.isEmpty() && chosen.get(0) == position[0];
  }

  static String row(int arms, double gap, Map<SelectionAlgorithm, Integer> needed) {
    int brute = needed.get(SelectionAlgorithm.BRUTE_FORCE);
    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d | %.2f |", arms, gap));
    for (Map.Entry<SelectionAlgorithm, Integer> entry : needed.entrySet()) {
      int calls = entry.getValue();
      row.append(' ').append(calls < 0 ? "> " + MAX_BUDGET : String.valueOf(calls)).append(" |");
      if (entry.getKey() != SelectionAlgorithm.BRUTE_FORCE) {
        row.append(calls < 0 || brute < 0
            ? " n/a |"
            : String.format(Locale.ROOT, " %+.0f%% |", 100.0 * (brute - calls) / brute));
      }
    }
    return row.toString();
  }
}
