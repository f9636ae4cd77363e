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

  /** What the whole run shares: every context of the run holds the same one. */
  private record Run(EngineExecutionListener listener, PromptUnit core, AtomicBoolean noModelAnnounced,
      AtomicReference<Spend> spend,
      List<SuiteReport> reports) {}

  private final Run run;
  /** Inside a suite that runs: its execution; else null. */
  private final SuiteExecution suite;
  /** Inside a suite that cannot run: why; else null. */
  private final String abortReason;
  /** Inside a suite: its report; else null. */
  private final SuiteReport suiteReport;
  /** Inside a suite that runs against several models: their runs; else null. */
  private final MatrixExecution matrix;

  private RunContext(Run run, SuiteExecution suite, String abortReason, SuiteReport suiteReport) {
    this(run, suite, abortReason, suiteReport, null);
  }

  private RunContext(Run run, SuiteExecution suite, String abortReason, SuiteReport suiteReport,
      MatrixExecution matrix) {
    this.run = run;
    this.suite = suite;
    this.abortReason = abortReason;
    this.suiteReport = suiteReport;
    this.matrix = matrix;
  }

  /** Inside a suite that runs against several models: their runs, started together. */
  RunContext withMatrix(MatrixExecution execution, SuiteReport report) {
    return new RunContext(run, null, null, report, execution);
  }

  /** Inside one model's container of a suite that runs against several. */
  RunContext withModel(SuiteExecution execution) {
    return new RunContext(run, execution, null, suiteReport, matrix);
  }

  Optional<MatrixExecution> matrix() {
    return Optional.ofNullable(matrix);
  }

  /** The model whose container this is, in a suite that runs against several. */
  Optional<String> matrixModel() {
    return suite().flatMap(SuiteExecution::model);
  }

  /** The context of a run with the configuration read at discovery (its problems were reported there). */
  static RunContext start(ExecutionRequest request, Configuration configuration) {
    return new RunContext(new Run(request.getEngineExecutionListener(), PromptUnit.startReported(configuration),
        new AtomicBoolean(),
        new AtomicReference<>(Spend.NONE), new CopyOnWriteArrayList<>()), null, null, null);
  }

  RunContext withSuite(SuiteExecution execution, SuiteReport report) {
    return new RunContext(run, execution, null, report);
  }

  RunContext withAbortReason(String reason, SuiteReport report) {
    return new RunContext(run, null, reason, report);
  }

  /** Adds a suite to the run's report (in the order suites start). */
  SuiteReport report(SuiteReport report) {
    run.reports().add(report);
    return report;
  }

  /** Every suite of the run so far, for the HTML report. */
  List<SuiteReport> reports() {
    return List.copyOf(run.reports());
  }

  /** The report of the suite being run, inside a suite. */
  Optional<SuiteReport> suiteReport() {
    return Optional.ofNullable(suiteReport);
  }

  /** True the first time it is asked in a run: the no-model instructions are printed once, not once per suite. */
  boolean firstNoModelNotice() {
    return run.noModelAnnounced().compareAndSet(false, true);
  }

  EngineExecutionListener listener() {
    return run.listener();
  }

  /** The run's configuration, read once at discovery. */
  Configuration configuration() {
    return run.core().configuration();
  }

  /** The core the run's suites are opened through (models, retries, prices). */
  PromptUnit core() {
    return run.core();
  }

  Optional<SuiteExecution> suite() {
    return Optional.ofNullable(suite);
  }

  Optional<SuiteRun> suiteRun() {
    return suite().map(SuiteExecution::run);
  }

  /** The suite's task model (inside a suite that has one). */
  Optional<ModelClient> taskModel() {
    return suite().map(state -> state.session().taskModel());
  }

  /** Adds a finished suite's spend to the run's. */
  Spend addToRunSpend(Spend spend) {
    return run.spend().accumulateAndGet(spend, Spend::plus);
  }

  Spend runSpend() {
    return run.spend().get();
  }

  Optional<String> abortReason() {
    return Optional.ofNullable(abortReason);
  }
}
