package io.promptunit.optimize;

import io.promptunit.model.Budget;
import io.promptunit.model.Spend;
import java.util.function.Supplier;

/**
 * Records the run's phases into the history (calls, critical-path levels, wall time) and knows
 * which phase is running, for progress lines while a long phase runs. Phases run one after another
 * on the loop's thread; the calls inside a phase run concurrently.
 */
final class Trace {

  /** A phase under way. */
  record Current(int round, String phase, String kind, long planned, Spend atStart, long startNanos) {}

  private final History history;
  private final Budget budget;
  private final int concurrency;
  private final int metaConcurrency;
  private volatile Current current;
  private volatile int round;
  private long waveLevels = -1;

  Trace(History history, Budget budget, int concurrency, int metaConcurrency) {
    this.history = history;
    this.budget = budget;
    this.concurrency = concurrency;
    this.metaConcurrency = metaConcurrency;
  }

  void round(int round) {
    this.round = round;
  }

  Current current() {
    return current;
  }

  /** A phase of scoring calls made in one concurrent batch (or in waves counted with {@link #wave}). */
  <T> T task(String phase, long planned, Supplier<T> work) {
    return run(phase, "task", planned, 1, work);
  }

  /** A phase of optimizer calls in concurrent chains {@code depth} calls long. */
  <T> T meta(String phase, int depth, long planned, Supplier<T> work) {
    return run(phase, "optimizer", planned, depth, work);
  }

  /** Inside a task phase: one wave of calls that depends on the outcomes of the waves before it. */
  <T> T wave(Supplier<T> work) {
    long before = budget.spent().calls();
    try {
      return work.get();
    } finally {
      long calls = budget.spent().calls() - before;
      synchronized (this) {
        waveLevels = Math.max(waveLevels, 0) + ceil(calls, concurrency);
      }
    }
  }

  private <T> T run(String phase, String kind, long planned, int depth, Supplier<T> work) {
    Current started = new Current(round, phase, kind, planned, budget.spent(), System.nanoTime());
    Current outer = current;
    current = started;
    synchronized (this) {
      waveLevels = -1;
    }
    try {
      return work.get();
    } finally {
      current = outer;
      long calls = budget.spent().calls() - started.atStart().calls();
      long levels;
      synchronized (this) {
        levels = waveLevels >= 0 ? waveLevels
            : kind.equals("task") ? ceil(calls, concurrency)
            : calls == 0 ? 0 : Math.max(depth, ceil(calls, metaConcurrency));
        waveLevels = -1;
      }
      if (calls > 0) {
        history.step(new History.Step(started.round(), phase, kind, calls, levels,
            (System.nanoTime() - started.startNanos()) / 1_000_000));
      }
    }
  }

  private static long ceil(long calls, int per) {
    return (calls + per - 1) / per;
  }
}
