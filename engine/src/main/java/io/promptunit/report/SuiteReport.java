package io.promptunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.Example;
import io.promptunit.eval.Attempt;
import io.promptunit.check.CheckFailure;
import io.promptunit.eval.ExampleResult;
import io.promptunit.model.Spend;
import io.promptunit.optimize.OptimizationResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one suite's run leaves for the report: one compact row per example (failures keep their
 * input, expected and actual output, cut to a readable length; passes keep only their id, split,
 * tags and latency, so a long suite stays small) with the spend, per model ({@link ModelRun}: today
 * one, so that several can be shown side by side), its optimizations, and whether it was broken
 * ({@link #problem()}) or did not run ({@link #notRun()}). Rows arrive from the suite's worker
 * threads; the class is thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class SuiteReport {

  /** How much of an input, expected or actual output a failure row keeps. */
  static final int MAX_TEXT = 4000;

  /**
   * @param status {@code passed}, {@code failed}, {@code tolerated} (failed within minPassRate), {@code error} or
   *     {@code aborted}
   */
  public record Row(String id, String status, String split, List<String> tags, String location, long latencyMillis,
      String input, String expected, String actual, String reason) {

    /** The latency of a row whose answers all came from the cassette: shown as "cached", not as "0 ms". */
    public static final long CACHED = -1;

    /** A row for {@code result}; {@code tolerated} when the suite lets failures pass up to its pass rate. */
    public static Row of(ExampleResult result, boolean tolerated) {
      Example example = result.example();
      long latency = result.cached() ? CACHED : result.latencyMillis();
      String split = example.split().map(s -> s.name().toLowerCase(java.util.Locale.ROOT)).orElse("");
      String input = cut(example.variables().size() == 1
          ? String.valueOf(example.variables().values().iterator().next())
          : String.join("\n", example.variables().entrySet().stream()
              .map(e -> e.getKey() + ": " + e.getValue()).toList()));
      return switch (result.status()) {
        case PASSED -> new Row(example.id(), "passed", split, example.tags(), example.location(),
            latency, input, "", "", "");
        case ERROR -> new Row(example.id(), "error", split, example.tags(), example.location(),
            latency, input,
            cut(example.expected()), result.attempts().stream().map(Attempt::output).filter(o -> !o.isEmpty())
                .findFirst().orElse(""),
            cut(result.firstError().map(Throwable::getMessage).orElse("error")));
        default -> {
          Attempt attempt = result.firstFailedAttempt().orElseThrow();
          CheckFailure first = attempt.failures().get(0);
          // a cut-off answer first: the reasons are shortened for the report
          String reasons = String.join("; ", java.util.stream.Stream.concat(attempt.cutOff().stream(),
              attempt.failures().stream().map(f -> f.check() + ": " + f.reason())).toList());
          yield new Row(example.id(), tolerated ? "tolerated" : "failed", split, example.tags(), example.location(),
              latency,
              input, cut(first.expected()), cut(first.actual()), cut(reasons));
        }
      };
    }

    /** A row for an example that could not run (no model, a broken suite). */
    public static Row aborted(Example example, String reason) {
      return new Row(example.id(), "aborted", example.split()
          .map(s -> s.name().toLowerCase(java.util.Locale.ROOT)).orElse(""),
          example.tags(), example.location(), 0, "", "", "", cut(reason));
    }

    public boolean passed() {
      return status.equals("passed");
    }

    /** {@code 120 ms}, {@code cached} (answered from the cassette), or nothing for an example that did not run. */
    public String latency() {
      return status.equals("aborted") ? "" : latencyMillis == CACHED ? "cached" : latencyMillis + " ms";
    }

    /** {@code id [split] (file:line) expected "…", got "…"}, or {@code … error: why}: a failing example on one line. */
    public String failureSummary() {
      String what = status.equals("error") ? "error: " + oneLine(reason, 140)
          : "expected " + quote(expected) + ", got " + quote(actual)
              + (reason.contains(Attempt.CUT_OFF) ? " (cut off at its output cap)" : "");
      return id + (split.isEmpty() ? "" : " [" + split + "]") + " (" + location + ") " + what;
    }
  }

  private final String name;
  private final String simpleName;
  private final String promptPath;
  private final String examplesPath;
  private final double minPassRate;
  /** The suite's runs keyed by model, in the order they started; today a suite runs with one model. */
  private final Map<String, ModelRun> runs = new LinkedHashMap<>();
  private final List<OptimizationResult> optimizations = new ArrayList<>();
  private String problem;
  private String shard;
  /** The matrix of a suite run against several models, once they are done. */
  private ModelMatrix matrix;
  /** In a suite run against several models, each optimized model's optimization (the best one, with several). */
  private final Map<String, Optimized> optimizedByModel = new LinkedHashMap<>();

  /**
   * One model's optimization in a suite run against several.
   *
   * @param bestPrompt the file its best prompt was written to ({@code best.prompt})
   */
  public record Optimized(OptimizationResult result, String bestPrompt) {}
  private String notRun;
  private Verdict verdict;

  /**
   * What one model did with the suite's examples: its rows and spend. A suite keeps one per model, so that a report
   * can show several models side by side.
   */
  @API(status = INTERNAL, since = "0.1")
  public static final class ModelRun {
    private final String model;
    private final List<Row> rows = new ArrayList<>();
    private Spend spend = Spend.NONE;
    /** Tokens of the answers its examples got, recorded ones included: what running them costs, cached or not. */
    private long inputTokens;
    private long outputTokens;
    private String skipped;

    ModelRun(String model) {
      this.model = model;
    }

    /** The model's name; empty when the suite had none (it did not run). */
    public String model() {
      return model;
    }

    public synchronized List<Row> rows() {
      return List.copyOf(rows);
    }

    public synchronized Spend spend() {
      return spend;
    }

    /** Passed rows over rows that ran (aborted ones did not); 1.0 when none ran. */
    public synchronized double passRate() {
      return SuiteReport.passRate(rows);
    }

    synchronized void add(Row row) {
      rows.add(row);
    }

    /** Counts the tokens of an example's answers (recorded answers' tokens included). */
    public synchronized void tokens(long input, long output) {
      inputTokens += input;
      outputTokens += output;
    }

    public synchronized long inputTokens() {
      return inputTokens;
    }

    public synchronized long outputTokens() {
      return outputTokens;
    }

    /** The model could not start (no key, an unknown provider): why. Its examples did not run. */
    public synchronized void skipped(String why) {
      this.skipped = why;
    }

    public synchronized Optional<String> skipped() {
      return Optional.ofNullable(skipped);
    }

    public synchronized void spend(Spend spend) {
      this.spend = spend;
    }
  }

  /**
   * @param name the suite's class name
   * @param promptPath the prompt file as the user knows it
   * @param examplesPath the examples file as the user knows it
   */
  public SuiteReport(String name, String promptPath, String examplesPath, double minPassRate) {
    this(name, name.substring(name.lastIndexOf('.') + 1), promptPath, examplesPath, minPassRate);
  }

  /**
   * A report titled {@code title} rather than by its class's simple name: a Jupiter evaluation, named by
   * its test method and display name.
   */
  public SuiteReport(String name, String title, String promptPath, String examplesPath, double minPassRate) {
    this.name = name;
    this.simpleName = title;
    this.promptPath = promptPath;
    this.examplesPath = examplesPath;
    this.minPassRate = minPassRate;
  }

  /** Adds a row to the run of the suite's model (the one model named so far). */
  public synchronized void add(Row row) {
    current().add(row);
  }

  /** Adds a row to the run of {@code model} (null: the one model named so far). */
  public synchronized void add(String model, Row row) {
    (model == null ? current() : run(model)).add(row);
  }

  /** The run of {@code model}, started if it was not. */
  public synchronized ModelRun run(String model) {
    if (runs.size() == 1 && runs.containsKey("")) {
      model(model);
    }
    return runs.computeIfAbsent(model, ModelRun::new);
  }

  /** The rows of {@code model}'s run (none when it did not run). */
  public synchronized List<Row> rowsOf(String model) {
    ModelRun run = runs.get(model);
    return run == null ? List.of() : run.rows();
  }

  public synchronized void add(OptimizationResult result) {
    optimizations.add(result);
  }

  /** {@code result}, the optimization of {@code model}'s run in a suite that runs against several models. */
  public synchronized void add(OptimizationResult result, String model) {
    optimizations.add(result);
    optimizationModels.put(result, model);
  }

  /** The model {@code result} optimized the prompt for, in a suite of several models. */
  public synchronized Optional<String> modelOf(OptimizationResult result) {
    return Optional.ofNullable(optimizationModels.get(result));
  }

  private final Map<OptimizationResult, String> optimizationModels = new java.util.IdentityHashMap<>();

  /** Names the suite's model: the rows that follow are its run's (rows added before it move with it). */
  public synchronized void model(String model) {
    ModelRun unnamed = runs.get("");
    if (unnamed != null && !model.isEmpty()) {
      runs.remove("");
      ModelRun named = runs.computeIfAbsent(model, ModelRun::new);
      unnamed.rows().forEach(named::add);
      named.spend(named.spend().plus(unnamed.spend()));
    } else {
      runs.computeIfAbsent(model, ModelRun::new);
    }
  }

  public synchronized void spend(Spend spend) {
    current().spend(spend);
  }

  /**
   * {@code model}'s optimization, in a suite run against several models; with several strategies the one that passed
   * held-out (the first), else the last.
   */
  public synchronized void optimized(String model, OptimizationResult result, String bestPrompt) {
    Optimized known = optimizedByModel.get(model);
    if (known == null || !known.result().passedHeldOut()) {
      optimizedByModel.put(model, new Optimized(result, bestPrompt));
    }
  }

  /** Each optimized model's optimization, in a suite run against several models. */
  public synchronized Map<String, Optimized> optimizedByModel() {
    return Map.copyOf(optimizedByModel);
  }

  /** The suite ran against several models: their matrix, for the reports. */
  public synchronized void matrix(ModelMatrix matrix) {
    this.matrix = matrix;
  }

  /** The matrix of a suite run against several models. */
  public synchronized Optional<ModelMatrix> matrix() {
    return Optional.ofNullable(matrix);
  }

  /** A sharded run ({@code promptunit.shard}): which shard this is and how many examples it holds. */
  public synchronized void shard(String shard) {
    this.shard = shard;
  }

  public synchronized Optional<String> shard() {
    return Optional.ofNullable(shard);
  }

  /** The suite is broken and fails (its files, its declaration, its model's set-up): why. */
  public synchronized void problem(String problem) {
    this.problem = problem;
  }

  /** The suite did not run (no model): why, as several lines if need be. Not a failure. */
  public synchronized void notRun(String why) {
    this.notRun = why;
  }

  /**
   * Who decides whether an evaluation passes when it has no pass-rate bar of its own (a Jupiter or plain-Java
   * evaluation: the caller's assertions do).
   *
   * @param passed whether it passed; empty when nobody said (an evaluation outside a Jupiter test, or tests that
   *     were all skipped)
   * @param by who decided, for the report: {@code the test routesWell(): passed}, {@code 51 tests of RouterTest:
   *     all passed}
   */
  public record Verdict(Optional<Boolean> passed, String by) {}

  /** This report's verdict is {@code verdict}'s, not its pass rate against {@link #minPassRate()}. */
  public synchronized void verdict(Verdict verdict) {
    this.verdict = verdict;
  }

  /** The verdict given from outside (a Jupiter evaluation's tests), when there is one. */
  public synchronized Optional<Verdict> verdict() {
    return Optional.ofNullable(verdict);
  }

  /** The suite's run with each model, in the order they started (today one). */
  public synchronized List<ModelRun> runs() {
    if (runs.isEmpty()) {
      return List.of(new ModelRun(""));
    }
    return List.copyOf(runs.values());
  }

  /** The run rows go to: the last model named, or one without a model. */
  private ModelRun current() {
    if (runs.isEmpty()) {
      runs.put("", new ModelRun(""));
    }
    ModelRun last = null;
    for (ModelRun run : runs.values()) {
      last = run;
    }
    return last;
  }

  public String name() {
    return name;
  }

  public String simpleName() {
    return simpleName;
  }

  public String promptPath() {
    return promptPath;
  }

  public String examplesPath() {
    return examplesPath;
  }

  public double minPassRate() {
    return minPassRate;
  }

  /** Every row of every model's run. */
  public synchronized List<Row> rows() {
    List<Row> all = new ArrayList<>();
    runs.values().forEach(run -> all.addAll(run.rows()));
    return all;
  }

  public synchronized List<OptimizationResult> optimizations() {
    return List.copyOf(optimizations);
  }

  /** The model of the suite's run ({@code ""} without one; the models joined by ", " when there are several). */
  public synchronized String model() {
    return String.join(", ", runs.keySet());
  }

  /** What every model's run of the suite spent. */
  public synchronized Spend spend() {
    return runs.values().stream().map(ModelRun::spend).reduce(Spend.NONE, Spend::plus);
  }

  public synchronized Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /**
   * Why the suite did not run, when it did not: the reason given, else (no example ran, and it is not broken) the
   * reason its examples were not run.
   */
  public synchronized Optional<String> notRun() {
    if (notRun != null) {
      return Optional.of(notRun);
    }
    List<Row> rows = rows();
    if (problem != null || rows.isEmpty() || rows.stream().anyMatch(r -> !r.status().equals("aborted"))) {
      return Optional.empty();
    }
    return Optional.of(rows.get(0).reason().isEmpty() ? "no example ran" : rows.get(0).reason());
  }

  /** Passed rows over rows that ran (aborted ones did not); 1.0 when none ran. */
  public synchronized double passRate() {
    return passRate(rows());
  }

  static double passRate(List<Row> rows) {
    long ran = rows.stream().filter(r -> !r.status().equals("aborted")).count();
    return ran == 0 ? 1.0 : rows.stream().filter(Row::passed).count() / (double) ran;
  }

  /** Whether the suite's examples meet its bar (every example, or its minPassRate). */
  public synchronized boolean passes() {
    if (problem != null || notRun != null) {
      return false;
    }
    if (verdict != null) {
      return verdict.passed().orElse(false);
    }
    boolean ran = rows().stream().anyMatch(r -> !r.status().equals("aborted"));
    if (runs.size() > 1) {
      // side by side, each model is judged on its own examples, as its own pass-rate test is: never a pooled rate
      return ran && runs.values().stream().filter(run -> run.skipped().isEmpty())
          .filter(run -> run.rows().stream().anyMatch(r -> !r.status().equals("aborted")))
          .allMatch(run -> run.passRate() + 1e-9 >= minPassRate);
    }
    return ran && passRate() + 1e-9 >= minPassRate;
  }

  static String cut(String text) {
    if (text == null) {
      return "";
    }
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "… (" + text.length() + " characters)" : text;
  }

  /** Rows of one split ({@code ""} for examples without one). */
  static List<Row> ofSplit(List<Row> rows, String split) {
    List<Row> of = new ArrayList<>();
    for (Row row : rows) {
      if (row.split().equals(split)) {
        of.add(row);
      }
    }
    return of;
  }

  /** {@code ; train 50.0%, test 75.0%} when the examples declare splits (for the console line of a suite). */
  public synchronized String perSplit() {
    return perSplit(rows());
  }

  /** {@link #perSplit()} of {@code model}'s run. */
  public synchronized String perSplit(String model) {
    return perSplit(runs.containsKey(model) ? rowsOf(model) : rows());
  }

  private static String perSplit(List<Row> rows) {
    StringBuilder text = new StringBuilder();
    for (String split : List.of("train", "dev", "test")) {
      List<Row> ofSplit = rows.stream()
          .filter(r -> r.split().equals(split) && !r.status().equals("aborted")).toList();
      if (!ofSplit.isEmpty()) {
        text.append(text.length() == 0 ? "; " : ", ").append(split).append(' ')
            .append(OptimizationReport.pct(ofSplit.stream().filter(Row::passed).count() / (double) ofSplit.size()));
      }
    }
    return text.toString();
  }

  /**
   * One console line per failing example (tolerated ones marked), at most {@value #MAX_FAILURES_SHOWN}, then how many
   * more.
   */
  public synchronized List<String> failureLines() {
    return failureLines(rows(), "✘ ", "");
  }

  /**
   * {@link #failureLines()} of {@code model}'s run. In a suite run against several models, where the same example
   * fails once per model, each line names the model ({@code ✘ [openai:gpt-4o-mini] refund [train] (…) expected …});
   * with one model the lines are those of {@link #failureLines()}.
   */
  public synchronized List<String> failureLines(String model) {
    if (!runs.containsKey(model)) {
      return failureLines(rows(), "✘ ", "");
    }
    return failureLines(rowsOf(model), "✘ ", runs.size() > 1 ? model : "");
  }

  /**
   * The failing examples of an evaluation whose verdict its caller's assertions give (a Jupiter evaluation): said
   * as examples that did not meet their checks, not as failures, after a line saying who decides.
   */
  public synchronized List<String> unmetLines() {
    List<String> lines = failureLines(rows(), "· ", "");
    if (!lines.isEmpty()) {
      long unmet = rows().stream().filter(r -> !r.passed() && !r.status().equals("aborted")).count();
      lines.add(0, "  " + unmet + (unmet == 1 ? " example does not meet its checks" : " examples do not meet their"
          + " checks") + "; the test's assertions decide whether that fails it:");
    }
    return lines;
  }

  /** {@code model}: the model each line names, {@code ""} for none. */
  private static List<String> failureLines(List<Row> rows, String mark, String model) {
    List<Row> failing = rows.stream().filter(r -> !r.passed() && !r.status().equals("aborted")).toList();
    String tag = model.isEmpty() ? "" : "[" + model + "] ";
    List<String> lines = new ArrayList<>();
    for (Row row : failing.subList(0, Math.min(failing.size(), MAX_FAILURES_SHOWN))) {
      lines.add("  " + (row.status().equals("tolerated") ? "~ " : mark) + tag + row.failureSummary()
          + (row.status().equals("tolerated") ? " (tolerated by minPassRate)" : ""));
    }
    if (failing.size() > MAX_FAILURES_SHOWN) {
      lines.add("  … and " + (failing.size() - MAX_FAILURES_SHOWN) + " more failing examples"
          + (model.isEmpty() ? "" : " of " + model) + " (see the report)");
    }
    return lines;
  }

  private static final int MAX_FAILURES_SHOWN = 20;

  private static String quote(String text) {
    return "\"" + oneLine(text, 60) + "\"";
  }

  private static String oneLine(String text, int most) {
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() > most ? line.substring(0, most - 1) + "…" : line;
  }
}
