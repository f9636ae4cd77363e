package io.promptunit.engine;

import io.promptunit.config.Keys;
import io.promptunit.eval.Checks;
import io.promptunit.eval.Evaluator;
import io.promptunit.eval.SuiteRun;
import io.promptunit.model.ModelClient;
import io.promptunit.model.ModelConfigurationException;
import io.promptunit.model.SuiteModels;
import io.promptunit.suite.Suite;
import java.util.Locale;
import java.util.Map;
import org.junit.platform.engine.reporting.ReportEntry;
import org.opentest4j.AssertionFailedError;

/** Starting and finishing a suite's execution: model choice, the concurrent run, and the suite-level verdict. */
final class SuiteExecution {

  private SuiteExecution() {}

  static RunContext start(SuiteDescriptor descriptor, RunContext context) {
    Suite suite = descriptor.suite().orElseThrow();
    SuiteModels models = new SuiteModels(context.models(), context.settings(), context.call());
    ModelClient task;
    try {
      task = models.taskModel(descriptor.anchor(), suite.options().model());
    } catch (ModelConfigurationException e) {
      if (e.noModelConfigured()) {
        if (context.firstNoModelNotice()) {
          System.err.println("[PromptUnit] " + e.getMessage().replace("this example was", "examples are"));
        }
        return context.withAbortReason(e.getMessage());
      }
      throw e;
    }
    int concurrency = suite.options().concurrency().orElse(context.settings().getInt(Keys.CONCURRENCY, Keys.DEFAULT_CONCURRENCY));
    if (concurrency < 1) {
      throw new IllegalArgumentException(Keys.CONCURRENCY + "=" + concurrency + " must be at least 1");
    }
    Evaluator evaluator = new Evaluator(suite, Checks.of(suite, spec -> models.judgeModel(spec, task)), task);
    context.listener().reportingEntryPublished(descriptor, ReportEntry.from(Map.of(
        "promptunit.model", task.name(), "promptunit.concurrency", String.valueOf(concurrency))));
    return context.withSuiteRun(new SuiteRun(evaluator, descriptor.selectedExamples(), concurrency), task);
  }

  static void finish(SuiteDescriptor descriptor, RunContext context) {
    context.suiteRun().ifPresent(run -> {
      run.close();
      SuiteRun.Tally tally = run.tally();
      double required = descriptor.suite().orElseThrow().options().minPassRate();
      context.listener().reportingEntryPublished(descriptor, ReportEntry.from(Map.of(
          "promptunit.passed", String.valueOf(tally.passed()),
          "promptunit.failed", String.valueOf(tally.failed()),
          "promptunit.errors", String.valueOf(tally.errors()),
          "promptunit.passRate", percent(tally.passRate()))));
      if (required < 1.0 && tally.passRate() < required) {
        throw new AssertionFailedError(String.format(Locale.ROOT,
            "Suite %s passed %d of %d examples (%s), below its required pass rate of %s (@PromptTest(minPassRate = %s)); "
                + "the failing examples are reported as aborted with their failures.",
            descriptor.anchor().getSimpleName(), tally.passed(), tally.total(), percent(tally.passRate()), percent(required), required),
            percent(required), percent(tally.passRate()));
      }
    });
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }
}
