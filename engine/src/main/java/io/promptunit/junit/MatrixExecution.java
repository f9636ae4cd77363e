package io.promptunit.junit;

import io.promptunit.config.Keys;
import io.promptunit.core.SuiteStart;
import io.promptunit.model.ModelConfigurationException;
import io.promptunit.eval.ScoringSession;
import io.promptunit.model.Cassette;
import io.promptunit.report.ModelMatrix;
import io.promptunit.report.SuiteReport;
import io.promptunit.suite.Suite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A suite that runs against several models while it executes: every model's session, opened together through the
 * core and sharing the suite's cassette, with its examples started at once so that the models run side by side; a
 * model that cannot start, with why (its container is skipped, the others run). At the end, the matrix: one line per
 * model and the cheapest model that passes.
 */
final class MatrixExecution {

  private final SuiteDescriptor descriptor;
  private final Map<String, SuiteExecution> running = new LinkedHashMap<>();
  private final Map<String, String> unusable = new LinkedHashMap<>();
  private Optional<Cassette> cassette = Optional.empty();

  private MatrixExecution(SuiteDescriptor descriptor) {
    this.descriptor = descriptor;
  }

  /** Opens every model of the suite and starts its examples; a model that cannot start is noted, not thrown. */
  static RunContext start(SuiteDescriptor descriptor, RunContext context) {
    Suite suite = descriptor.suite().orElseThrow();
    SuiteReport report = context.report(new SuiteReport(suite.name(), SuiteExecution.display(suite,
        suite.prompt().path()), suite.examplesFile().displayPath(), suite.options().minPassRate()));
    context.core().shardNote(suite).ifPresent(report::shard);
    MatrixExecution matrix = new MatrixExecution(descriptor);
    RunContext inside = context.withMatrix(matrix, report);
    List<SuiteStart> starts = context.core().openAll(suite, name -> { });
    refuseWhenNothingOrNotAllCanStart(starts, context);
    Map<String, Ready> ready = matrix.ready(starts, report);
    Map<String, RuntimeException> batchFailures = context.configuration().batch()
        ? fillByBatch(descriptor, ready, inside) : Map.of();
    ready.forEach((model, run) -> {
      RuntimeException failed = batchFailures.get(model);
      if (failed != null) {
        matrix.unusable.put(model, failed.getMessage());
        report.run(model).skipped(failed.getMessage());
      } else {
        matrix.running.put(model, SuiteExecution.ofModel(run.container(), run.session(), inside));
      }
    });
    return inside;
  }

  /**
   * The models that started and have examples selected, by name; a model that cannot start is noted skipped with why,
   * one with no example selected has its workers closed.
   */
  private Map<String, Ready> ready(List<SuiteStart> starts, SuiteReport report) {
    Map<String, Ready> ready = new LinkedHashMap<>();
    for (SuiteStart start : starts) {
      if (start instanceof SuiteStart.Unusable skipped) {
        unusable.put(skipped.model(), skipped.why());
        report.run(skipped.model()).skipped(skipped.why());
        Console.line(descriptor.anchor().getSimpleName() + " [" + skipped.model() + "]: skipped, the model cannot"
            + " start: " + skipped.why());
        continue;
      }
      ScoringSession session = ((SuiteStart.Ready) start).session();
      String model = session.taskModel().name();
      report.run(model);
      cassette = cassette.or(session::cassette);
      Optional<ModelDescriptor> container = descriptor.modelContainer(model);
      if (container.isEmpty()) {
        session.closeWorkers(); // none of its examples was selected
        continue;
      }
      ready.put(model, new Ready(container.get(), session));
    }
    return ready;
  }

  /** A model that started: its container and its session. */
  private record Ready(ModelDescriptor container, ScoringSession session) {}

  /**
   * Batch mode: each model's batch in turn (the suite's batch ledger, beside its cassette, is one file the models'
   * batches share); a model whose batch failed is returned with why.
   */
  private static Map<String, RuntimeException> fillByBatch(SuiteDescriptor descriptor, Map<String, Ready> ready,
      RunContext context) {
    Map<String, RuntimeException> failures = new LinkedHashMap<>();
    ready.forEach((model, run) -> {
      try {
        SuiteExecution.batch(descriptor, run.session(), context);
      } catch (RuntimeException e) {
        failures.put(model, e);
      }
    });
    return failures;
  }

  /**
   * A matrix in which no model can start tests nothing: it fails, as a suite whose one model cannot start does; with
   * {@code promptunit.require-model=true} (a CI job), so does one in which any model cannot start. Nothing has started
   * then: the sessions opened are closed.
   */
  private static void refuseWhenNothingOrNotAllCanStart(List<SuiteStart> starts, RunContext context) {
    List<SuiteStart.Unusable> cannot = starts.stream().filter(SuiteStart.Unusable.class::isInstance)
        .map(SuiteStart.Unusable.class::cast).toList();
    boolean none = cannot.size() == starts.size();
    if (cannot.isEmpty() || !none && !context.configuration().requireModel()) {
      return;
    }
    starts.stream().filter(SuiteStart.Ready.class::isInstance)
        .forEach(ready -> ((SuiteStart.Ready) ready).session().close());
    StringBuilder why = new StringBuilder(none ? "none of its " + starts.size() + " models can start"
        : cannot.size() + " of its " + starts.size() + " models cannot start (" + Keys.REQUIRE_MODEL + "=true)");
    cannot.forEach(model -> why.append("\n  ").append(model.model()).append(": ").append(model.why()));
    throw ModelConfigurationException.invalid(why.toString());
  }

  /** Why {@code model}'s container is skipped, when it cannot start. */
  Optional<String> skipReason(String model) {
    String why = unusable.get(model);
    return why == null ? Optional.empty() : Optional.of("the model cannot start: " + why);
  }

  /** The context inside {@code container}: its model's run. */
  RunContext enter(ModelDescriptor container, RunContext context) {
    SuiteExecution execution = running.get(container.model());
    if (execution == null) {
      return context;
    }
    SuiteExecution.publishSetUp(container, execution.session(), context);
    return context.withModel(execution);
  }

  /** Ends the suite: the shared cassette pruned when asked and written, then the matrix on the console. */
  static void finish(RunContext context) {
    context.matrix().ifPresent(matrix -> matrix.end(context));
  }

  private void end(RunContext context) {
    // a model whose container never ran (filtered out, or aborted) still holds workers
    running.values().forEach(execution -> execution.session().closeWorkers());
    cassette.ifPresent(shared -> {
      if (unusable.isEmpty()) {
        SuiteExecution.prune(descriptor, shared, context);
      } else if (shared.unused() > 0 && context.configuration().cachePrune()) {
        Console.line(descriptor.anchor().getSimpleName() + ": cassette " + shared.file() + " not pruned: "
            + unusable.size() + " of the suite's models did not start, and their recorded answers would be lost");
      }
      shared.close();
    });
    context.suiteReport().ifPresent(report -> {
      ModelMatrix matrix = ModelMatrix.of(report, context.core().prices());
      report.matrix(matrix);
      Console.line(descriptor.anchor().getSimpleName() + ": models side by side");
      matrix.table().lines().forEach(Console::line);
      Console.line(descriptor.anchor().getSimpleName() + ": " + matrix.conclusion());
      if (!matrix.after().isEmpty()) {
        Console.line(descriptor.anchor().getSimpleName() + ": after optimization");
        matrix.afterTable().lines().forEach(Console::line);
        Console.line(descriptor.anchor().getSimpleName() + ": " + matrix.afterConclusion());
      }
    });
  }
}
