package io.promptunit.engine;

import io.promptunit.config.Keys;
import io.promptunit.eval.Checks;
import io.promptunit.eval.Evaluator;
import io.promptunit.eval.JudgeModels;
import io.promptunit.eval.SuiteRun;
import io.promptunit.model.CacheMode;
import io.promptunit.model.Cassette;
import io.promptunit.model.ModelClient;
import io.promptunit.model.ModelConfigurationException;
import io.promptunit.model.PriceTable;
import io.promptunit.model.Spend;
import io.promptunit.model.SpendMeter;
import io.promptunit.model.SuiteModels;
import io.promptunit.suite.Suite;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.reporting.ReportEntry;
import org.opentest4j.AssertionFailedError;

/** Starting and finishing a suite's execution: model choice, cassette, the concurrent run, spend, and the suite-level verdict. */
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
    CacheMode mode = context.settings().get(Keys.CACHE).map(CacheMode::parse).orElse(CacheMode.READ_WRITE);
    Optional<Cassette> cassette = mode == CacheMode.OFF
        ? Optional.empty()
        : Optional.of(Cassette.open(cassettePath(context, suite), mode, System.err));
    SpendMeter spend = new SpendMeter(new PriceTable(context.settings()));
    ModelClient meteredTask = throughCassette(spend.meter(task), cassette);
    JudgeModels judges = ((JudgeModels) spec -> spec.isBlank() && context.settings().get(Keys.JUDGE_MODEL).isEmpty()
        ? meteredTask
        : throughCassette(spend.meter(models.judgeModel(spec, task)), cassette)).cached();
    Evaluator evaluator = new Evaluator(suite, Checks.of(suite, judges), meteredTask);
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("promptunit.model", task.name());
    entries.put("promptunit.concurrency", String.valueOf(concurrency));
    entries.put("promptunit.cache", mode.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    cassette.ifPresent(c -> entries.put("promptunit.cassette", c.file().toString()));
    context.listener().reportingEntryPublished(descriptor, ReportEntry.from(entries));
    SuiteRun run = new SuiteRun(evaluator, descriptor.selectedExamples(), concurrency);
    return context.withSuite(new SuiteState(run, meteredTask, judges, spend, cassette));
  }

  private static ModelClient throughCassette(ModelClient client, Optional<Cassette> cassette) {
    return cassette.map(client::withCassette).orElse(client);
  }

  static Path cassettePath(RunContext context, Suite suite) {
    return Path.of(context.settings().get(Keys.CACHE_DIR).orElse(Keys.DEFAULT_CACHE_DIR)).resolve(suite.name() + ".jsonl");
  }

  static void finish(SuiteDescriptor descriptor, RunContext context) {
    context.suite().ifPresent(state -> {
      state.run().close();
      state.cassette().ifPresent(Cassette::close);
      SuiteRun.Tally tally = state.run().tally();
      Spend spend = state.spend().total();
      context.addToRunSpend(spend);
      double required = descriptor.suite().orElseThrow().options().minPassRate();
      Map<String, String> entries = new LinkedHashMap<>();
      entries.put("promptunit.passed", String.valueOf(tally.passed()));
      entries.put("promptunit.failed", String.valueOf(tally.failed()));
      entries.put("promptunit.errors", String.valueOf(tally.errors()));
      entries.put("promptunit.passRate", percent(tally.passRate()));
      entries.put("promptunit.calls", String.valueOf(spend.calls()));
      entries.put("promptunit.inputTokens", String.valueOf(spend.inputTokens()));
      entries.put("promptunit.outputTokens", String.valueOf(spend.outputTokens()));
      entries.put("promptunit.cost", String.format(Locale.ROOT, "%.6f", spend.cost()));
      state.cassette().ifPresent(c -> entries.put("promptunit.cachedAnswers", String.valueOf(c.hits())));
      context.listener().reportingEntryPublished(descriptor, ReportEntry.from(entries));
      Console.line(descriptor.anchor().getSimpleName() + ": " + tally.passed() + "/" + tally.total() + " passed (" + percent(tally.passRate())
          + "); spend " + spend.describe() + state.cassette().map(c -> ", " + c.hits() + " answers from " + c.file()).orElse(""));
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
