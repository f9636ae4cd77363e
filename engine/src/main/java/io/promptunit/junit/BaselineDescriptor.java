package io.promptunit.junit;

import io.promptunit.config.Keys;
import io.promptunit.config.Configuration;
import io.promptunit.eval.Baseline;
import io.promptunit.report.SuiteReport;
import io.promptunit.suite.Suite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The regression gate, a test after the examples: with {@code promptunit.baseline=update} it writes
 * the suite's outcomes to its baseline file; otherwise, when the suite has a baseline, it fails when
 * the run is significantly worse (exact McNemar test on the paired outcomes), listing the examples
 * that flipped from pass to fail; when it passes it says whether the run is the same, better (examples flipped
 * from fail to pass, named as improvements) or within noise. Examples that errored (a
 * model error says nothing about the prompt) or did not run are left out of the pairing.
 */
final class BaselineDescriptor extends AbstractTestDescriptor implements Node<RunContext> {

  static final String SEGMENT_TYPE = "baseline";

  enum Mode { CHECK, UPDATE, OFF }

  private final Suite suite;
  private final Path file;
  private final boolean update;
  /** A malformed setting, reported by this test rather than breaking discovery. */
  private final IllegalArgumentException problem;

  /** The model whose outcomes this gate keeps, in a suite that runs against several. */
  private Optional<String> model = Optional.empty();

  private BaselineDescriptor(UniqueId suiteId, Suite suite, Path file, boolean update,
      IllegalArgumentException problem) {
    super(suiteId.append(SEGMENT_TYPE, "regression"),
        update ? "baseline updated (promptunit.baseline=update)" : "no significant regression against the baseline",
        ModelDescriptor.verdictSource(suiteId, suite.anchor()));
    this.suite = suite;
    this.file = file;
    this.update = update;
    this.problem = problem;
  }

  /** The gate of {@code suite}: when updating, or when checking and the suite has a baseline file. */
  static Optional<BaselineDescriptor> of(UniqueId suiteId, Suite suite, Configuration settings) {
    return of(suiteId, suite, settings, Optional.empty());
  }

  /**
   * The gate of {@code model}'s run of {@code suite} (a suite that runs against several models): its own baseline
   * file, {@code <suite class>@<model>.baseline.json}.
   */
  static Optional<BaselineDescriptor> of(UniqueId parentId, Suite suite, Configuration settings,
      Optional<String> model) {
    Optional<BaselineDescriptor> gate = gate(parentId, suite, settings, model.map(m -> fileOf(settings, suite, m))
        .orElseGet(() -> file(settings, suite)));
    gate.ifPresent(found -> found.model = model);
    return gate;
  }

  /**
   * {@code <cache-dir>/<suite class>@<model>.baseline.json}, the model written for a file name ({@link ModelFileName}:
   * two models never share one).
   */
  static Path fileOf(Configuration settings, Suite suite, String model) {
    return settings.cacheDir().resolve(suite.name() + "@" + ModelFileName.of(model) + ".baseline.json");
  }

  private static Optional<BaselineDescriptor> gate(UniqueId suiteId, Suite suite, Configuration settings, Path file) {
    Mode mode;
    try {
      mode = mode(settings);
    } catch (IllegalArgumentException malformed) {
      return Optional.of(new BaselineDescriptor(suiteId, suite, file, false, malformed));
    }
    if (mode == Mode.UPDATE || mode == Mode.CHECK && java.nio.file.Files.isRegularFile(file)) {
      return Optional.of(new BaselineDescriptor(suiteId, suite, file, mode == Mode.UPDATE, null));
    }
    return Optional.empty();
  }

  static Mode mode(Configuration settings) {
    return Mode.valueOf(settings.baseline().name());
  }

  /** {@code <cache-dir>/<suite class>.baseline.json}, beside the suite's cassette. */
  static Path file(Configuration settings, Suite suite) {
    return settings.cacheDir().resolve(suite.name() + ".baseline.json");
  }

  @Override
  public Type getType() {
    return Type.TEST;
  }

  /** {@code RouterPromptTest}, or {@code RouterPromptTest [openai:gpt-4o-mini]} for one model of several. */
  private String who() {
    return suite.anchor().getSimpleName() + model.map(m -> " [" + m + "]").orElse("");
  }

