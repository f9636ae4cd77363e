package io.promptunit.junit;

import io.promptunit.config.Keys;
import io.promptunit.model.ModelClient;
import io.promptunit.optimize.History;
import io.promptunit.optimize.Optimization;
import io.promptunit.optimize.RoundListener;
import io.promptunit.optimize.OptimizationResult;
import io.promptunit.optimize.OptimizeOptions;
import io.promptunit.report.OptimizationReport;
import io.promptunit.report.PromptFile;
import io.promptunit.suite.Resource;
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
import org.opentest4j.TestAbortedException;

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
    Optional<ModelClient> optimizer = context.core().models().optimizerModel(optimize.optimizerModel());
    optimizer.ifPresent(model -> context.warnIfUnpriced(model.name(), context.core().prices()));
    return new Models(optimizer, optimizer.orElseGet(() -> context.taskModel().orElseThrow()).name());
  }

  static Optimization prepare(OptimizeOptions options, Models models, RunContext context) {
    return Optimization.prepare(context.suite().orElseThrow().session(), options, models.optimizer());
  }

  static boolean dryRun(RunContext context) {
    return context.configuration().optimizeDryRun();
  }

  /** Runs {@code optimization} under {@code parent}, registering round tests and the verdict test. */
  static OptimizationResult run(TestDescriptor parent, DynamicTestExecutor executor, Suite suite, Optimization optimization,
      RunContext context, boolean mayApply) {
    String name = suite.anchor().getSimpleName();
    OptimizationResult result = optimization.run(new RoundListener() {
      @Override
      public void roundFinished(History.Round round, Progress progress) {
        RoundDescriptor descriptor = new RoundDescriptor(parent.getUniqueId(), round, optimization.splits().selectionName());
        parent.addChild(descriptor);
        executor.execute(descriptor);
        Console.line(name + " " + progress.strategy() + " round " + round.round() + "/" + progress.rounds() + ": " + descriptor.summary());
      }

      @Override
      public void progress(Status status) {
        Console.line(name + " " + status.describe());
      }
    });
    context.suiteReport().ifPresent(report -> report.add(result));
    Path directory = outputDirectory(context, suite).resolve(result.strategy());
    OptimizationReport.Outputs files;
    try {
      files = OptimizationReport.write(directory, suite.name(), suite.prompt().path(), result);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the optimization report to " + directory, e);
    }
    Applied applied = mayApply ? apply(context, suite, result) : Applied.NOTHING;
    VerdictDescriptor verdict = new VerdictDescriptor(parent.getUniqueId(), result, files, applied);
    parent.addChild(verdict);
    executor.execute(verdict);
    return result;
  }

  static String announce(Suite suite, String strategy, Models models, Optimization optimization, TestDescriptor descriptor, RunContext context) {
    String estimate = optimization.estimate().describe();
    Console.line(suite.anchor().getSimpleName() + ": " + strategy.toLowerCase(Locale.ROOT) + " with optimizer "
        + models.name() + "; " + estimate);
    io.promptunit.optimize.Estimate figures = optimization.estimate();
    context.listener().reportingEntryPublished(descriptor, ReportEntry.from(Map.of(ReportEntryKeys.ESTIMATE, estimate,
        ReportEntryKeys.ESTIMATE_EXPECTED_TOKENS, String.valueOf(figures.expected().tokens()),
        ReportEntryKeys.ESTIMATE_EXPECTED_CALLS, String.valueOf(figures.expected().calls()),
        ReportEntryKeys.ESTIMATE_WORST_TOKENS, String.valueOf(figures.bounded().tokens()),
        ReportEntryKeys.ESTIMATE_WORST_CALLS, String.valueOf(figures.bounded().calls()))));
    return estimate;
  }

  static void abortIfDryRun(String estimate, RunContext context) {
    if (dryRun(context)) {
      throw new TestAbortedException("Dry run (" + Keys.OPTIMIZE_DRY_RUN + "=true): the optimization spent nothing (the suite's"
          + " examples were scored as in any run). " + estimate);
    }
  }

  static Path outputDirectory(RunContext context, Suite suite) {
    return context.configuration().outputDir().resolve(suite.anchor().getName());
  }

  /**
   * What apply mode did.
   *
   * @param message a sentence for the verdict (empty when apply mode is off)
   * @param failed whether the user asked for the prompt to be written and it could not be
   */
  record Applied(String message, boolean failed) {
    static final Applied NOTHING = new Applied("", false);
  }

  /** In apply mode, writes a prompt that passed held-out over the checked-in file; says what happened. */
  private static Applied apply(RunContext context, Suite suite, OptimizationResult result) {
    if (!context.configuration().optimizeApply()) {
      return Applied.NOTHING;
    }
    if (!result.passedHeldOut() || !result.improved()) {
      return new Applied(" Apply mode is on, but " + (result.improved() ? "the prompt did not pass the held-out examples" : "there is no new prompt")
          + ", so " + suite.prompt().path() + " was left unchanged.", false);
    }
    Optional<Path> source = Resource.find(suite.anchor().getClassLoader(), suite.prompt().path()).flatMap(Resource::sourceFile);
    if (source.isEmpty()) {
      return new Applied(" Apply mode is on, but " + suite.prompt().path() + " is not a plain file, so it was left unchanged.", true);
    }
    try {
      Path backup = PromptFile.replace(source.get(), result.best().text());
      return new Applied(" Applied: " + source.get() + " now holds the optimized prompt; the previous version is in " + backup + ".", false);
    } catch (java.nio.file.AccessDeniedException e) {
      return new Applied(" Apply mode is on, but " + source.get() + " was not replaced: "
          + (e.getReason() != null ? e.getReason() : "permission denied (make the file and its folder writable)") + ". The file is unchanged.", true);
    } catch (IOException e) {
      return new Applied(" Apply mode is on, but writing " + source.get() + " failed (" + e.getClass().getSimpleName() + ": " + e.getMessage()
          + "); the file is unchanged.", true);
    }
  }
}
