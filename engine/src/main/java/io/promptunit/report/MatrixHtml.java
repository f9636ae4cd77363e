package io.promptunit.report;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HTML of a suite run against several models: the matrix table ({@code table.matrix}, one row per model, the
 * cheapest passing model marked) and the examples x models grid ({@code table.grid}: a cell per example and model,
 * a failing cell's expected and actual output folded in it), with "failures only" and "models disagree" filters.
 */
final class MatrixHtml {

  private MatrixHtml() {}

  static void section(StringBuilder html, SuiteReport suite, ModelMatrix matrix) {
    html.append("<div class=\"matrix-part\"><h3>Models side by side</h3>\n");
    table(html, matrix);
    html.append("<p class=\"conclusion\">").append(HtmlReport.esc(matrix.conclusion())).append("</p>\n");
    if (!matrix.after().isEmpty()) {
      after(html, matrix);
    }
    grid(html, suite, matrix);
    html.append("</div>\n");
  }

  private static void table(StringBuilder html, ModelMatrix matrix) {
    List<String> splits = matrix.splits();
    html.append("<table class=\"matrix\"><thead><tr><th>model</th>");
    splits.forEach(split -> html.append("<th>").append(HtmlReport.esc(split.equals(matrix.heldOut())
        ? split + " (held-out)" : split)).append("</th>"));
    html.append("<th>failing</th><th>$ per 1,000 examples</th><th>latency p50</th><th>latency p95</th>")
        .append("<th>verdict</th></tr></thead><tbody>");
    String cheapest = matrix.cheapestPassing().map(ModelMatrix.Line::model).orElse(null);
    for (ModelMatrix.Line line : matrix.lines()) {
      html.append("<tr data-model=\"").append(HtmlReport.esc(line.model())).append("\" data-verdict=\"")
          .append(line.verdict()).append('"').append(line.model().equals(cheapest) ? " class=\"cheapest\"" : "")
          .append("><td><code>").append(HtmlReport.esc(line.model())).append("</code></td>");
      splits.forEach(split -> html.append("<td>").append(HtmlReport.pct(line.passRates().get(split))).append("</td>"));
      html.append("<td>").append(line.ran() == 0 ? "—" : line.failing()).append("</td><td>")
          .append(HtmlReport.esc(ModelMatrix.cost(line))).append("</td><td>")
          .append(HtmlReport.esc(ModelMatrix.latency(line.p50(), line))).append("</td><td>")
          .append(HtmlReport.esc(ModelMatrix.latency(line.p95(), line))).append("</td><td class=\"")
          .append(line.passes() ? "ok" : "bad").append("\">").append(HtmlReport.esc(line.verdict()
              + line.skipped().map(why -> ": " + why).orElse(""))).append("</td></tr>");
    }
    html.append("</tbody></table>\n");
  }

  /** Per model after the optimizations: held-out original -> optimized, spend, cost with the prompt that passed. */
  private static void after(StringBuilder html, ModelMatrix matrix) {
    html.append("<h4>After optimization</h4>\n<table class=\"matrix-after\"><thead><tr><th>model</th>")
        .append("<th>held-out original → optimized</th><th>optimization spend</th><th>$ per 1,000 examples</th>")
        .append("<th>verdict</th><th>prompt</th></tr></thead><tbody>");
    String cheapest = matrix.cheapestPassingAfter().map(ModelMatrix.After::model).orElse(null);
    for (ModelMatrix.After line : matrix.after()) {
      html.append("<tr data-model=\"").append(HtmlReport.esc(line.model())).append('"')
          .append(line.model().equals(cheapest) ? " class=\"cheapest\"" : "").append("><td><code>")
          .append(HtmlReport.esc(line.model())).append("</code></td><td>")
          .append(HtmlReport.pct(line.originalHeldOut().orElse(null))).append(" → ")
          .append(HtmlReport.pct(line.heldOut().orElse(null))).append("</td><td>")
          .append(HtmlReport.esc(line.spend().describe())).append("</td><td>")
          .append(HtmlReport.esc(matrix.cost(line))).append("</td><td class=\"")
          .append(line.passes() ? "ok\">passes" : "bad\">fails").append("</td><td><code>")
          .append(HtmlReport.esc(line.prompt())).append("</code></td></tr>");
    }
    html.append("</tbody></table>\n<p class=\"conclusion\">").append(HtmlReport.esc(matrix.afterConclusion()))
        .append("</p>\n");
  }

  private static void grid(StringBuilder html, SuiteReport suite, ModelMatrix matrix) {
    List<SuiteReport.ModelRun> runs = suite.runs().stream().filter(run -> run.skipped().isEmpty()).toList();
    Map<String, Map<String, SuiteReport.Row>> byExample = new LinkedHashMap<>();
    for (SuiteReport.ModelRun run : runs) {
      for (SuiteReport.Row row : run.rows()) {
        byExample.computeIfAbsent(row.id(), id -> new LinkedHashMap<>()).put(run.model(), row);
      }
    }
    html.append("<div class=\"filters\"><label><input type=\"checkbox\" class=\"grid-failures\"> failures only")
        .append("</label><label><input type=\"checkbox\" class=\"grid-disagree\"> models disagree</label>")
        .append("<span class=\"grid-shown\"></span></div>\n<table class=\"grid\"><thead><tr><th>example</th>");
    runs.forEach(run -> html.append("<th><code>").append(HtmlReport.esc(run.model())).append("</code></th>"));
    html.append("</tr></thead><tbody>");
    byExample.forEach((id, cells) -> {
      Set<Boolean> outcomes = new LinkedHashSet<>();
      cells.values().forEach(row -> outcomes.add(row.passed()));
      boolean failing = outcomes.contains(false);
      html.append("<tr class=\"grid-row\" data-id=\"").append(HtmlReport.esc(id)).append("\" data-failing=\"")
          .append(failing).append("\" data-disagree=\"").append(outcomes.size() > 1).append("\"><td>")
          .append(HtmlReport.esc(id)).append("</td>");
      for (SuiteReport.ModelRun run : runs) {
        cell(html, cells.get(run.model()));
      }
      html.append("</tr>");
    });
    html.append("</tbody></table>\n<script>").append(SCRIPT).append("</script>\n");
  }

  private static void cell(StringBuilder html, SuiteReport.Row row) {
    if (row == null) {
      html.append("<td class=\"cell\" data-status=\"none\">—</td>");
      return;
    }
    html.append("<td class=\"cell\" data-status=\"").append(row.status()).append("\">");
    if (row.passed()) {
      html.append("<span class=\"status passed\">passed</span>");
    } else if (row.status().equals("aborted")) {
      html.append("<span class=\"status aborted\">not run</span>");
    } else {
      html.append("<details><summary><span class=\"status ").append(row.status()).append("\">")
          .append(row.status()).append("</span></summary><dl><dt>expected</dt><dd><pre>")
          .append(HtmlReport.esc(row.expected())).append("</pre></dd><dt>actual</dt><dd><pre>")
          .append(HtmlReport.esc(row.actual())).append("</pre></dd><dt>why</dt><dd><pre>")
          .append(HtmlReport.esc(row.reason())).append("</pre></dd><dt>where</dt><dd><code>")
          .append(HtmlReport.esc(row.location())).append("</code></dd></dl></details>");
    }
    html.append("</td>");
  }

  private static final String SCRIPT = """
      document.querySelectorAll('.matrix-part').forEach(function (part) {
        var failures = part.querySelector('.grid-failures'), disagree = part.querySelector('.grid-disagree'),
            shown = part.querySelector('.grid-shown');
        function apply() {
          var count = 0, total = 0;
          part.querySelectorAll('tr.grid-row').forEach(function (row) {
            var visible = (!failures.checked || row.dataset.failing === 'true')
              && (!disagree.checked || row.dataset.disagree === 'true');
            row.style.display = visible ? '' : 'none';
            total++; if (visible) { count++; }
          });
          shown.textContent = count + ' of ' + total + ' examples shown';
        }
        [failures, disagree].forEach(function (box) { box.addEventListener('change', apply); });
        apply();
      });
      """;
}
