package io.promptunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.promptunit.model.PriceTable;
import io.promptunit.model.Spend;
import io.promptunit.optimize.OptimizationResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apiguardian.api.API;

/**
 * A suite run against several models, side by side: per model its pass rate per split, failing examples, cost per
 * 1,000 examples (from the tokens its answers took, recorded ones included, and the price table), latency p50/p95 and
 * verdict; and the cheapest model that meets the suite's {@code minPassRate} on held-out examples (the {@code test}
 * split when the examples declare one, else all of them).
 */
@API(status = INTERNAL, since = "0.1")
public final class ModelMatrix {

  /** The splits shown as columns, then every example. */
  static final List<String> SPLITS = List.of("train", "dev", "test", "all");

  /**
   * One model's line.
   *
   * @param passRates pass rate per split that has examples ({@code all}: every example that ran)
   * @param ran examples that ran
   * @param failing examples that failed or errored
   * @param errors examples that errored (no answer could be had: a server that cannot be reached, a model error)
   * @param costPer1000 dollars per 1,000 examples that got an answer, from every answer each took (one per run of
   *     {@code repeats}; a judge's calls are not counted); empty when the model has no price, or its provider
   *     reported no tokens
   * @param priced whether the price table has the model
   * @param p50 median latency in ms of the examples that called the model; empty when all were answered from the
   *     cassette
   * @param heldOutPassRate pass rate on held-out examples
   * @param passes whether it meets minPassRate on held-out
   * @param skipped why it did not run, if it could not start
   */
  public record Line(String model, Map<String, Double> passRates, long ran, long failing, long errors,
      OptionalDouble costPer1000, boolean priced,
      OptionalLong p50, OptionalLong p95, double heldOutPassRate, boolean passes, Optional<String> skipped) {

    /** {@code passes}, {@code fails}, {@code skipped}, {@code not run}. */
    public String verdict() {
      return skipped.isPresent() ? "skipped" : ran == 0 ? "not run" : passes ? "passes" : "fails";
    }
  }

  /**
   * One model after the optimizations of a suite run against several models: its held-out pass rate with the
   * checked-in prompt and with the prompt that came out, what optimizing it spent, and the cost per 1,000 examples
   * with that prompt.
   *
   * @param costPer1000 dollars per 1,000 examples with {@code prompt}: the matrix's figure for the checked-in prompt,
   *     and for an optimized one that figure plus what its answers took more (or less) than the checked-in prompt's
   *     on the examples both were scored on, per example ({@link OptimizationResult.Usage}: every answer an example
   *     took, each run of {@code repeats}, input and output tokens; not the calls of a judge, as in the matrix's
   *     figure); empty as the matrix's figure is, or when no example was measured with both prompts
   * @param prompt {@code checked-in}, or the file of the optimized prompt ({@code best.prompt})
   */
  public record After(String model, Optional<Double> originalHeldOut, Optional<Double> heldOut, boolean passes,
      Spend spend, OptionalDouble costPer1000, String prompt) {}

  private final String suite;
  private final double minPassRate;
  private final String heldOut;
  private final List<Line> lines;
  private final List<After> after;

  private ModelMatrix(String suite, double minPassRate, String heldOut, List<Line> lines, List<After> after) {
    this.suite = suite;
    this.minPassRate = minPassRate;
    this.heldOut = heldOut;
    this.lines = List.copyOf(lines);
    this.after = List.copyOf(after);
  }

  /** The matrix of {@code report}'s model runs, priced with {@code prices}. */
  public static ModelMatrix of(SuiteReport report, PriceTable prices) {
    List<SuiteReport.ModelRun> runs = report.runs();
    boolean testSplit = runs.stream().flatMap(run -> run.rows().stream()).anyMatch(row -> row.split().equals("test"));
    String heldOut = testSplit ? "test" : "all";
    List<Line> lines = new ArrayList<>();
    for (SuiteReport.ModelRun run : runs) {
      lines.add(line(run, heldOut, report.minPassRate(), prices));
    }
    Map<String, SuiteReport.Optimized> optimized = report.optimizedByModel();
    List<After> after = optimized.isEmpty() ? List.of() : lines.stream().map(line -> after(line, optimized.get(
        line.model()), prices)).toList();
    return new ModelMatrix(report.simpleName(), report.minPassRate(), heldOut, lines, after);
  }

  private static After after(Line line, SuiteReport.Optimized optimized, PriceTable prices) {
    if (optimized == null) {
      Optional<Double> held = line.ran() == 0 ? Optional.empty() : Optional.of(line.heldOutPassRate());
      return new After(line.model(), held, held, line.passes(), Spend.NONE, line.costPer1000(), CHECKED_IN);
    }
    OptimizationResult result = optimized.result();
    boolean changed = result.improved();
    OptionalDouble cost = line.costPer1000();
    Optional<PriceTable.Price> price = prices.priceOf(line.model());
    if (changed && cost.isPresent() && price.isPresent()) {
      cost = withPrompt(cost.getAsDouble(), result.usage(), price.get());
    }
    return new After(line.model(), Optional.ofNullable(result.originalScores().heldOut()),
        Optional.ofNullable(result.bestScores().heldOut()), result.passedHeldOut(), result.spend(), cost,
        changed ? optimized.bestPrompt() : CHECKED_IN);
  }

