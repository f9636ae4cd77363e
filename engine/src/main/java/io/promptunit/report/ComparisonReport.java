package io.promptunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.promptunit.optimize.History;
import io.promptunit.optimize.OptimizationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One table comparing strategies run on the same suite with the same budget and seed. Every figure
 * is read from the same {@link OptimizationResult} that each strategy's {@code history.json} is
 * written from, so the table can be traced to the histories.
 */
@API(status = INTERNAL, since = "0.1")
public final class ComparisonReport {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ComparisonReport() {}

  /** The table as Markdown. */
  public static String table(List<OptimizationResult> results) {
    StringBuilder md = new StringBuilder();
    md.append("| strategy | passes held-out | best | train | dev | held-out (original → best) "
        + "| calls | tokens | cost | wall time | rounds |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (OptimizationResult result : results) {
      History.Scores scores = result.bestScores();
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s → %s | %d | %d | $%.4f | %d s | %d |\n",
          result.strategy(), result.passedHeldOut() ? "yes" : "no", result.best().id(),
          OptimizationReport.pct(scores.train()),
          OptimizationReport.pct(scores.selection()), OptimizationReport.pct(result.originalScores().heldOut()),
          OptimizationReport.pct(scores.heldOut()),
          result.spend().calls(), result.spend().tokens(), result.spend().cost(), result.seconds(),
          result.history().rounds().size()));
    }
    return md.toString();
  }

  public static Path write(Path directory, String suiteName, List<OptimizationResult> results) throws IOException {
    Files.createDirectories(directory);
    Path markdown = directory.resolve("comparison.md");
    Files.writeString(markdown, "# Strategy comparison for " + suiteName
        + "\n\nSame budget caps and seed for every strategy;"
        + " each row's figures come from that strategy's history.json (in the folder named after it).\n\n"
        + table(results),
        StandardCharsets.UTF_8);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (OptimizationResult result : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      History.Scores scores = result.bestScores();
      row.put("strategy", result.strategy());
      row.put("passedHeldOut", result.passedHeldOut());
      row.put("best", result.best().id());
      row.put("train", scores.train());
      row.put("selection", scores.selection());
      row.put("heldOut", scores.heldOut());
      row.put("originalHeldOut", result.originalScores().heldOut());
      row.put("spend", OptimizationReport.spend(result.spend()));
      row.put("seconds", result.seconds());
      row.put("rounds", result.history().rounds().size());
      rows.add(row);
    }
    Files.writeString(directory.resolve("comparison.json"),
        JSON.writeValueAsString(Map.of("suite", suiteName, "strategies", rows)),
        StandardCharsets.UTF_8);
    return markdown;
  }
}
