package io.promptunit.eval;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.Example;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Evaluates the suite's prompt on a list of examples through a {@link ScoringSession} — at most the
 * session's concurrency at a time — while the caller collects the results one by one, in any order.
 * Only a window of examples ahead of the caller (thousands: wide enough that an example waiting out
 * retries does not idle the other workers) is in flight or buffered, so memory stays bounded however
 * long the suite is (unless the session remembers results for an optimization).
 */
@API(status = INTERNAL, since = "0.1")
public final class SuiteRun {

  private final ScoringSession session;
  private final String prompt;
  private final List<Example> examples;
  private final Map<String, Integer> positions = new HashMap<>();
  private final Map<Integer, CompletableFuture<ExampleResult>> pending = new HashMap<>();
  private final int window;
  private int submitted;

  private final AtomicLong passed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  public SuiteRun(ScoringSession session, List<Example> examples) {
    this.session = session;
    this.prompt = session.suite().prompt().text();
    this.examples = List.copyOf(examples);
    for (int i = 0; i < this.examples.size(); i++) {
      positions.put(this.examples.get(i).id(), i);
    }
    // How far ahead of the collector examples are submitted. A window of a few times the concurrency
    // kept memory tiny but let one example that waits out retries (seconds of backoff) hold back
    // every other worker; a few thousand finished results wait for the collector instead (a few MB).
    this.window = Math.max(session.concurrency() * 256, 4096);
  }

  /**
   * Submits the first examples (a window's worth) now rather than when the first result is asked for, so that this
   * run proceeds while the caller waits for another's.
   */
  public synchronized void start() {
    submitBefore(window);
  }

  /**
   * Submits every example now, however many: for runs whose results are collected only after another run's (the
   * models of a suite side by side, reported one model after another), so that they proceed together. Their finished
   * results wait for the collector: memory grows with the number of examples.
   */
  public synchronized void startAll() {
    submitBefore(examples.size());
  }

  /** Submits the examples not yet submitted whose position is below {@code end}. */
  private void submitBefore(int end) {
    while (submitted < examples.size() && submitted < end) {
      int index = submitted++;
      pending.put(index, session.evaluate(prompt, examples.get(index)));
    }
  }

  /** The result of {@code example}, waiting for it if needed. Each example may be collected once. */
  public synchronized ExampleResult await(Example example) throws InterruptedException {
    Integer position = positions.get(example.id());
    if (position == null) {
      throw new IllegalArgumentException("example " + example.id() + " is not part of this run");
    }
    submitBefore(position + window + 1);
    CompletableFuture<ExampleResult> future = pending.remove(position);
    if (future == null) {
      throw new IllegalStateException("example " + example.id() + " was already collected");
    }
    ExampleResult result;
    try {
      result = future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
    switch (result.status()) {
      case PASSED:
        passed.incrementAndGet();
        break;
      case FAILED:
        failed.incrementAndGet();
        break;
      default:
        errors.incrementAndGet();
    }
    return result;
  }

  public io.promptunit.suite.Suite suite() {
    return session.suite();
  }

  public Tally tally() {
    return new Tally(passed.get(), failed.get(), errors.get());
  }

  /** Counts of collected results. Errors count as not passed. */
  public record Tally(long passed, long failed, long errors) {

    public long total() {
      return passed + failed + errors;
    }

    public double passRate() {
      return total() == 0 ? 1.0 : (double) passed / total();
    }
  }
}
