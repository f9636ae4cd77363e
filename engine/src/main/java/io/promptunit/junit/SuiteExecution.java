package io.promptunit.junit;

import io.promptunit.config.CacheMode;
import io.promptunit.config.Keys;
import io.promptunit.config.Setting;
import io.promptunit.core.SuiteStart;
import io.promptunit.eval.ScoringSession;
import io.promptunit.eval.SuiteRun;
import io.promptunit.model.Cassette;
import io.promptunit.model.DaemonThreads;
import io.promptunit.model.ModelConfigurationException;
import io.promptunit.model.Spend;
import io.promptunit.report.SuiteReport;
import io.promptunit.suite.Resource;
import io.promptunit.suite.Suite;
import io.promptunit.Example;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.platform.engine.reporting.ReportEntry;

/**
 * A suite while it executes: its session (opened through the core: models, cassette, checks,
 * spend), the concurrent run of its selected examples, and the ticker that prints progress; and
 * how it starts (or is not run, without a model) and finishes (prune, spend, summary line).
 */
final class SuiteExecution {

  private final SuiteDescriptor descriptor;
  /** The examples that run: the suite's, or one model's in a suite that runs against several. */
  private final List<Example> selected;
  /** The model, in a suite that runs against several (its console lines and report rows name it). */
  private final Optional<String> model;
  private final ScoringSession session;
  private final SuiteRun run;
  private final ScheduledExecutorService ticker;

  private SuiteExecution(SuiteDescriptor descriptor, ScoringSession session, int progressSeconds) {
    this(descriptor, descriptor.selectedExamples(), Optional.empty(), session, progressSeconds);
  }

  private SuiteExecution(SuiteDescriptor descriptor, List<Example> selected, Optional<String> model,
      ScoringSession session, int progressSeconds) {
    this.descriptor = descriptor;
    this.selected = List.copyOf(selected);
    this.model = model;
    this.session = session;
    this.run = new SuiteRun(session, this.selected);
    this.ticker = progress(progressSeconds);
  }

  /**
   * One model's run of a suite that runs against several: all its examples start at once (not a window of them, which
   * would leave the later models' examples waiting until JUnit reaches their containers), so that the models run side
   * by side, each bounded by its own session's concurrency and its provider's rate limits.
   */
  static SuiteExecution ofModel(ModelDescriptor container, ScoringSession session, RunContext context) {
    SuiteExecution execution = new SuiteExecution(container.suite(), container.selectedExamples(),
        Optional.of(container.model()), session, context.configuration().progressSeconds());
    execution.run.startAll();
    return execution;
  }

  /** The model, in a suite that runs against several. */
  Optional<String> model() {
    return model;
  }

  ScoringSession session() {
    return session;
  }

  SuiteRun run() {
    return run;
  }

