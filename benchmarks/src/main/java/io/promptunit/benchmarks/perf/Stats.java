package io.promptunit.benchmarks.perf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, min and max of a few samples. */
record Stats(double median, double min, double max, int n) {

  static Stats of(List<? extends Number> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Double> sorted = new ArrayList<>();
    values.forEach(v -> sorted.add(v.doubleValue()));
    Collections.sort(sorted);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
  }
}
