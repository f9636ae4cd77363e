package io.promptunit.junit;

import io.promptunit.core.PromptUnit;
import io.promptunit.config.Configuration;
import io.promptunit.eval.SuiteRun;
import io.promptunit.model.ModelClient;
import io.promptunit.model.Spend;
import io.promptunit.report.SuiteReport;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.support.hierarchical.EngineExecutionContext;

/**
 * What a node needs while executing: the listener to publish report entries to, the settings and
 * model plumbing shared by the whole run, and — inside a suite — that suite's run or the reason
 * its examples cannot run.
 */
final class RunContext implements EngineExecutionContext {

  private final EngineExecutionListener listener;
  private final PromptUnit core;
  private final AtomicBoolean noModelAnnounced;
  private final AtomicReference<Spend> runSpend;
  private final SuiteState suite;
  private final String abortReason;
  private final List<SuiteReport> reports;
  private final SuiteReport suiteReport;
  /** Models the run has already warned about (shared by every context of the run). */
  private final java.util.Set<String> unpricedWarned;

  private RunContext(EngineExecutionListener listener, PromptUnit core,
      AtomicBoolean noModelAnnounced, AtomicReference<Spend> runSpend, SuiteState suite, String abortReason, List<SuiteReport> reports,
      SuiteReport suiteReport, java.util.Set<String> unpricedWarned) {
    this.unpricedWarned = unpricedWarned;
    this.reports = reports;
    this.suiteReport = suiteReport;
    this.runSpend = runSpend;
    this.noModelAnnounced = noModelAnnounced;
    this.listener = listener;
    this.core = core;
    this.suite = suite;
    this.abortReason = abortReason;
  }

  /** The context of a run with the configuration read at discovery (its problems were reported there). */
  static RunContext start(ExecutionRequest request, Configuration configuration) {
    return new RunContext(request.getEngineExecutionListener(), PromptUnit.start(configuration),
        new AtomicBoolean(), new AtomicReference<>(Spend.NONE), null, null, new CopyOnWriteArrayList<>(), null,
        java.util.concurrent.ConcurrentHashMap.newKeySet());
  }

  RunContext withSuite(SuiteState state, SuiteReport report) {
    return new RunContext(listener, core, noModelAnnounced, runSpend, state, null, reports, report, unpricedWarned);
  }

  RunContext withAbortReason(String reason, SuiteReport report) {
    return new RunContext(listener, core, noModelAnnounced, runSpend, null, reason, reports, report, unpricedWarned);
  }

  /**
   * Warns once per run about a model without a price: its calls count as $0, so neither the spend
   * figures nor a cost cap mean anything for it.
   */
  void warnIfUnpriced(String model, io.promptunit.model.PriceTable prices) {
    if (prices.priceOf(model).isEmpty() && unpricedWarned.add(model)) {
      Console.line("warning: no price is known for model " + model + ", so its calls count as $0 in the spend figures and cost caps;"
          + " set promptunit.price." + model.substring(model.indexOf(':') + 1) + "=<input>,<output> (dollars per million tokens) to price it");
    }
  }

  /** Adds a suite to the run's report (in the order suites start). */
  SuiteReport report(SuiteReport report) {
    reports.add(report);
    return report;
  }

  /** Every suite of the run so far, for the HTML report. */
  List<SuiteReport> reports() {
    return List.copyOf(reports);
  }

  /** The report of the suite being run, inside a suite. */
  Optional<SuiteReport> suiteReport() {
    return Optional.ofNullable(suiteReport);
  }

  /** True the first time it is asked in a run: the no-model instructions are printed once, not once per suite. */
  boolean firstNoModelNotice() {
    return noModelAnnounced.compareAndSet(false, true);
  }

  EngineExecutionListener listener() {
    return listener;
  }

  /** The run's configuration, read once at discovery. */
  Configuration configuration() {
    return core.configuration();
  }

  /** The core the run's suites are opened through (models, retries, prices). */
  PromptUnit core() {
    return core;
  }

  Optional<SuiteState> suite() {
    return Optional.ofNullable(suite);
  }

  Optional<SuiteRun> suiteRun() {
    return suite().map(SuiteState::run);
  }

  /** The suite's task model (inside a suite that has one). */
  Optional<ModelClient> taskModel() {
    return suite().map(state -> state.session().taskModel());
  }

  /** Adds a finished suite's spend to the run's. */
  Spend addToRunSpend(Spend spend) {
    return runSpend.accumulateAndGet(spend, Spend::plus);
  }

  Spend runSpend() {
    return runSpend.get();
  }

  Optional<String> abortReason() {
    return Optional.ofNullable(abortReason);
  }
}
