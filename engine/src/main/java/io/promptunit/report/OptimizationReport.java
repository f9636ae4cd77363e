package io.promptunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.promptunit.model.Spend;
import io.promptunit.optimize.Candidate;
import io.promptunit.optimize.History;
import io.promptunit.optimize.OptimizationResult;
import io.promptunit.optimize.Splits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The files an optimization run leaves behind, in one folder: {@code best.prompt} (the best prompt
 * found), {@code history.json} (every candidate with parent, rationale and scores, every rejection,
 * each round's spend) and {@code summary.md} (what changed, why, and how train and held-out scores
 * compare). All three are written from the same {@link OptimizationResult}, so they agree.
 */
@API(status = INTERNAL, since = "0.1")
public final class OptimizationReport {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** @param directory where the files are
   *  @param bestPrompt the best prompt file
   *  @param history the history file
   *  @param summary the summary file */
  public record Outputs(Path directory, Path bestPrompt, Path history, Path summary) {}

  private OptimizationReport() {}

  public static Outputs write(Path directory, String suiteName, String promptPath,
      OptimizationResult result) throws IOException {
    Files.createDirectories(directory);
    Path best = directory.resolve("best.prompt");
    Path history = directory.resolve("history.json");
    Path summary = directory.resolve("summary.md");
    Files.writeString(best, result.best().text() + "\n", StandardCharsets.UTF_8);
    Files.writeString(history, JSON.writeValueAsString(historyJson(suiteName, promptPath, result)),
        StandardCharsets.UTF_8);
    Files.writeString(summary, summary(suiteName, promptPath, result), StandardCharsets.UTF_8);
    return new Outputs(directory, best, history, summary);
  }

