package io.promptunit.junit;

import io.promptunit.config.Setting;
import io.promptunit.core.SuiteStart;
import io.promptunit.config.Keys;
import io.promptunit.Optimize;
import io.promptunit.report.SuiteReport;
import io.promptunit.suite.Resource;
import io.promptunit.eval.SuiteRun;
import io.promptunit.eval.ScoringSession;
import io.promptunit.config.CacheMode;
import io.promptunit.model.Cassette;
import io.promptunit.model.ModelClient;
import io.promptunit.model.ModelConfigurationException;
import io.promptunit.model.PriceTable;
import io.promptunit.model.Spend;
import io.promptunit.model.ModelChoice;
import io.promptunit.suite.Suite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.reporting.ReportEntry;

/** Starting and finishing a suite's execution: model choice, cassette, the concurrent run, spend, and the suite-level verdict. */
final class SuiteExecution {

  private SuiteExecution() {}

  static RunContext start(SuiteDescriptor descriptor, RunContext context) {
    Suite suite = descriptor.suite().orElseThrow();
    SuiteReport report = context.report(new SuiteReport(suite.name(), display(suite, suite.prompt().path()), suite.examplesFile().displayPath(),
        suite.options().minPassRate()));
    SuiteStart start;
    try {
      start = context.core().open(suite, name -> context.warnIfUnpriced(name, context.core().prices()));
    } catch (RuntimeException unusable) {
      report.problem(unusable.getMessage());
      throw unusable;
    }
    if (start instanceof SuiteStart.NoModel noModel) {
      return notRun(noModel, context, report);
    }
    ScoringSession session = ((SuiteStart.Ready) start).session();
    report.model(session.taskModel().name());
    if (context.configuration().batch()) {
      batch(descriptor, session, context, report);
    }
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(ReportEntryKeys.MODEL, session.taskModel().name());
    entries.put(ReportEntryKeys.CONCURRENCY, String.valueOf(session.concurrency()));
    entries.put(ReportEntryKeys.CACHE, Setting.spelled(context.configuration().cache()));
    session.cassette().ifPresent(c -> entries.put(ReportEntryKeys.CASSETTE, c.file().toString()));
    context.listener().reportingEntryPublished(descriptor, ReportEntry.from(entries));
    SuiteRun run = new SuiteRun(session, descriptor.selectedExamples());
    return context.withSuite(new SuiteState(session, run, progress(descriptor, run, session, context.configuration().progressSeconds())), report);
  }

  /**
   * No model: the examples are reported aborted with the set-up instructions (printed once per run),
   * or, with {@code promptunit.require-model=true}, the suite fails.
   */
  private static RunContext notRun(SuiteStart.NoModel noModel, RunContext context, SuiteReport report) {
    if (context.configuration().requireModel()) {
      String message = noModel.notRun("the suite cannot run (" + Keys.REQUIRE_MODEL + "=true)");
      report.problem(message);
      throw ModelConfigurationException.invalid(message);
    }
    if (context.firstNoModelNotice()) {
      System.err.println("[PromptUnit] " + noModel.notRun("examples are not run"));
    }
    report.problem("Not run: " + noModel.notRun("the examples were not run"));
    return context.withAbortReason(noModel.notRun("this example was not run"), report);
  }

  /** Batch mode: the cassette is filled through the provider's batch API before the suite runs from it. */
  private static void batch(SuiteDescriptor descriptor, ScoringSession session, RunContext context, SuiteReport report) {
    try {
      io.promptunit.eval.BatchFill.fill(session, descriptor.selectedExamples(), context.configuration(), context.core().resolver(), Console::line);
    } catch (RuntimeException e) {
      report.problem(e.getMessage());
      session.close();
      throw e;
    }
  }