  /**
   * The cost per 1,000 examples {@code measured} with the checked-in prompt, changed by what the optimized prompt's
   * answers took more or less per example on the examples both prompts answered ({@code usage}); empty when there
   * were none.
   */
  static OptionalDouble withPrompt(double measured, OptimizationResult.Usage usage, PriceTable.Price price) {
    if (usage.examples() == 0) {
      return OptionalDouble.empty();
    }
    double more = price.cost(usage.best().inputTokens(), usage.best().outputTokens())
        - price.cost(usage.original().inputTokens(), usage.original().outputTokens());
    return OptionalDouble.of(measured + more * 1000.0 / usage.examples());
  }

  /**
   * {@code $0.1234}, or why there is no figure: as the matrix's line says it, or {@code not measured} when no example
   * was scored with both the checked-in and the optimized prompt.
   */
  public String cost(After after) {
    if (after.costPer1000().isPresent()) {
      return String.format(Locale.ROOT, "$%.4f", after.costPer1000().getAsDouble());
    }
    return line(after.model()).map(line -> line.costPer1000().isPresent() ? "not measured" : cost(line))
        .orElse("—");
  }

  /** The prompt of a model that was not optimized, or whose optimization changed nothing. */
  public static final String CHECKED_IN = "checked-in";

  /** Each model after the optimizations, when models were optimized. */
  public List<After> after() {
    return after;
  }

  /**
   * The cheapest model that passes held-out after the optimizations, with which prompt: the lowest cost per 1,000
   * examples among the priced ones that pass, else the first that passes.
   */
  public Optional<After> cheapestPassingAfter() {
    List<After> passing = after.stream().filter(After::passes).toList();
    return passing.stream().filter(line -> line.costPer1000().isPresent())
        .min(Comparator.comparingDouble(line -> line.costPer1000().getAsDouble()))
        .or(() -> passing.stream().findFirst());
  }