  /**
   * Opens the suite through the core and starts its examples; without a model they are reported not run (or the suite
   * fails).
   */
  static RunContext start(SuiteDescriptor descriptor, RunContext context) {
    Suite suite = descriptor.suite().orElseThrow();
    SuiteReport report = context.report(new SuiteReport(suite.name(), display(suite, suite.prompt().path()),
        suite.examplesFile().displayPath(), suite.options().minPassRate()));
    context.core().shardNote(suite).ifPresent(report::shard);
    SuiteStart start;
    try {
      // an unpriced model is worth a warning only once its calls were counted as $0: at the end
      start = context.core().open(suite, name -> { });
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
    publishSetUp(descriptor, session, context);
    return context.withSuite(new SuiteExecution(descriptor, session, context.configuration().progressSeconds()),
        report);
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
    report.notRun(noModel.notRun("the examples were not run"));
    return context.withAbortReason(noModel.notRun("this example was not run"), report);
  }

  /** Batch mode: the cassette is filled through the provider's batch API before the suite runs from it. */
  private static void batch(SuiteDescriptor descriptor, ScoringSession session, RunContext context,
      SuiteReport report) {
    try {
      context.core().fillByBatch(session, selected(descriptor, session), Console::line);
    } catch (RuntimeException e) {
      report.problem(e.getMessage());
      session.close();
      throw e;
    }
  }

  /** The examples {@code session} runs: the suite's, or those of its model's container. */
  private static List<Example> selected(SuiteDescriptor descriptor, ScoringSession session) {
    return descriptor.modelContainer(session.taskModel().name()).map(ModelDescriptor::selectedExamples)
        .orElseGet(descriptor::selectedExamples);
  }

  /** Batch mode for one model of several: its answers are fetched before its examples run. */
  static void batch(SuiteDescriptor descriptor, ScoringSession session, RunContext context) {
    batch(descriptor, session, context, context.suiteReport().orElseThrow());
  }

  /** The suite's model, concurrency, cache mode and cassette, as report entries. */
  static void publishSetUp(org.junit.platform.engine.TestDescriptor descriptor, ScoringSession session,
      RunContext context) {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(ReportEntryKeys.MODEL, session.taskModel().name());
    entries.put(ReportEntryKeys.CONCURRENCY, String.valueOf(session.concurrency()));
    entries.put(ReportEntryKeys.CACHE, Setting.spelled(context.configuration().cache()));
    session.cassette().ifPresent(c -> entries.put(ReportEntryKeys.CASSETTE, c.file().toString()));
    context.listener().reportingEntryPublished(descriptor, ReportEntry.from(entries));
  }

  /**
   * Prints a line every {@code promptunit.progress-seconds} while the suite's examples run (examples
   * done of all, passing so far, spend, elapsed), so that a long suite shows it is alive.
   */
  private ScheduledExecutorService progress(int every) {
    String name = label();
    ScheduledExecutorService progress =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("promptunit-progress-"
            + descriptor.anchor().getSimpleName() + "-"));
    int total = selected.size();
    long start = System.nanoTime();
    if (every > 0) {
      progress.scheduleAtFixedRate(() -> {
        SuiteRun.Tally tally = run.tally();
        if (tally.total() < total) {
          Console.line(String.format(Locale.ROOT, "%s: %d/%d examples, %d passing so far; spend %s; %d s", name,
              tally.total(), total,
              tally.passed(), session.spend().total().describe(), (System.nanoTime() - start) / 1_000_000_000L));
        }
      }, every, every, TimeUnit.SECONDS);
    }
    return progress;
  }

  /** A suite file as the user knows it (under src/test/resources when it is there). */
  static String display(Suite suite, String path) {
    return Resource.find(suite.anchor().getClassLoader(), path).map(Resource::displayPath).orElse(path);
  }

  /** Ends the suite: prunes its cassette when asked, closes its session, and reports its tally and spend. */
  static void finish(RunContext context) {
    context.suite().ifPresent(execution -> execution.end(context));
  }

  /** {@code RouterPromptTest}, or {@code RouterPromptTest [openai:gpt-4o-mini]} for one model of several. */
  private String label() {
    return descriptor.anchor().getSimpleName() + model.map(m -> " [" + m + "]").orElse("");
  }

  private void end(RunContext context) {
    ticker.shutdownNow();
    if (model.isEmpty()) {
      // a cassette the suite's models share is pruned and written once all of them are done
      session.cassette().ifPresent(cassette -> prune(cassette, context));
      session.close();
    } else {
      session.closeWorkers();
    }
    SuiteRun.Tally tally = run.tally();
    Spend spend = session.spend().total();
    context.addToRunSpend(spend);
    context.suiteReport().ifPresent(report -> report.run(session.taskModel().name()).spend(spend));
    publishOutcome(tally, spend, context);
    String name = session.taskModel().name();
    Console.line(label()
        + context.core().shardNote(descriptor.suite().orElseThrow()).map(n -> " (" + n + ")")
            .orElse("") + ": " + tally.passed() + "/" + tally.total() + " passed ("
        + percent(tally.passRate()) + context.suiteReport().map(report -> report.perSplit(name)).orElse("")
        + "); spend " + spend.describe() + session.cassette().map(c -> ", " + cachedNote(c, context)).orElse(""));
    context.suiteReport().ifPresent(report -> report.failureLines(name).forEach(Console::line));
    context.core().unpricedWarnings(session).forEach(Console::line);
  }

  /** {@code 3 answers from <file>}: the cassette's hits, or for one model of several its examples answered there. */
  private String cachedNote(Cassette cassette, RunContext context) {
    if (model.isEmpty()) {
      return answers(cassette.hits()) + " from " + cassette.file();
    }
    long cached = context.suiteReport().map(report -> report.rowsOf(model.get()).stream()
        .filter(row -> row.latencyMillis() == SuiteReport.Row.CACHED).count()).orElse(0L);
    return cached + (cached == 1 ? " example" : " examples") + " answered from " + cassette.file();
  }