  static Map<String, Object> historyJson(String suiteName, String promptPath, OptimizationResult result) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("suite", suiteName);
    root.put("prompt", promptPath);
    root.put("strategy", result.strategy());
    root.put("stop", result.stop().name().toLowerCase(Locale.ROOT));
    root.put("stopDetail", result.stopDetail());
    root.put("budgetCrossed", result.budgetCrossed().orElse(null));
    root.put("passedHeldOut", result.passedHeldOut());
    root.put("best", result.best().id());
    Splits splits = result.splits();
    root.put("splits", Map.of("train", splits.train().size(), "dev", splits.dev().size(), "test", splits.test().size(),
        "selection", splits.selectionName(), "heldOut", splits.heldOutName()));
    root.put("spend", spend(result.spend()));
    root.put("seconds", result.seconds());
    History history = result.history();
    root.put("candidates", history.candidates().stream().map(c -> candidateJson(c, history.scores())).toList());
    root.put("rounds", history.rounds().stream().map(OptimizationReport::roundJson).toList());
    root.put("rejections", history.rejections().stream().map(OptimizationReport::rejectionJson).toList());
    root.put("rejectionsByReason", history.rejectionsByReason());
    root.put("steps", history.steps().stream().map(OptimizationReport::stepJson).toList());
    root.put("notes", history.notes());
    root.put("log", history.events().stream().map(OptimizationReport::eventJson).toList());
    return root;
  }

  private static Map<String, Object> candidateJson(Candidate candidate, Map<String, History.Scores> scores) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", candidate.id());
    c.put("parent", candidate.parent().orElse(null));
    c.put("round", candidate.round());
    c.put("origin", candidate.origin());
    c.put("rationale", candidate.rationale());
    History.Scores s = scores.get(candidate.id());
    Map<String, Object> sc = new LinkedHashMap<>();
    sc.put("train", s.train());
    sc.put("selection", s.selection());
    sc.put("heldOut", s.heldOut());
    c.put("scores", sc);
    c.put("text", candidate.text());
    return c;
  }

  private static Map<String, Object> roundJson(History.Round round) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("round", round.round());
    r.put("best", round.bestId());
    r.put("bestTrain", round.bestTrain().orElse(null));
    r.put("bestSelection", round.bestSelection());
    r.put("bestHeldOut", round.bestHeldOut().orElse(null));
    r.put("beam", round.beam());
    r.put("proposed", round.proposed());
    r.put("accepted", round.accepted());
    r.put("spend", spend(round.spend()));
    r.put("totalSpend", spend(round.total()));
    return r;
  }

  private static Map<String, Object> rejectionJson(History.Rejection rejection) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("round", rejection.round());
    r.put("parent", rejection.parent());
    r.put("origin", rejection.origin());
    r.put("reason", rejection.reason());
    r.put("text", rejection.text());
    return r;
  }

  private static Map<String, Object> eventJson(History.Event event) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("round", event.round());
    e.put("kind", event.kind());
    e.putAll(event.data());
    return e;
  }

  private static Map<String, Object> stepJson(History.Step step) {
    Map<String, Object> st = new LinkedHashMap<>();
    st.put("round", step.round());
    st.put("phase", step.phase());
    st.put("kind", step.kind());
    st.put("calls", step.calls());
    st.put("levels", step.levels());
    st.put("millis", step.millis());
    return st;
  }

  public static Map<String, Object> spend(Spend spend) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("calls", spend.calls());
    map.put("inputTokens", spend.inputTokens());
    map.put("outputTokens", spend.outputTokens());
    map.put("cost", spend.cost());
    return map;
  }

  static String summary(String suiteName, String promptPath, OptimizationResult result) {
    Splits splits = result.splits();
    StringBuilder md = new StringBuilder();
    md.append("# Optimization of ").append(suiteName).append(" (").append(result.strategy()).append(")\n\n");
    md.append(result.passedHeldOut()
        ? "**The best prompt passes the suite on the held-out " + splits.heldOutName() + " examples.**\n\n"
        : "**No prompt passed the suite on the held-out " + splits.heldOutName() + " examples.**\n\n");
    md.append("Stopped: ").append(result.stopDetail()).append(".\n\n");
    md.append("Original → best: ").append(result.movement()).append(".\n\n");
    appendScores(md, result);
    appendSplitsAndSpend(md, result);
    appendChanges(md, result);
    appendQuoted(md, result);
    appendFront(md, result);
    if (!result.history().notes().isEmpty()) {
      md.append("## Notes\n\n");
      result.history().notes().forEach(note -> md.append("- ").append(note).append('\n'));
      md.append('\n');
    }
    appendApplying(md, promptPath, result);
    return md.toString();
  }

  /**
   * The last Pareto front a strategy recorded (an event of kind {@code front}, as GEPA's): which candidate is best on
   * which selection examples.
   */
  private static void appendFront(StringBuilder md, OptimizationResult result) {
    Optional<History.Event> front = lastFront(result.history());
    if (front.isEmpty()) {
      return;
    }
    md.append("## Pareto front (after round ").append(front.get().round()).append(")\n\n")
        .append("| candidate | best on | ").append(result.splits().selectionName()).append(" examples |\n")
        .append("|---|--:|---|\n");
    for (Object member : (List<?>) front.get().data().getOrDefault("members", List.of())) {
      Map<?, ?> m = (Map<?, ?>) member;
      List<?> wins = (List<?>) m.get("bestOn");
      md.append("| ").append(m.get("candidate")).append(" | ").append(wins.size()).append(" | ")
          .append(String.join(", ", wins.stream().map(String::valueOf).toList())).append(" |\n");
    }
    List<?> unsolved = (List<?>) front.get().data().getOrDefault("unsolved", List.of());
    md.append(unsolved.isEmpty() ? "\n" : "\nPassed by no candidate: "
        + String.join(", ", unsolved.stream().map(String::valueOf).toList()) + ".\n\n");
  }

  /** The last event of kind {@code front} in {@code history}. */
  static Optional<History.Event> lastFront(History history) {
    List<History.Event> events = history.events();
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i).kind().equals("front")) {
        return Optional.of(events.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * How many examples the best prompt quotes verbatim (demonstrations): train examples are allowed but flagged when
   * the prompt is a new one (it may fit those examples only); a quoted selection or held-out example makes its score
   * no evidence.
   */
  private static void appendQuoted(StringBuilder md, OptimizationResult result) {
    Splits splits = result.splits();
    List<String> train = Quotes.quoted(result.best().text(), splits.train());
    List<String> selection = Quotes.quoted(result.best().text(), splits.selection().stream()
        .filter(e -> !splits.train().contains(e)).toList());
    List<String> heldOut = Quotes.quoted(result.best().text(), splits.heldOut());
    if (train.isEmpty() && selection.isEmpty() && heldOut.isEmpty()) {
      return;
    }
    md.append("## Quoted examples\n\n");
    md.append(Quotes.describe(result, train, selection, heldOut)).append("\n\n");
  }

  /** How to apply the best prompt: only when there is a new one; apply mode writes it only when it passed held-out. */
  private static void appendApplying(StringBuilder md, String promptPath, OptimizationResult result) {
    if (!result.improved()) {
      return;
    }
    md.append("## Applying it\n\nThe best prompt is in `best.prompt` beside this file. ");
    if (result.passedHeldOut()) {
      md.append("To write it over `").append(promptPath).append("` (the previous version is kept as a `.bak` file),")
          .append(" run the suite again with `-Dpromptunit.optimize.apply=true`, or copy the file by hand.\n");
    } else {
      md.append("It does not pass the held-out examples, so apply mode will not write it over `").append(promptPath)
          .append("`; copy it by hand only if you judge it better.\n");
    }
  }

  /** The original's and the best prompt's scores on each split, and the best prompt's train vs held-out gap. */
  private static void appendScores(StringBuilder md, OptimizationResult result) {
    History.Scores original = result.originalScores();
    History.Scores best = result.bestScores();
    Splits splits = result.splits();
    md.append("| prompt | train | ").append(splits.selectionName()).append(" (selection) | ")
        .append(splits.heldOutName()).append(" (held out) |\n");
    md.append("|---|---|---|---|\n");
    md.append("| original (").append(result.original().id()).append(") | ").append(pct(original.train())).append(" | ")
        .append(pct(original.selection())).append(" | ").append(pct(original.heldOut())).append(" |\n");
    md.append("| best (").append(result.best().id()).append(") | ").append(pct(best.train())).append(" | ")
        .append(pct(best.selection())).append(" | ").append(pct(best.heldOut())).append(" |\n\n");
    result.gap().ifPresent(gap -> md.append(String.format(Locale.ROOT,
        "Train vs held-out gap of the best prompt: %+.1f points%s.\n\n", gap * 100,
        gap > 0.15 ? " — a large gap suggests the prompt fits the train examples only" : "")));
  }

  private static void appendSplitsAndSpend(StringBuilder md, OptimizationResult result) {
    Splits splits = result.splits();
    md.append("Splits: ").append(splits.train().size()).append(" train, ").append(splits.dev().size()).append(" dev, ")
        .append(splits.test().size()).append(" test. Spend: ").append(result.spend().describe()).append(", ")
        .append(result.seconds()).append(" s, ").append(result.history().rounds().size()).append(" rounds, ")
        .append(result.history().candidates().size()).append(" candidates, ")
        .append(result.history().rejections().size()).append(" rejected.\n\n");
  }

  /** The diff from the checked-in prompt to the best one, and the rationale of each step in between. */
  private static void appendChanges(StringBuilder md, OptimizationResult result) {
    if (!result.improved()) {
      md.append("The best prompt is the checked-in prompt: nothing to apply.\n\n");
      return;
    }
    md.append("## What changed\n\n```diff\n").append(LineDiff.of(result.original().text(), result.best().text()))
        .append("\n```\n\n");
    md.append("## Why\n\n");
    for (Candidate step : lineage(result)) {
      if (!step.rationale().isBlank()) {
        md.append("- ").append(step.id()).append(" (round ").append(step.round()).append(", ").append(step.origin())
            .append("): ").append(step.rationale().strip().replace("\n", " ")).append('\n');
      }
    }
    md.append('\n');
  }

  private static List<Candidate> lineage(OptimizationResult result) {
    List<Candidate> chain = new ArrayList<>();
    Candidate current = result.best();
    while (current != null) {
      chain.add(0, current);
      current = current.parent().flatMap(id -> result.history().candidate(id)).orElse(null);
    }
    return chain;
  }

  public static String pct(Double value) {
    return value == null ? "—" : String.format(Locale.ROOT, "%.1f%%", value * 100);
  }
}