  /**
   * Prints a line every {@code promptunit.progress-seconds} while the suite's examples run (examples
   * done of all, passing so far, spend, elapsed), so that a long suite shows it is alive.
   */
  private static java.util.concurrent.ScheduledExecutorService progress(SuiteDescriptor descriptor, SuiteRun run, ScoringSession session,
      int every) {
    java.util.concurrent.ScheduledExecutorService ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
        io.promptunit.model.DaemonThreads.named("promptunit-progress-" + descriptor.anchor().getSimpleName() + "-"));
    int total = descriptor.selectedExamples().size();
    long start = System.nanoTime();
    if (every > 0) {
      ticker.scheduleAtFixedRate(() -> {
        SuiteRun.Tally tally = run.tally();
        if (tally.total() < total) {
          Console.line(String.format(Locale.ROOT, "%s: %d/%d examples, %d passing so far; spend %s; %d s", descriptor.anchor().getSimpleName(),
              tally.total(), total, tally.passed(), session.spend().total().describe(), (System.nanoTime() - start) / 1_000_000_000L));
        }
      }, every, every, java.util.concurrent.TimeUnit.SECONDS);
    }
    return ticker;
  }

  /** A suite file as the user knows it (under src/test/resources when it is there). */
  static String display(Suite suite, String path) {
    return Resource.find(suite.anchor().getClassLoader(), path).map(Resource::displayPath).orElse(path);
  }

  static void finish(SuiteDescriptor descriptor, RunContext context) {
    context.suite().ifPresent(state -> {
      state.ticker().shutdownNow();
      state.session().cassette().ifPresent(cassette -> prune(descriptor, cassette, context));
      state.session().close();
      SuiteRun.Tally tally = state.run().tally();
      Spend spend = state.session().spend().total();
      context.addToRunSpend(spend);
      context.suiteReport().ifPresent(report -> report.spend(spend));
      Map<String, String> entries = new LinkedHashMap<>();
      entries.put(ReportEntryKeys.PASSED, String.valueOf(tally.passed()));
      entries.put(ReportEntryKeys.FAILED, String.valueOf(tally.failed()));
      entries.put(ReportEntryKeys.ERRORS, String.valueOf(tally.errors()));
      entries.put(ReportEntryKeys.PASS_RATE, percent(tally.passRate()));
      entries.put(ReportEntryKeys.CALLS, String.valueOf(spend.calls()));
      entries.put(ReportEntryKeys.INPUT_TOKENS, String.valueOf(spend.inputTokens()));
      entries.put(ReportEntryKeys.OUTPUT_TOKENS, String.valueOf(spend.outputTokens()));
      entries.put(ReportEntryKeys.COST, String.format(Locale.ROOT, "%.6f", spend.cost()));
      state.session().cassette().ifPresent(c -> entries.put(ReportEntryKeys.CACHED_ANSWERS, String.valueOf(c.hits())));
      context.listener().reportingEntryPublished(descriptor, ReportEntry.from(entries));
      Console.line(descriptor.anchor().getSimpleName() + ": " + tally.passed() + "/" + tally.total() + " passed (" + percent(tally.passRate())
          + context.suiteReport().map(SuiteReport::perSplit).orElse("") + "); spend " + spend.describe()
          + state.session().cassette().map(c -> ", " + c.hits() + " answers from " + c.file()).orElse(""));
      context.suiteReport().ifPresent(report -> report.failureLines().forEach(Console::line));
    });
  }

  /**
   * Prunes the cassette in {@code record} mode or with {@code promptunit.cache-prune=true}, but only
   * after a run of the whole suite: a run of some examples must not drop the others' answers.
   */
  private static void prune(SuiteDescriptor descriptor, Cassette cassette, RunContext context) {
    boolean requested = cassette.mode() == CacheMode.RECORD || context.configuration().cachePrune();
    int unused = cassette.unused();
    if (!requested || unused == 0) {
      return;
    }
    int ran = descriptor.selectedExamples().size();
    int all = descriptor.examples().size();
    if (ran < all) {
      Console.line(descriptor.anchor().getSimpleName() + ": cassette " + cassette.file() + " not pruned: only " + ran + " of " + all
          + " examples ran; run the whole suite to drop its " + unused + " unused entries");
    } else if (!descriptor.optimizationCovered()) {
      Console.line(descriptor.anchor().getSimpleName() + ": cassette " + cassette.file() + " not pruned: the suite's optimization did not run,"
          + " and its recorded answers would be lost; prune in a run that optimizes");
    } else if (cassette.mode() == CacheMode.REPLAY) {
      Console.line(descriptor.anchor().getSimpleName() + ": cassette " + cassette.file() + " not pruned: promptunit.cache=replay never writes;"
          + " use promptunit.cache=read-write with " + Keys.CACHE_PRUNE + "=true");
    } else {
      cassette.pruneUnused();
      Console.line(descriptor.anchor().getSimpleName() + ": dropped " + unused + " cassette entries this run did not use from " + cassette.file());
    }
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }
}
