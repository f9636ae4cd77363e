package io.promptunit.benchmarks.perf;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;

/** Runs one test class through the JUnit Platform launcher with one engine, timing discovery and execution. */
final class Launches {

  private Launches() {}

  /** What one launch took and what it reported. Times in nanoseconds. */
  record Outcome(long totalNanos, long discoveryNanos, long executionNanos, long succeeded, long failed, long aborted,
      Map<String, String> suiteEntries, String firstProblem) {

    double totalMillis() {
      return totalNanos / 1e6;
    }

    double discoveryMillis() {
      return discoveryNanos / 1e6;
    }

    double executionMillis() {
      return executionNanos / 1e6;
    }
  }

  /**
   * Launches {@code testClass} on the engine {@code engineId} with {@code configuration}; {@code atExecutionStart}
   * runs (untimed if it is heavy: the caller decides) when discovery is done and execution begins.
   */
  static Outcome run(Launcher launcher, Class<?> testClass, String engineId, Map<String, String> configuration, Runnable atExecutionStart) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(testClass))
        .filters(EngineFilter.includeEngines(engineId))
        .configurationParameters(configuration)
        .build();
    Listener listener = new Listener(atExecutionStart);
    long start = System.nanoTime();
    launcher.execute(request, listener);
    long end = System.nanoTime();
    return new Outcome(end - start, listener.executionStart - start, listener.executionEnd - listener.executionStart,
        listener.succeeded.get(), listener.failed.get(), listener.aborted.get(), listener.suiteEntries, listener.firstProblem);
  }

  private static final class Listener implements TestExecutionListener {
    private final Runnable atExecutionStart;
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong aborted = new AtomicLong();
    final Map<String, String> suiteEntries = new LinkedHashMap<>();
    volatile long executionStart;
    volatile long executionEnd;
    volatile String firstProblem;

    Listener(Runnable atExecutionStart) {
      this.atExecutionStart = atExecutionStart;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
      atExecutionStart.run();
      executionStart = System.nanoTime();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
      executionEnd = System.nanoTime();
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
      if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && firstProblem == null) {
        firstProblem = identifier.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString).orElse(result.getStatus().name());
      }
      if (!identifier.isTest()) {
        return;
      }
      switch (result.getStatus()) {
        case SUCCESSFUL -> succeeded.incrementAndGet();
        case FAILED -> failed.incrementAndGet();
        default -> aborted.incrementAndGet();
      }
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
      if (firstProblem == null) {
        firstProblem = identifier.getDisplayName() + " skipped: " + reason;
      }
    }

    @Override
    public void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
      if (entry.getKeyValuePairs().containsKey("promptunit.calls")) {
        synchronized (suiteEntries) {
          suiteEntries.putAll(entry.getKeyValuePairs());
        }
      }
    }
  }
}