  /** {@code 1 answer}, {@code 2 answers}. */
  static String answers(long count) {
    return count + (count == 1 ? " answer" : " answers");
  }

  /** The suite's tally and spend, as report entries. */
  private void publishOutcome(SuiteRun.Tally tally, Spend spend, RunContext context) {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(ReportEntryKeys.PASSED, String.valueOf(tally.passed()));
    entries.put(ReportEntryKeys.FAILED, String.valueOf(tally.failed()));
    entries.put(ReportEntryKeys.ERRORS, String.valueOf(tally.errors()));
    entries.put(ReportEntryKeys.PASS_RATE, percent(tally.passRate()));
    entries.put(ReportEntryKeys.CALLS, String.valueOf(spend.calls()));
    entries.put(ReportEntryKeys.INPUT_TOKENS, String.valueOf(spend.inputTokens()));
    entries.put(ReportEntryKeys.OUTPUT_TOKENS, String.valueOf(spend.outputTokens()));
    entries.put(ReportEntryKeys.COST, String.format(Locale.ROOT, "%.6f", spend.cost()));
    session.cassette().ifPresent(c -> entries.put(ReportEntryKeys.CACHED_ANSWERS, String.valueOf(c.hits())));
    context.listener().reportingEntryPublished(owner(), ReportEntry.from(entries));
  }

  /** The container the suite's figures are published on: the suite, or its model's container. */
  private org.junit.platform.engine.TestDescriptor owner() {
    return model.flatMap(descriptor::modelContainer).<org.junit.platform.engine.TestDescriptor>map(c -> c)
        .orElse(descriptor);
  }

  /**
   * Prunes the cassette in {@code record} mode or with {@code promptunit.cache-prune=true}, but only
   * after a run of the whole suite: a run of some examples must not drop the others' answers.
   */
  private void prune(Cassette cassette, RunContext context) {
    prune(descriptor, cassette, context);
  }

  /** {@link #prune(Cassette, RunContext)} of {@code descriptor}'s cassette (shared by its models, when several). */
  static void prune(SuiteDescriptor descriptor, Cassette cassette, RunContext context) {
    boolean requested = cassette.mode() == CacheMode.RECORD || context.configuration().cachePrune();
    int unused = cassette.unused();
    if (!requested || unused == 0) {
      return;
    }
    String name = descriptor.anchor().getSimpleName();
    int ran = descriptor.isMatrix() ? examplesEveryModelRan(descriptor) : descriptor.selectedExamples().size();
    int all = descriptor.examples().size();
    if (!context.configuration().models().isEmpty()) {
      Console.line(name + ": cassette " + cassette.file() + " not pruned: " + Keys.MODELS + " chooses this run's"
          + " models, and the entries of the suite's other models would be lost; prune without it");
    } else if (ran < all) {
      Console.line(name + ": cassette " + cassette.file() + " not pruned: only " + ran + " of " + all
          + " examples ran; run the whole suite to drop its " + unused + " unused entries");
    } else if (!descriptor.optimizationCovered()) {
      Console.line(name + ": cassette " + cassette.file() + " not pruned: the suite's optimization did not run,"
          + " and its recorded answers would be lost; prune in a run that optimizes");
    } else if (cassette.mode() == CacheMode.REPLAY) {
      Console.line(name + ": cassette " + cassette.file() + " not pruned: promptunit.cache=replay never writes;"
          + " use promptunit.cache=read-write with " + Keys.CACHE_PRUNE + "=true");
    } else {
      cassette.pruneUnused();
      Console.line(name + ": dropped " + unused + " cassette entries this run did not use from " + cassette.file());
    }
  }

  /**
   * The examples every model of a matrix suite ran: a model whose container was not selected (a run of one model's
   * container) ran none, so the shared cassette keeps its entries.
   */
  private static int examplesEveryModelRan(SuiteDescriptor descriptor) {
    return descriptor.matrix().stream()
        .mapToInt(model -> descriptor.modelContainer(model).map(container -> container.selectedExamples().size())
            .orElse(0))
        .min().orElse(0);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }
}