  /** The console table after the optimizations: per model original -> optimized held-out, spend, cost, prompt. */
  public String afterTable() {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("model", "held-out original → optimized", "optimization spend", "$ per 1,000", "verdict",
        "prompt"));
    for (After line : after) {
      rows.add(List.of(line.model(), OptimizationReport.pct(line.originalHeldOut().orElse(null)) + " → "
          + OptimizationReport.pct(line.heldOut().orElse(null)), line.spend().describe(), cost(line),
          line.passes() ? "passes" : "fails", line.prompt()));
    }
    return render(rows);
  }

  /** The cheapest model that passes held-out after the optimizations, and with which prompt; or that none does. */
  public String afterConclusion() {
    return cheapestPassingAfter().map(line -> "cheapest model that passes held-out after optimization: "
        + line.model() + (line.costPer1000().isPresent() ? String.format(Locale.ROOT, ", $%.4f per 1,000 examples",
            line.costPer1000().getAsDouble()) : "") + ", with " + (line.prompt().equals(CHECKED_IN)
            ? "the checked-in prompt" : "the prompt in " + line.prompt()) + ".")
        .orElse("no model passes held-out, even after optimization.");
  }

  private static Line line(SuiteReport.ModelRun run, String heldOut, double minPassRate, PriceTable prices) {
    List<SuiteReport.Row> ran = run.rows().stream().filter(row -> !row.status().equals("aborted")).toList();
    Map<String, Double> rates = new LinkedHashMap<>();
    for (String split : SPLITS) {
      List<SuiteReport.Row> of = split.equals("all") ? ran : SuiteReport.ofSplit(ran, split);
      if (!of.isEmpty()) {
        rates.put(split, of.stream().filter(SuiteReport.Row::passed).count() / (double) of.size());
      }
    }
    long failing = ran.stream().filter(row -> !row.passed()).count();
    // per example that got an answer (an errored one took no tokens); no figure when no tokens were measured (a
    // provider that reports no usage), which would otherwise read as free and win "cheapest"
    long answered = ran.stream().filter(row -> !row.status().equals("error")).count();
    boolean measured = run.inputTokens() + run.outputTokens() > 0;
    OptionalDouble cost = answered == 0 || !measured ? OptionalDouble.empty() : prices.priceOf(run.model())
        .map(price -> OptionalDouble.of(price.cost(run.inputTokens(), run.outputTokens()) * 1000.0 / answered))
        .orElse(OptionalDouble.empty());
    long[] latencies = ran.stream().mapToLong(SuiteReport.Row::latencyMillis).filter(ms -> ms >= 0).sorted()
        .toArray();
    Double held = rates.get(heldOut);
    boolean passes = run.skipped().isEmpty() && held != null && held + 1e-9 >= minPassRate;
    long errors = ran.stream().filter(row -> row.status().equals("error")).count();
    // a model that answered nothing (its server cannot be reached, every call refused) did not run: say why
    Optional<String> skipped = run.skipped().or(() -> errors > 0 && errors == ran.size()
        ? Optional.of("no example got an answer: " + firstLine(ran.get(0).reason())) : Optional.empty());
    return new Line(run.model(), rates, ran.size(), failing, errors, cost, prices.priceOf(run.model()).isPresent(),
        percentile(latencies, 50),
        percentile(latencies, 95), held == null ? 0 : held, passes, skipped);
  }

  private static String firstLine(String text) {
    String line = text.strip().split("\n", 2)[0];
    return line.length() > 160 ? line.substring(0, 159) + "…" : line;
  }

  /** The nearest-rank percentile of sorted values. */
  static OptionalLong percentile(long[] sorted, int percent) {
    if (sorted.length == 0) {
      return OptionalLong.empty();
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return OptionalLong.of(sorted[Math.max(0, rank - 1)]);
  }

  public String suite() {
    return suite;
  }

  public double minPassRate() {
    return minPassRate;
  }

  /** {@code test}, or {@code all} when the examples declare no test split. */
  public String heldOut() {
    return heldOut;
  }

  public List<Line> lines() {
    return lines;
  }

  /** The line of {@code model}, if it is one of the matrix's. */
  public Optional<Line> line(String model) {
    return lines.stream().filter(line -> line.model().equals(model)).findFirst();
  }

  /**
   * The cheapest model that passes held-out: the lowest cost per 1,000 examples among the priced ones that pass, else
   * (none priced) the first that passes in the declared order.
   */
  public Optional<Line> cheapestPassing() {
    List<Line> passing = lines.stream().filter(Line::passes).toList();
    return passing.stream().filter(line -> line.costPer1000().isPresent())
        .min(Comparator.comparingDouble(line -> line.costPer1000().getAsDouble()))
        .or(() -> passing.stream().findFirst());
  }

  /** The split columns the matrix has figures for. */
  List<String> splits() {
    return SPLITS.stream().filter(split -> lines.stream().anyMatch(line -> line.passRates().containsKey(split)))
        .toList();
  }

  /** The console table: one line per model. */
  public String table() {
    List<String> header = new ArrayList<>(List.of("model"));
    List<String> splits = splits();
    splits.forEach(split -> header.add(split.equals(heldOut) ? split + " (held-out)" : split));
    header.addAll(List.of("failing", "$ per 1,000", "p50", "p95", "verdict"));
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    for (Line line : lines) {
      List<String> cells = new ArrayList<>(List.of(line.model()));
      splits.forEach(split -> cells.add(OptimizationReport.pct(line.passRates().get(split))));
      cells.add(line.ran() == 0 ? "—" : String.valueOf(line.failing()));
      cells.add(cost(line));
      cells.add(latency(line.p50(), line));
      cells.add(latency(line.p95(), line));
      cells.add(line.verdict() + (line.errors() == 0 ? "" : " (" + line.errors() + (line.errors() == 1 ? " error)"
          : " errors)")) + line.skipped().map(why -> ": " + why).orElse(""));
      rows.add(cells);
    }
    return render(rows);
  }

  /** {@code $0.1234}, {@code no price}, or {@code —} for a model that did not run. */
  static String cost(Line line) {
    if (line.ran() == 0) {
      return "—";
    }
    return line.costPer1000().isPresent() ? String.format(Locale.ROOT, "$%.4f", line.costPer1000().getAsDouble())
        : line.priced() ? "no tokens reported" : "no price";
  }

  /** {@code 120 ms}, {@code cached} (every answer came from the cassette), or {@code —}. */
  static String latency(OptionalLong value, Line line) {
    return value.isPresent() ? value.getAsLong() + " ms" : line.ran() == 0 ? "—" : "cached";
  }

  private static String render(List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns - 1; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < columns; i++) {
        line.append(i == columns - 1 ? row.get(i) : String.format(Locale.ROOT, "%-" + widths[i] + "s  ", row.get(i)));
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString().stripTrailing();
  }

  /**
   * {@code cheapest model that passes held-out test (minPassRate 90.0%): openai:gpt-4o-mini, $0.0420 per 1,000
   * examples}, or that none passes.
   */
  public String conclusion() {
    String bar = heldOut.equals("all")
        ? "all examples (minPassRate " + OptimizationReport.pct(minPassRate) + "; no test split to hold out)"
        : "held-out " + heldOut + " (minPassRate " + OptimizationReport.pct(minPassRate) + ")";
    Optional<Line> cheapest = cheapestPassing();
    if (cheapest.isEmpty()) {
      return "no model passes " + bar + ".";
    }
    Line line = cheapest.get();
    List<String> unpriced = lines.stream().filter(Line::passes).filter(l -> l.costPer1000().isEmpty())
        .map(Line::model).toList();
    return "cheapest model that passes " + bar + ": " + line.model() + (line.costPer1000().isPresent()
        ? ", " + cost(line) + " per 1,000 examples" : ", though no passing model has a price")
        + (unpriced.isEmpty() || line.costPer1000().isEmpty() ? ""
        : " (" + String.join(", ", unpriced) + " also passes but has no cost figure: set promptunit.price.<model>,"
        + " or use a provider that reports tokens)") + ".";
  }
}