  @Override
  public RunContext execute(RunContext context, DynamicTestExecutor executor) {
    if (problem != null) {
      throw problem;
    }
    Optional<String> abort = context.abortReason();
    if (abort.isPresent()) {
      throw new TestAbortedException(abort.get());
    }
    SuiteReport report = context.suiteReport().orElseThrow();
    List<SuiteReport.Row> rows = model.map(report::rowsOf).orElseGet(report::rows).stream()
        .filter(row -> List.of("passed", "failed", "tolerated").contains(row.status()))
        .toList();
    Map<String, Boolean> outcomes = rows.stream().collect(Collectors.toMap(SuiteReport.Row::id, SuiteReport.Row::passed,
        (a, b) -> a, LinkedHashMap::new));
    String shown = shown(file);
    return update ? update(context, outcomes, shown) : check(context, rows, outcomes, shown);
  }

  private RunContext update(RunContext context, Map<String, Boolean> outcomes, String shown) {
    if (outcomes.isEmpty()) {
      throw new TestAbortedException("The baseline " + shown + " was not written: no example of this run passed or"
          + " failed (examples that errored or did not run say nothing about the prompt)");
    }
    Optional<Baseline> old = Baseline.read(file, shown);
    Optional<String> foreign = old.map(Baseline::suite).filter(name -> old.get().writtenForAnotherSuite(suite.name()));
    Baseline updated = new Baseline(suite.name(), old.filter(b -> foreign.isEmpty())
        .map(b -> b.updatedWith(outcomes).outcomes()).orElse(outcomes));
    try {
      updated.write(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the baseline " + shown + ": " + e.getMessage(), e);
    }
    long passing = outcomes.values().stream().filter(Boolean::booleanValue).count();
    String line = String.format(Locale.ROOT,
        "baseline %s written: %d examples of this run (%d passing); commit it beside the cassettes",
        shown, outcomes.size(), passing) + foreign.map(name -> "; it held the outcomes of suite " + name
            + ", which were replaced").orElse("") + tooFew(updated.outcomes().size(),
            significance(context.configuration()));
    Console.line(who() + ": " + line);
    context.listener().reportingEntryPublished(this, ReportEntry.from(ReportEntryKeys.BASELINE, line));
    return context;
  }

  private RunContext check(RunContext context, List<SuiteReport.Row> rows, Map<String, Boolean> outcomes,
      String shown) {
    double significance = significance(context.configuration());
    Optional<Baseline> baseline = Baseline.read(file, shown);
    if (baseline.isEmpty()) {
      throw new TestAbortedException("The baseline " + shown + " was removed during the run");
    }
    Baseline.Comparison comparison = comparable(baseline.get(), outcomes, shown);
    String summary = String.format(Locale.ROOT,
        "%d of %d paired examples flipped from pass to fail, %d from fail to pass"
            + " (exact McNemar test, one-sided p = %.3g %s %s)%s",
        comparison.regressions().size(), comparison.paired(), comparison.improvements().size(), comparison.pValue(),
        comparison.significantlyWorse(significance) ? "<" : ">=", significance,
        comparison.unpaired() == 0 ? "" : "; " + comparison.unpaired() + " examples are not in the baseline yet");
    if (comparison.significantlyWorse(significance)) {
      Map<String, SuiteReport.Row> byId = rows.stream().collect(Collectors.toMap(SuiteReport.Row::id,
          Function.identity(), (a, b) -> a));
      StringBuilder message = new StringBuilder("Suite " + who() + " is significantly worse than its baseline " + shown
          + ": " + summary + ". Examples that passed in the baseline and fail now:");
      for (String id : comparison.regressions()) {
        message.append("\n  ✘ ").append(model.map(m -> "[" + m + "] ").orElse(""))
            .append(byId.get(id).failureSummary());
      }
      message.append("\nIf the change is intended, accept it with -D").append(Keys.BASELINE)
          .append("=update and commit ").append(shown).append('.');
      throw new AssertionFailedError(message.toString());
    }
    String verdict = verdict(comparison, summary, shown) + tooFew(comparison.paired(), significance);
    Console.line(who() + ": " + verdict);
    context.listener().reportingEntryPublished(this, ReportEntry.from(ReportEntryKeys.BASELINE, verdict));
    return context;
  }

  /**
   * What a gate that passed says: the same outcomes; better (more examples flipped from fail to pass than the other
   * way: an improvement, named as one, with the ids and how to keep it); or within noise (more regressions than
   * improvements, but fewer than chance allows).
   */
  private static String verdict(Baseline.Comparison comparison, String summary, String shown) {
    List<String> improved = comparison.improvements();
    List<String> regressed = comparison.regressions();
    if (improved.isEmpty() && regressed.isEmpty()) {
      return "same outcomes as the baseline " + shown;
    }
    if (improved.size() > regressed.size()) {
      return "better than the baseline " + shown + ": " + summary + "; improved: " + ids(improved)
          + (regressed.isEmpty() ? "" : "; regressed: " + ids(regressed))
          + "; to keep this run's outcomes as the baseline, run with -D" + Keys.BASELINE + "=update and commit "
          + shown;
    }
    return "within noise of the baseline " + shown + ": " + summary + "; regressed: " + ids(regressed)
        + (improved.isEmpty() ? "" : "; improved: " + ids(improved));
  }

  private static String ids(List<String> ids) {
    int shown = Math.min(10, ids.size());
    return String.join(", ", ids.subList(0, shown)) + (ids.size() > shown ? ", … (" + ids.size() + " in all)" : "");
  }

  /**
   * The comparison of {@code outcomes} with {@code baseline}, when there is something to compare: a baseline written
   * for another suite fails the gate, and so does one that shares no example with the run; a run in which no example
   * passed or failed (all errored, or none ran) compares nothing and is aborted.
   */
  private Baseline.Comparison comparable(Baseline baseline, Map<String, Boolean> outcomes, String shown) {
    String update = " If this run's outcomes are the ones to keep, write them with -D" + Keys.BASELINE + "=update and"
        + " commit " + shown + ".";
    if (baseline.writtenForAnotherSuite(suite.name())) {
      throw new AssertionFailedError("Nothing could be compared: the baseline " + shown + " was written for suite "
          + baseline.suite() + ", not for " + suite.name() + " (a copied or renamed file?)." + update);
    }
    if (outcomes.isEmpty()) {
      throw new TestAbortedException("Nothing could be compared with the baseline " + shown + ": no example of this"
          + " run passed or failed (examples that errored or did not run are left out of the pairing)");
    }
    Baseline.Comparison comparison = baseline.compare(outcomes);
    if (comparison.paired() == 0) {
      List<String> known = List.copyOf(baseline.outcomes().keySet());
      throw new AssertionFailedError("Nothing could be compared with the baseline " + shown + ": none of the "
          + outcomes.size() + " examples of this run is in it (" + (known.isEmpty() ? "it holds no outcomes"
          : "it holds " + known.size() + " other ids: " + String.join(", ", known.subList(0, Math.min(10,
              known.size()))) + (known.size() > 10 ? ", …" : "")) + "; were the examples' ids changed?)." + update);
    }
    return comparison;
  }

  /** A warning when {@code paired} examples are too few for the gate ever to fail at {@code significance}. */
  private static String tooFew(int paired, double significance) {
    int needed = Baseline.flipsNeeded(significance);
    return paired >= needed ? "" : String.format(Locale.ROOT,
        "; note: with %d paired examples the gate can never fail at significance %s"
        + " (it takes at least %d examples flipping from pass to fail); add examples or raise %s", paired, significance,
            needed,
        Keys.BASELINE_SIGNIFICANCE);
  }

  static double significance(Configuration settings) {
    double value = settings.baselineSignificance();
    if (!(value > 0 && value < 1)) {
      throw new IllegalArgumentException("Setting " + Keys.BASELINE_SIGNIFICANCE + "=" + value
          + " must be between 0 and 1 (exclusive), e.g. 0.05");
    }
    return value;
  }

  private static String shown(Path file) {
    return io.promptunit.suite.Resource.inWorkingDirectory(file).orElse(file.toAbsolutePath().normalize().toString());
  }
}
