package io.promptunit.junit;

import io.promptunit.config.Keys;
import io.promptunit.core.Applied;
import io.promptunit.model.ModelClient;
import io.promptunit.optimize.History;
import io.promptunit.optimize.Optimization;
import io.promptunit.optimize.RoundListener;
import io.promptunit.optimize.OptimizationResult;
import io.promptunit.optimize.OptimizeOptions;
import io.promptunit.report.OptimizationReport;
import io.promptunit.suite.Suite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.hierarchical.Node.DynamicTestExecutor;

/**
 * One strategy's optimization under a container: the estimate, the loop (one dynamic test per
 * round), the report files, apply mode, and the held-out verdict test.
 */
final class StrategyRun {

  private StrategyRun() {}

  /**
   * The optimizer model of a suite, unmetered (the session meters it): empty when it is the task model.
   *
   * @param name the optimizer's name for messages
   */
  record Models(Optional<ModelClient> optimizer, String name) {}

  static Models models(RunContext context, io.promptunit.Optimize optimize) {
    // an unpriced optimizer is warned about at the end of the suite, with its calls, and only when it made some
    Optional<ModelClient> optimizer = context.core().models().optimizerModel(optimize.optimizerModel());
    return new Models(optimizer, optimizer.orElseGet(() -> context.taskModel().orElseThrow()).name());
  }

  static Optimization prepare(OptimizeOptions options, Models models, RunContext context) {
    return context.core().optimization(context.suite().orElseThrow().session(), options, models.optimizer());
  }

  /** Runs {@code optimization} under {@code parent}, registering round tests and the verdict test. */
  static OptimizationResult run(TestDescriptor parent, DynamicTestExecutor executor, Suite suite,
      Optimization optimization,
      RunContext context, boolean mayApply) {
    String name = who(suite, context);
    OptimizationResult result = optimization.run(new RoundListener() {
      @Override
      public void roundFinished(History.Round round, Progress progress) {
        RoundDescriptor descriptor = new RoundDescriptor(parent.getUniqueId(), round, optimization.splits()
            .selectionName());
        parent.addChild(descriptor);
        executor.execute(descriptor);
        Console.line(name + " " + progress.strategy() + " round " + round.round() + "/" + progress.rounds() + ": "
            + descriptor.summary());
      }

      @Override
      public void progress(Status status) {
        Console.line(name + " " + status.describe());
      }
    });
    context.suiteReport().ifPresent(report -> context.matrixModel().ifPresentOrElse(
        model -> report.add(result, model), () -> report.add(result)));
    Path directory = outputDirectory(context, suite).resolve(result.strategy());
    OptimizationReport.Outputs files;
    try {
      files = OptimizationReport.write(directory, suite.name(), suite.prompt().path(), result);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the optimization report to " + directory, e);
    }
    context.matrixModel().ifPresent(model -> context.suiteReport().ifPresent(report -> report.optimized(model, result,
        files.bestPrompt().toAbsolutePath().toString())));
    Applied applied = mayApply ? context.core().apply(suite, result, context.matrixModel()) : Applied.NOTHING;
    VerdictDescriptor verdict = new VerdictDescriptor(parent.getUniqueId(), result, files, applied);
    parent.addChild(verdict);
    executor.execute(verdict);
    return result;
  }

  static String announce(Suite suite, String strategy, Models models, Optimization optimization,
      TestDescriptor descriptor, RunContext context) {
    String estimate = optimization.estimate().describe();
    Console.line(who(suite, context) + ": " + strategy.toLowerCase(Locale.ROOT) + " with optimizer "
        + models.name() + "; " + estimate);
    io.promptunit.optimize.Estimate figures = optimization.estimate();
    context.listener().reportingEntryPublished(descriptor, ReportEntry.from(Map.of(ReportEntryKeys.ESTIMATE, estimate,
        ReportEntryKeys.ESTIMATE_EXPECTED_TOKENS, String.valueOf(figures.expected().tokens()),
        ReportEntryKeys.ESTIMATE_EXPECTED_CALLS, String.valueOf(figures.expected().calls()),
        ReportEntryKeys.ESTIMATE_WORST_TOKENS, String.valueOf(figures.bounded().tokens()),
        ReportEntryKeys.ESTIMATE_WORST_CALLS, String.valueOf(figures.bounded().calls()))));
    return estimate;
  }

  /** Who an optimization's console lines are about: the suite, and in a suite of several models which model. */
  static String who(Suite suite, RunContext context) {
    return suite.anchor().getSimpleName() + context.matrixModel().map(model -> " [" + model + "]").orElse("");
  }

  /** What a dry run says, on the console and as its skipped test's reason, with the {@code estimate}. */
  static String dryRunReason(String estimate) {
    return "Dry run (" + Keys.OPTIMIZE_DRY_RUN + "=true): the optimization spent nothing (the suite's"
        + " examples were scored as in any run). " + estimate;
  }

  /** {@code <output-dir>/<suite class>}, and in a suite of several models a folder per model below it. */
  static Path outputDirectory(RunContext context, Suite suite) {
    Path directory = context.configuration().outputDir().resolve(suite.anchor().getName());
    return context.matrixModel().map(model -> directory.resolve(ModelFileName.of(model))).orElse(directory);
  }
}
