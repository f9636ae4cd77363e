package io.promptunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.model.Spend;
import io.promptunit.optimize.Candidate;
import io.promptunit.optimize.History;
import io.promptunit.optimize.OptimizationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The run as one self-contained HTML page (inline styles, script and SVG; nothing fetched from the
 * network, so it opens from disk and in CI artifacts): per suite the pass rates overall, per split
 * and per tag, model, spend and latency, and a table of examples that can be filtered and searched,
 * each failure with input, expected, actual, a word-level diff and its {@code file:line}; per
 * optimization a plot of the scores per round, the candidates with their lineage and reasons, the
 * rejections, the diff from the original to the best prompt and the spend per round. A suite that
 * did not run says so once, with why, and shows no rates; a suite's figures and examples sit under
 * the model that produced them ({@code div.run[data-model]}, {@code div.run-examples[data-model]}).
 *
 * <pre>{@code
 * SuiteReport suite =
 *     new SuiteReport("com.acme.RouterPromptTest", "prompts/router.prompt", "prompts/router.jsonl", 1.0);
 * suite.add(SuiteReport.Row.of(result, false));
 * HtmlReport.write(Path.of("target/promptunit/report.html"), List.of(suite), spend);
 * }</pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class HtmlReport {

  private HtmlReport() {}

  /** Writes the report atomically (a temporary file renamed over the old one). */
  public static Path write(Path file, List<SuiteReport> suites, Spend spend) throws IOException {
    Path absolute = file.toAbsolutePath();
    io.promptunit.config.AtomicWrite.replace(absolute, render(suites, spend, ZonedDateTime.now()));
    return absolute;
  }

  public static String render(List<SuiteReport> suites, Spend spend, ZonedDateTime when) {
    StringBuilder html = new StringBuilder(16_384);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>PromptUnit report</title><style>").append(STYLE).append("</style></head><body>\n");
    html.append("<header><h1>PromptUnit report</h1><p class=\"summary\">");
    summary(html, suites);
    html.append(" · spend ").append(esc(spend.describe()))
        .append(" · ").append(esc(when.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT))))
        .append("</p><nav>");
    for (SuiteReport suite : suites) {
      html.append("<a href=\"#").append(anchor(suite)).append("\" class=\"").append(outcome(suite)).append("\">")
          .append(esc(suite.simpleName())).append(" ")
          // several models: no pooled pass rate, which would describe none of them
          .append(suite.notRun().isPresent() ? "not run" : suite.runs().size() > 1 ? suite.runs().size() + " models"
              : pct(suite.passRate())).append("</a> ");
    }
    html.append("</nav></header>\n<main>\n");
    Map<String, SuiteReport> whyFirstGiven = new LinkedHashMap<>();
    for (SuiteReport suite : suites) {
      suite(html, suite, whyFirstGiven);
    }
    html.append("</main><script>").append(SCRIPT).append("</script></body></html>\n");
    return html.toString();
  }

  /**
   * What ran, by kind, and the examples that ran and failed: the suites (engine suites, judged by their pass-rate bar)
   * that pass of those that ran and how many did not run, then the evaluations (made through the Jupiter integration
   * or plain Java, judged by their tests: {@link SuiteReport#verdict()}) that pass, fail, have no verdict or did not
   * run. Each kind is named only when the run has some.
   */
  private static void summary(StringBuilder html, List<SuiteReport> suites) {
    List<SuiteReport> engineSuites = suites.stream().filter(s -> s.verdict().isEmpty()).toList();
    List<SuiteReport> evaluations = suites.stream().filter(s -> s.verdict().isPresent()).toList();
    List<String> parts = new ArrayList<>();
    if (!engineSuites.isEmpty() || evaluations.isEmpty()) {
      parts.add(suitesPart(engineSuites));
    }
    if (!evaluations.isEmpty()) {
      parts.add(evaluationsPart(evaluations));
    }
    long decided = suites.stream().filter(s -> outcome(s).equals("ok") || outcome(s).equals("bad")).count();
    long undecided = suites.stream().filter(s -> outcome(s).equals("info")).count();
    boolean allPass = suites.stream().noneMatch(s -> outcome(s).equals("bad"));
    List<SuiteReport.Row> rows = suites.stream().flatMap(s -> s.rows().stream()).toList();
    long aborted = rows.stream().filter(r -> r.status().equals("aborted")).count();
    long failing = rows.stream().filter(r -> r.status().equals("failed") || r.status().equals("error")).count();
    html.append("<span class=\"").append(decided == 0 ? (undecided == 0 ? "skip" : "info") : allPass ? "ok" : "bad")
        .append("\" id=\"suites-passing\">").append(esc(String.join(" · ", parts)))
        .append("</span> · ").append(rows.size() - aborted).append(" examples ran, ").append(failing)
        .append(" failing").append(aborted == 0 ? "" : ", " + aborted + " not run");
  }

  /** {@code 2 of 3 suites pass, 1 not run}, {@code no suite ran (1 not run)}. */
  private static String suitesPart(List<SuiteReport> suites) {
    long notRun = suites.stream().filter(s -> s.notRun().isPresent()).count();
    long ran = suites.size() - notRun;
    long passing = suites.stream().filter(SuiteReport::passes).count();
    if (ran == 0) {
      return "no suite ran" + (notRun == 0 ? "" : " (" + notRun + " not run)");
    }
    return passing + " of " + ran + " suites pass" + (notRun == 0 ? "" : ", " + notRun + " not run");
  }

  /**
   * {@code 3 evaluations (2 pass, 1 fails)}; {@code 1 evaluation without a verdict (the caller's assertions decide)}
   * when none has one.
   */
  private static String evaluationsPart(List<SuiteReport> evaluations) {
    long passing = evaluations.stream().filter(s -> outcome(s).equals("ok")).count();
    long failing = evaluations.stream().filter(s -> outcome(s).equals("bad")).count();
    long undecided = evaluations.stream().filter(s -> outcome(s).equals("info")).count();
    long notRun = evaluations.stream().filter(s -> s.notRun().isPresent()).count();
    String counted = evaluations.size() + (evaluations.size() == 1 ? " evaluation" : " evaluations");
    if (undecided == evaluations.size()) {
      return counted + " without a verdict (the caller's assertions decide)";
    }
    List<String> parts = new ArrayList<>();
    if (passing > 0) {
      parts.add(passing + (passing == 1 ? " passes" : " pass"));
    }
    if (failing > 0) {
      parts.add(failing + (failing == 1 ? " fails" : " fail"));
    }
    if (undecided > 0) {
      parts.add(undecided + " without a verdict: the caller's assertions decide");
    }
    if (notRun > 0) {
      parts.add(notRun + " not run");
    }
    return counted + " (" + String.join(", ", parts) + ")";
  }

  /** {@code ok}, {@code bad} or {@code skip} (did not run): the suite's colour. */
  private static String outcome(SuiteReport suite) {
    if (suite.notRun().isPresent()) {
      return "skip";
    }
    if (suite.problem().isEmpty() && suite.verdict().isPresent() && suite.verdict().get().passed().isEmpty()) {
      return "info";
    }
    return suite.passes() ? "ok" : "bad";
  }

  /** A suite's section; {@code whyFirstGiven}: the suite that first gave each reason for not running. */
  private static void suite(StringBuilder html, SuiteReport suite, Map<String, SuiteReport> whyFirstGiven) {
    html.append("<section class=\"suite\" id=\"").append(anchor(suite)).append("\" data-suite=\"")
        .append(esc(suite.name())).append("\">\n");
    String outcome = outcome(suite);
    html.append("<h2><span class=\"badge ").append(outcome).append("\">")
        .append(switch (outcome) {
          case "ok" -> "PASS";
          case "bad" -> "FAIL";
          case "info" -> "EVALUATED";
          default -> "NOT RUN";
        }).append("</span> ")
        .append(esc(suite.simpleName())).append("</h2>\n<p class=\"meta\">").append(esc(suite.name()))
        .append(" · prompt <code>").append(esc(suite.promptPath())).append("</code> · examples <code>")
        .append(esc(suite.examplesPath())).append("</code>")
        .append(suite.shard().map(shard -> " · <span class=\"shard\">" + esc(shard) + "</span>").orElse(""))
        .append("</p>\n");
    suite.problem().ifPresent(problem -> html.append("<pre class=\"problem\">").append(esc(problem))
        .append("</pre>\n"));
    Optional<String> notRun = suite.notRun();
    if (notRun.isPresent()) {
      notRun(html, suite, notRun.get(), whyFirstGiven);
      return;
    }
    runs(html, suite);
    html.append("</section>\n");
  }

  /**
   * A suite that did not run says so once, with why: no figures, bars or rows. A reason already given in full by an
   * earlier suite is given by its first sentence and a link there.
   */
  private static void notRun(StringBuilder html, SuiteReport suite, String why,
      Map<String, SuiteReport> whyFirstGiven) {
    html.append("<div class=\"not-run\"><p>").append(suite.rows().size()).append(" examples were not run.</p>");
    SuiteReport first = whyFirstGiven.putIfAbsent(why, suite);
    if (first == null) {
      html.append("<pre class=\"why\">").append(esc(why)).append("</pre>");
    } else {
      String line = why.strip().split("\n", 2)[0];
      String sentence = line.contains(". ") ? line.substring(0, line.indexOf(". ") + 1) : line;
      html.append("<p class=\"why\">").append(esc(sentence)).append(" The details are under <a href=\"#")
          .append(anchor(first)).append("\">").append(esc(first.simpleName())).append("</a>.</p>");
    }
    html.append("</div>\n</section>\n");
  }

  /**
   * Per model (today one): its figures and pass rates per split and tag, then the optimizations, then its examples.
   * Each model's part is a {@code div.run[data-model]}, so that several models can stand side by side.
   */
  private static void runs(StringBuilder html, SuiteReport suite) {
    List<SuiteReport.ModelRun> runs = suite.runs();
    html.append("<div class=\"runs\">");
    for (SuiteReport.ModelRun run : runs) {
      html.append("<div class=\"run\" data-model=\"").append(esc(run.model())).append("\">");
      if (!run.model().isEmpty()) {
        html.append("<p class=\"model\">model <code>").append(esc(run.model())).append("</code></p>");
      }
      run.skipped().ifPresent(why -> html.append("<p class=\"skipped\">skipped, the model cannot start: ")
          .append(esc(why)).append("</p>"));
      if (!run.rows().isEmpty()) {
        figures(html, suite, run);
        breakdown(html, run.rows());
      }
      html.append("</div>");
    }
    html.append("</div>\n");
    // how the scores moved comes before the (possibly long) table of examples
    List<OptimizationResult> optimizations = suite.optimizations();
    if (optimizations.size() > 1) {
      comparison(html, optimizations);
    }
    for (OptimizationResult result : optimizations) {
      optimization(html, suite, result);
    }
    if (suite.matrix().isPresent()) {
      MatrixHtml.section(html, suite, suite.matrix().get());
      return;
    }
    for (SuiteReport.ModelRun run : runs) {
      if (!run.rows().isEmpty()) {
        html.append("<div class=\"run-examples\" data-model=\"").append(esc(run.model())).append("\">")
            .append("<h3>Examples</h3>\n");
        examples(html, run.rows());
        html.append("</div>\n");
      }
    }
  }

  /** The suite's pass rate, examples passed, spend and latency. */
  private static void figures(StringBuilder html, SuiteReport suite, SuiteReport.ModelRun run) {
    List<SuiteReport.Row> rows = run.rows();
    // answers from the cassette took no time worth a figure
    List<Long> latencies = rows.stream().filter(r -> !r.status().equals("aborted"))
        .map(SuiteReport.Row::latencyMillis).filter(ms -> ms != SuiteReport.Row.CACHED).sorted().toList();
    html.append("<div class=\"figures\"><div class=\"figure\"><b class=\"pass-rate\">").append(pct(run.passRate()))
        .append("</b><span>").append(suite.verdict().map(v -> "pass rate (" + esc(v.by()) + ")")
            .orElse("pass rate (required " + pct(suite.minPassRate()) + ")")).append("</span></div>")
        .append("<div class=\"figure\"><b>").append(rows.stream().filter(SuiteReport.Row::passed).count())
        .append(" / ").append(rows.size()).append("</b><span>examples passed</span></div>")
        .append("<div class=\"figure\"><b>").append(esc(run.spend().describe()))
        .append("</b><span>spend</span></div>")
        .append("<div class=\"figure\"><b>")
        .append(latencies.isEmpty() ? noLatency(rows) : latencies.get(latencies.size() / 2) + " ms").append(" / ")
        .append(latencies.isEmpty() ? noLatency(rows) : percentile95(latencies) + " ms")
        .append("</b><span>latency median / p95</span></div></div>\n");
  }

  /** "cached" when every example that ran was answered from the cassette, else a dash. */
  private static String noLatency(List<SuiteReport.Row> rows) {
    return rows.stream().anyMatch(r -> r.latencyMillis() == SuiteReport.Row.CACHED) ? "cached" : "—";
  }

  private static long percentile95(List<Long> sorted) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.95) - 1));
  }

  /** One row per strategy when a suite was optimized with several. */
  private static void comparison(StringBuilder html, List<OptimizationResult> optimizations) {
    html.append("<h3>Strategy comparison</h3>\n<table class=\"comparison\"><thead><tr><th>strategy</th>")
        .append("<th>passes held-out</th><th>best</th><th>train</th><th>dev</th><th>held-out (original → best)</th>")
        .append("<th>spend</th><th>wall time</th><th>rounds</th></tr></thead><tbody>");
    for (OptimizationResult result : optimizations) {
      History.Scores best = result.bestScores();
      html.append("<tr><td>").append(esc(result.strategy())).append("</td><td>")
          .append(result.passedHeldOut() ? "yes" : "no")
          .append("</td><td>").append(esc(result.best().id())).append("</td><td>").append(pct(best.train()))
          .append("</td><td>").append(pct(best.selection())).append("</td><td>")
          .append(pct(result.originalScores().heldOut())).append(" → ").append(pct(best.heldOut()))
          .append("</td><td>").append(esc(result.spend().describe())).append("</td><td>").append(result.seconds())
          .append(" s</td><td>").append(result.history().rounds().size()).append("</td></tr>");
    }
    html.append("</tbody></table>\n");
  }

  /** Pass rates per split (shown) and per tag (folded, worst first: a suite may have a tag per example). */
  private static void breakdown(StringBuilder html, List<SuiteReport.Row> rows) {
    Map<String, List<SuiteReport.Row>> splits = new LinkedHashMap<>();
    for (String split : List.of("train", "dev", "test", "")) {
      List<SuiteReport.Row> of = SuiteReport.ofSplit(rows, split);
      if (!of.isEmpty() && of.size() != rows.size()) {
        splits.put(split.isEmpty() ? "split: none" : "split: " + split, of);
      }
    }
    Set<String> names = new TreeSet<>();
    rows.forEach(r -> names.addAll(r.tags()));
    Map<String, List<SuiteReport.Row>> tags = new LinkedHashMap<>();
    names.stream()
        .map(tag -> Map.entry("tag: " + tag, rows.stream().filter(r -> r.tags().contains(tag)).toList()))
        .sorted(java.util.Comparator.comparingDouble(
            (Map.Entry<String, List<SuiteReport.Row>> e) -> SuiteReport.passRate(e.getValue())))
        .forEach(e -> tags.put(e.getKey(), e.getValue()));
    if (!splits.isEmpty()) {
      groupTable(html, "splits", splits);
    }
    if (!tags.isEmpty()) {
      html.append("<details class=\"tags\"><summary>pass rate per tag (").append(tags.size())
          .append(" tags, worst first)</summary>");
      groupTable(html, "tags", tags);
      html.append("</details>\n");
    }
  }

  private static void groupTable(StringBuilder html, String kind, Map<String, List<SuiteReport.Row>> groups) {
    html.append("<table class=\"breakdown ").append(kind)
        .append("\"><thead><tr><th>group</th><th>examples</th><th>passed</th><th>pass rate</th></tr></thead><tbody>");
    groups.forEach((name, of) -> html.append("<tr><td>").append(esc(name)).append("</td><td>")
        .append(of.size()).append("</td><td>")
        .append(of.stream().filter(SuiteReport.Row::passed).count()).append("</td><td>")
        .append(bar(SuiteReport.passRate(of))).append("</td></tr>"));
    html.append("</tbody></table>\n");
  }

  private static void examples(StringBuilder html, List<SuiteReport.Row> rows) {
    filters(html, rows);
    html.append("<table class=\"examples\"><thead><tr><th>status</th><th>id</th><th>split</th><th>tags</th>")
        .append("<th>where</th><th>latency</th></tr></thead><tbody>\n");
    // a suite of 100,000 examples would make a page no browser enjoys: every failure up to a bound, passes up to a
    // smaller one
    int passesShown = 0;
    int failuresShown = 0;
    int left = 0;
    for (SuiteReport.Row row : rows) {
      boolean failing = !row.passed();
      if (failing ? failuresShown >= MAX_FAILURES_LISTED : passesShown >= MAX_PASSES_LISTED) {
        left++;
        continue;
      }
      if (failing) {
        failuresShown++;
      } else {
        passesShown++;
      }
      exampleRow(html, row);
      if (failing) {
        failureDetail(html, row);
      }
    }
    html.append("</tbody></table>\n");
    if (left > 0) {
      html.append("<p class=\"more\">").append(left).append(" more examples are not listed here (the first ")
          .append(MAX_FAILURES_LISTED).append(" failures and ").append(MAX_PASSES_LISTED)
          .append(" passes are); every example is in Surefire's XML.</p>\n");
    }
  }

  static final int MAX_FAILURES_LISTED = 5000;
  static final int MAX_PASSES_LISTED = 2000;

  /** Failures only, a split, a tag, and a search over id, input and output. */
  private static void filters(StringBuilder html, List<SuiteReport.Row> rows) {
    Set<String> splits = new LinkedHashSet<>();
    Set<String> tags = new TreeSet<>();
    rows.forEach(r -> {
      if (!r.split().isEmpty()) {
        splits.add(r.split());
      }
      tags.addAll(r.tags());
    });
    html.append("<div class=\"filters\"><label><input type=\"checkbox\" class=\"only-failures\"> "
        + "failures only</label> ")
        .append("<select class=\"split-filter\"><option value=\"\">every split</option>");
    splits.forEach(s -> html.append("<option>").append(esc(s)).append("</option>"));
    html.append("</select> <select class=\"tag-filter\"><option value=\"\">every tag</option>");
    tags.forEach(t -> html.append("<option>").append(esc(t)).append("</option>"));
    html.append("</select> <input type=\"search\" class=\"search\" placeholder=\"search id, input, output\">")
        .append(" <span class=\"shown\"></span></div>\n");
  }

  private static void exampleRow(StringBuilder html, SuiteReport.Row row) {
    String searched = row.id() + " " + row.input() + " " + row.actual() + " " + row.expected();
    html.append("<tr class=\"example ").append(row.status()).append("\" data-status=\"").append(row.status())
        .append("\" data-split=\"").append(esc(row.split()))
        .append("\" data-tags=\"").append(esc(String.join(" ", row.tags())))
        .append("\" data-text=\"").append(esc(searched.toLowerCase(Locale.ROOT))).append("\">")
        .append("<td><span class=\"status ").append(row.status()).append("\">").append(row.status())
        .append("</span></td><td>").append(esc(row.id())).append("</td><td>").append(esc(row.split()))
        .append("</td><td>").append(esc(String.join(", ", row.tags())))
        .append("</td><td><code>").append(esc(row.location())).append("</code></td><td>")
        .append(row.latency())
        .append("</td></tr>\n");
  }

  /** Below a failing example: its input, expected and actual output with a word diff, and why it failed. */
  private static void failureDetail(StringBuilder html, SuiteReport.Row row) {
    html.append("<tr class=\"detail\" data-for=\"").append(esc(row.id())).append("\"><td colspan=\"6\"><dl>")
        .append("<dt>input</dt><dd><pre>").append(esc(row.input())).append("</pre></dd>");
    if (!row.expected().isEmpty() || !row.actual().isEmpty()) {
      html.append("<dt>expected</dt><dd><pre class=\"expected\">").append(esc(row.expected())).append("</pre></dd>")
          .append("<dt>actual</dt><dd><pre class=\"actual\">").append(esc(row.actual())).append("</pre></dd>")
          .append("<dt>diff</dt><dd><pre class=\"diff\">").append(wordDiff(row.expected(), row.actual()))
          .append("</pre></dd>");
    }
    html.append("<dt>why</dt><dd class=\"reason\">").append(esc(row.reason())).append("</dd></dl></td></tr>\n");
  }

  private static void optimization(StringBuilder html, SuiteReport suite, OptimizationResult result) {
    History history = result.history();
    html.append("<div class=\"optimization\" data-strategy=\"").append(esc(result.strategy()))
        .append("\"><h3>Optimization: ").append(esc(result.strategy()))
        .append(suite.modelOf(result).map(model -> " for <code>" + esc(model) + "</code>").orElse(""))
        .append(" <span class=\"badge ")
        .append(result.passedHeldOut() ? "ok\">passes held-out" : "bad\">does not pass held-out")
        .append("</span></h3>\n<p>").append(esc(result.movement())).append(". Stopped: ")
        .append(esc(result.stopDetail())).append(". Spend ").append(esc(result.spend().describe())).append(", ")
        .append(result.seconds()).append(" s.</p>\n");
    html.append(plot(result));
    if (result.improved()) {
      promptDiff(html, result);
    }
    rounds(html, history);
    candidates(html, result);
    if (!history.rejections().isEmpty()) {
      rejections(html, history);
    }
    front(html, history);
    if (!history.notes().isEmpty()) {
      html.append("<h4>Notes</h4><ul>");
      history.notes().forEach(note -> html.append("<li>").append(esc(note)).append("</li>"));
      html.append("</ul>\n");
    }
    html.append("</div>\n");
  }

  /** The last Pareto front the strategy recorded: which candidate is best on which selection examples. */
  private static void front(StringBuilder html, History history) {
    OptimizationReport.lastFront(history).ifPresent(front -> {
      html.append("<h4>Pareto front (after round ").append(front.round()).append(")</h4><table class=\"front\">")
          .append("<tr><th>candidate</th><th>best on</th><th>examples</th></tr>");
      for (Object member : (List<?>) front.data().getOrDefault("members", List.of())) {
        Map<?, ?> m = (Map<?, ?>) member;
        List<?> wins = (List<?>) m.get("bestOn");
        html.append("<tr><td>").append(esc(String.valueOf(m.get("candidate")))).append("</td><td>").append(wins.size())
            .append("</td><td>").append(esc(String.join(", ", wins.stream().map(String::valueOf).toList())))
            .append("</td></tr>");
      }
      html.append("</table>\n");
    });
  }

  private static void promptDiff(StringBuilder html, OptimizationResult result) {
    html.append("<h4>What changed (original → ").append(esc(result.best().id())).append(")</h4><pre class=\"diff\">");
    for (String line : LineDiff.of(result.original().text(), result.best().text()).split("\n", -1)) {
      String kind = line.startsWith("+ ") ? "ins" : line.startsWith("- ") ? "del" : "same";
      html.append("<span class=\"").append(kind).append("\">").append(esc(line)).append("</span>\n");
    }
    html.append("</pre>\n");
  }

  private static void rounds(StringBuilder html, History history) {
    html.append("<h4>Rounds</h4><table class=\"rounds\"><thead><tr><th>round</th><th>best</th><th>train</th>")
        .append("<th>dev</th><th>held-out</th><th>proposed</th><th>accepted</th><th>spend this round</th>")
        .append("</tr></thead><tbody>");
    for (History.Round round : history.rounds()) {
      html.append("<tr><td>").append(round.round()).append("</td><td>").append(esc(round.bestId())).append("</td><td>")
          .append(pct(round.bestTrain().orElse(null))).append("</td><td>").append(pct(round.bestSelection()))
          .append("</td><td>").append(pct(round.bestHeldOut().orElse(null))).append("</td><td>")
          .append(round.proposed()).append("</td><td>").append(round.accepted())
          .append("</td><td>").append(esc(round.spend().describe())).append("</td></tr>");
    }
    html.append("</tbody></table>\n");
  }

  /** Every candidate with its parent, scores and reasons; the best one marked. */
  private static void candidates(StringBuilder html, OptimizationResult result) {
    html.append("<h4>Candidates</h4><table class=\"candidates\"><thead><tr><th>id</th><th>parent</th><th>round</th>")
        .append("<th>origin</th><th>train</th><th>dev</th><th>held-out</th><th>why</th></tr></thead><tbody>");
    Map<String, History.Scores> scores = result.history().scores();
    for (Candidate candidate : result.history().candidates()) {
      History.Scores s = scores.get(candidate.id());
      html.append("<tr").append(candidate.id().equals(result.best().id()) ? " class=\"best\"" : "").append("><td>")
          .append(esc(candidate.id())).append("</td><td>").append(esc(candidate.parent().orElse("")))
          .append("</td><td>").append(candidate.round()).append("</td><td>").append(esc(candidate.origin()))
          .append("</td><td>").append(pct(s.train())).append("</td><td>").append(pct(s.selection()))
          .append("</td><td>").append(pct(s.heldOut())).append("</td><td><details><summary>")
          .append(esc(firstLine(candidate.rationale(), candidate.text())))
          .append("</summary><pre>").append(esc(candidate.rationale())).append("</pre><pre class=\"prompt\">")
          .append(esc(candidate.text())).append("</pre></details></td></tr>");
    }
    html.append("</tbody></table>\n");
  }

  private static void rejections(StringBuilder html, History history) {
    html.append("<h4>Rejected (").append(history.rejections().size())
        .append(")</h4><table class=\"rejections\"><thead><tr><th>round</th>")
        .append("<th>parent</th><th>origin</th><th>reason</th></tr></thead><tbody>");
    for (History.Rejection rejection : history.rejections()) {
      html.append("<tr><td>").append(rejection.round()).append("</td><td>").append(esc(rejection.parent()))
          .append("</td><td>").append(esc(rejection.origin())).append("</td><td>").append(esc(rejection.reason()))
          .append("</td></tr>");
    }
    html.append("</tbody></table>\n");
  }

  /**
   * Scores per round as an inline SVG line plot: the best prompt's train, dev (selection) and
   * held-out scores, round 0 being the checked-in prompt.
   */
  static String plot(OptimizationResult result) {
    List<double[]> series = scoresPerRound(result);
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"plot\" role=\"img\" aria-label=\"scores per round\" width=\"").append(PLOT_WIDTH)
        .append("\" height=\"").append(PLOT_HEIGHT).append("\" viewBox=\"0 0 ").append(PLOT_WIDTH).append(' ')
        .append(PLOT_HEIGHT).append("\" xmlns=\"http://www.w3.org/2000/svg\">");
    plotAxes(svg, series.size());
    String[] names = {"train", result.splits().selectionName(), "held-out"};
    String[] classes = {"train", "selection", "heldout"};
    boolean dashed = false;
    for (int s = 0; s < 3; s++) {
      dashed |= plotLine(svg, series, s, names[s], classes[s]);
      plotLegend(svg, s, names[s], classes[s]);
    }
    if (dashed) {
      plotDashNote(svg);
    }
    return svg.append("</svg>\n").toString();
  }

  // the plot's size and margins in pixels; the right margin holds the legend
  private static final int PLOT_WIDTH = 560;
  private static final int PLOT_HEIGHT = 220;
  private static final int PLOT_LEFT = 44;
  private static final int PLOT_RIGHT = 120;
  private static final int PLOT_TOP = 14;
  private static final int PLOT_BOTTOM = 34;
  private static final double PLOT_INNER_WIDTH = PLOT_WIDTH - PLOT_LEFT - PLOT_RIGHT;
  private static final double PLOT_INNER_HEIGHT = PLOT_HEIGHT - PLOT_TOP - PLOT_BOTTOM;

  /** Per round (the checked-in prompt first): train, selection and held-out score, NaN when unknown. */
  private static List<double[]> scoresPerRound(OptimizationResult result) {
    List<double[]> series = new ArrayList<>();
    History.Scores original = result.originalScores();
    series.add(new double[] {nan(original.train()), nan(original.selection()), nan(original.heldOut())});
    List<History.Round> rounds = result.history().rounds();
    for (History.Round round : rounds) {
      series.add(new double[] {
          round.bestTrain().orElse(Double.NaN), round.bestSelection(), round.bestHeldOut().orElse(Double.NaN)});
    }
    // the full train score of the best prompt is measured after the last round: it belongs to that round's point
    if (!rounds.isEmpty() && rounds.get(rounds.size() - 1).bestId().equals(result.best().id())) {
      double[] last = series.get(series.size() - 1);
      last[0] = Double.isNaN(last[0]) ? nan(result.bestScores().train()) : last[0];
      last[2] = Double.isNaN(last[2]) ? nan(result.bestScores().heldOut()) : last[2];
    }
    return series;
  }

  /** Horizontal grid lines at every 25%, and the rounds along the bottom. */
  private static void plotAxes(StringBuilder svg, int n) {
    for (int p = 0; p <= 100; p += 25) {
      double y = PLOT_TOP + PLOT_INNER_HEIGHT * (1 - p / 100.0);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>",
              PLOT_LEFT, y, PLOT_LEFT + PLOT_INNER_WIDTH, y))
          .append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%d%%</text>",
              PLOT_LEFT - 6, y + 4, p));
    }
    for (int i = 0; i < n; i++) {
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>",
          plotX(i, n), PLOT_HEIGHT - PLOT_BOTTOM + 16, i == 0 ? "orig." : String.valueOf(i)));
    }
    svg.append(String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">round</text>",
        PLOT_LEFT + PLOT_INNER_WIDTH / 2, PLOT_HEIGHT - 2));
  }

  /**
   * The line of score {@code s} with a dot per measured value: consecutive measurements are joined by a solid line,
   * measurements with unmeasured rounds between them by a dashed one (a strategy that scores train only at the start
   * and the end draws two dots and a dashed line, not one lonely dot). Returns whether a dashed part was drawn.
   */
  private static boolean plotLine(StringBuilder svg, List<double[]> series, int s, String name, String kind) {
    int n = series.size();
    StringBuilder solid = new StringBuilder();
    StringBuilder dashed = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    int previous = -1;
    for (int i = 0; i < n; i++) {
      double value = series.get(i)[s];
      if (Double.isNaN(value)) {
        continue;
      }
      if (previous >= 0) {
        String segment = String.format(Locale.ROOT, " M%.1f %.1f L%.1f %.1f", plotX(previous, n),
            plotY(series.get(previous)[s]), plotX(i, n), plotY(value));
        (i == previous + 1 ? solid : dashed).append(segment);
      }
      previous = i;
      dots.append(String.format(Locale.ROOT,
          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" class=\"%s\"><title>%s round %s: %s</title></circle>",
          plotX(i, n), plotY(value), kind, name, i == 0 ? "original" : String.valueOf(i), pct(value)));
    }
    appendPath(svg, solid, "line " + kind);
    appendPath(svg, dashed, "line " + kind + " unmeasured");
    svg.append(dots);
    return dashed.length() > 0;
  }

  private static void appendPath(StringBuilder svg, StringBuilder path, String classes) {
    if (path.length() > 0) {
      svg.append("<path d=\"").append(path.toString().strip()).append("\" class=\"").append(classes).append("\"/>");
    }
  }

  private static double plotY(double value) {
    return PLOT_TOP + PLOT_INNER_HEIGHT * (1 - value);
  }

  private static void plotLegend(StringBuilder svg, int s, String name, String kind) {
    double legendY = PLOT_TOP + 12 + s * 18;
    double x = PLOT_LEFT + PLOT_INNER_WIDTH;
    svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"line %s\"/>",
            x + 14, legendY, x + 34, legendY, kind))
        .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">%s</text>",
            x + 40, legendY + 4, esc(name)));
  }

  /** Under the legend, when a line is dashed somewhere: what the dashes mean. */
  private static void plotDashNote(StringBuilder svg) {
    double x = PLOT_LEFT + PLOT_INNER_WIDTH;
    svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
            + " class=\"line unmeasured key\"/>", x + 14, PLOT_TOP + 66.0, x + 34, PLOT_TOP + 66.0))
        .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">not measured</text>",
            x + 40, PLOT_TOP + 70.0))
        .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">in between</text>",
            x + 40, PLOT_TOP + 84.0));
  }

  /** Where round {@code i} of {@code n} sits: one round in the middle, several spread over the width. */
  private static double plotX(int i, int n) {
    return PLOT_LEFT + (n == 1 ? PLOT_INNER_WIDTH / 2 : PLOT_INNER_WIDTH * i / (n - 1));
  }

  /** Expected and actual word by word, or as whole values when they share little: {@link WordDiff}. */
  static String wordDiff(String expected, String actual) {
    return WordDiff.html(expected, actual);
  }

  private static String firstLine(String rationale, String text) {
    String source = rationale.isBlank() ? text : rationale;
    String line = source.strip().split("\n", 2)[0];
    return line.length() > 120 ? line.substring(0, 119) + "…" : line;
  }

  private static double nan(Double value) {
    return value == null ? Double.NaN : value;
  }

  private static String anchor(SuiteReport suite) {
    return "suite-" + suite.name().replaceAll("[^A-Za-z0-9_-]", "-");
  }

  static String pct(Double value) {
    return value == null || value.isNaN() ? "—" : OptimizationReport.pct(value);
  }

  private static String bar(double rate) {
    return String.format(Locale.ROOT, "<span class=\"bar\"><span style=\"width:%.0f%%\"></span></span> %s",
        rate * 100, pct(rate));
  }

  static String esc(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final String STYLE = """
      body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2327;background:#f6f7f9}
      header{background:#1d2327;color:#fff;padding:16px 28px}header h1{margin:0 0 4px;font-size:20px}
      header .summary{margin:0 0 8px;color:#cfd6dc}
      header nav a{display:inline-block;margin:2px 6px 2px 0;padding:2px 8px;border-radius:10px;
      color:#fff;text-decoration:none;font-size:12px}header nav a.ok{background:#2e7d32}
      header nav a.bad{background:#c62828}header nav a.skip{background:#78909c}
      header nav a.info{background:#546e7a}.badge.info{background:#546e7a}header .info{color:#cfd6dc}
      .ok{color:#2e7d32}.bad{color:#c62828}header .ok{color:#8fd694}header .bad{color:#ff9a9a}
      main{padding:8px 28px 40px}
      section.suite{background:#fff;border:1px solid #dde2e6;border-radius:8px;padding:14px 20px;margin:18px 0}
      h2{margin:4px 0;font-size:18px}h3{margin:22px 0 6px;font-size:16px}h4{margin:16px 0 6px;font-size:14px}
      .meta{color:#5f6b75;margin:2px 0 10px}code{font:12px ui-monospace,Menlo,Consolas,monospace}
      .badge{font-size:11px;font-weight:700;padding:2px 7px;border-radius:9px;color:#fff;vertical-align:2px}
      .badge.ok{background:#2e7d32}.badge.bad{background:#c62828}.badge.skip{background:#78909c}
      header .skip{color:#cfd6dc}.not-run{background:#f4f6f7;border:1px solid #dde2e6;padding:8px;border-radius:6px}
      .not-run p{margin:0 0 6px}
      .figures{display:flex;gap:14px;flex-wrap:wrap;margin:8px 0}
      .figure{border:1px solid #e3e7ea;border-radius:6px;padding:8px 12px;min-width:120px}
      .figure b{display:block;font-size:18px}.figure span{color:#5f6b75;font-size:12px}
      table{border-collapse:collapse;width:100%;margin:6px 0}
      th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #edf0f2;vertical-align:top}
      th{font-size:12px;color:#5f6b75;font-weight:600}table.breakdown{width:auto}
      .bar{display:inline-block;width:90px;height:8px;background:#f2d5d5;border-radius:4px;vertical-align:middle;
      overflow:hidden}
      .bar span{display:block;height:100%;background:#2e7d32}
      .status{font-size:11px;font-weight:700;padding:1px 6px;border-radius:8px;color:#fff}
      .status.passed{background:#2e7d32}
      .status.failed,.status.error{background:#c62828}.status.tolerated{background:#ef6c00}
      .status.aborted{background:#78909c}
      tr.detail td{background:#fbfbfc}
      tr.detail dl{display:grid;grid-template-columns:80px 1fr;margin:4px 0;gap:2px 10px}
      dt{color:#5f6b75;font-size:12px}dd{margin:0}
      pre{margin:0;white-space:pre-wrap;word-break:break-word;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}
      del,.del{background:#ffe0e0;color:#9b1c1c}ins,.ins{background:#dff5df;color:#1b5e20;text-decoration:none}
      .diff .same{color:#5f6b75}
      .filters{margin:10px 0 4px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
      .filters input[type=search]{min-width:240px;padding:3px 6px}
      .shown{color:#5f6b75;font-size:12px}
      .problem{background:#fff3f3;border:1px solid #f2c4c4;padding:8px;border-radius:6px}
      .optimization{border-top:2px solid #edf0f2;margin-top:16px}
      svg.plot{background:#fff;border:1px solid #e3e7ea;border-radius:6px}
      svg .grid{stroke:#edf0f2}svg .axis,svg .legend{font-size:11px;fill:#5f6b75}svg .line{fill:none;stroke-width:2.5}
      svg .line.train{stroke:#1565c0}svg .line.selection{stroke:#ef6c00}svg .line.heldout{stroke:#2e7d32}
      svg circle.train{fill:#1565c0}svg circle.selection{fill:#ef6c00}svg circle.heldout{fill:#2e7d32}
      svg .line.unmeasured{stroke-dasharray:4 4}svg .line.key{stroke:#777}
      tr.best td{background:#eef7ee}details summary{cursor:pointer}
      pre.prompt{background:#f6f7f9;padding:6px;margin-top:4px}
      table.matrix tr.cheapest td{background:#eef7ee;font-weight:600}table.grid td.cell{white-space:nowrap}
      """;

  private static final String SCRIPT = """
      // report.html?suite=<class name>&failures=1 shows one suite, failures only (a link to share)
      var params = new URLSearchParams(location.search);
      if (params.get('suite')) {
        document.querySelectorAll('section.suite').forEach(function (s) {
          if (s.dataset.suite !== params.get('suite')) { s.style.display = 'none'; }
        });
      }
      if (params.get('failures')) {
        document.querySelectorAll('.only-failures').forEach(function (box) { box.checked = true; });
      }
      document.querySelectorAll('section.suite').forEach(function (suite) {
        var only = suite.querySelector('.only-failures'), split = suite.querySelector('.split-filter'),
            tag = suite.querySelector('.tag-filter'), search = suite.querySelector('.search'),
            shown = suite.querySelector('.shown');
        if (!only) { return; }
        function apply() {
          var q = search.value.toLowerCase(), count = 0, total = 0;
          suite.querySelectorAll('tr.example').forEach(function (row) {
            var status = row.dataset.status, visible = (!only.checked || status !== 'passed')
              && (!split.value || row.dataset.split === split.value)
              && (!tag.value || (' ' + row.dataset.tags + ' ').indexOf(' ' + tag.value + ' ') >= 0)
              && (!q || row.dataset.text.indexOf(q) >= 0);
            row.style.display = visible ? '' : 'none';
            var detail = row.nextElementSibling;
            if (detail && detail.classList.contains('detail')) { detail.style.display = visible ? '' : 'none'; }
            total++; if (visible) { count++; }
          });
          shown.textContent = count + ' of ' + total + ' shown';
        }
        [only, split, tag].forEach(function (e) { e.addEventListener('change', apply); });
        search.addEventListener('input', apply);
        apply();
      });
      """;
}
