package io.promptunit.junit;

import io.promptunit.optimize.History;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * One finished optimization round, reported as a passed test named {@code round N} (stable between runs, so an IDE
 * can rerun it by name); its scores and spend are report entries and the console line.
 */
final class RoundDescriptor extends AbstractTestDescriptor implements Node<RunContext> {

  private final History.Round round;
  private final String selectionName;

  RoundDescriptor(UniqueId parent, History.Round round, String selectionName) {
    super(parent.append("round", String.valueOf(round.round())), "round " + round.round());
    this.round = round;
    this.selectionName = selectionName;
  }

  /**
   * The round's figures: {@code best c3 dev 67%, held-out 50%, train 75% — 12 calls, ...}. Selection scores are
   * measured every round; a train score only where the strategy ran the prompt on train examples (the final train
   * score of the original and the best is measured at the end), which the line says.
   */
  static String figures(History.Round round, String selectionName) {
    String train = round.bestTrain().map(t -> ", train " + percent(t))
        .orElse(", train not run this round (scored at the end)");
    return "best " + round.bestId() + " " + selectionName + " " + percent(round.bestSelection())
        + round.bestHeldOut().map(h -> ", held-out " + percent(h)).orElse("") + train + " — "
        + round.total().describe();
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }

  String summary() {
    return figures(round, selectionName);
  }

  @Override
  public Type getType() {
    return Type.TEST;
  }

  @Override
  public RunContext execute(RunContext context, DynamicTestExecutor executor) {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(ReportEntryKeys.ROUND, String.valueOf(round.round()));
    entries.put(ReportEntryKeys.BEST, round.bestId());
    entries.put(ReportEntryKeys.ROUND_SUMMARY, summary());
    round.bestTrain().ifPresent(train -> entries.put(ReportEntryKeys.ROUND_TRAIN, score(train)));
    entries.put(ReportEntryKeys.ROUND_SELECTION, score(round.bestSelection()));
    round.bestHeldOut().ifPresent(heldOut -> entries.put(ReportEntryKeys.ROUND_HELD_OUT, score(heldOut)));
    entries.put(ReportEntryKeys.BEAM, String.join(",", round.beam()));
    entries.put(ReportEntryKeys.PROPOSED, String.valueOf(round.proposed()));
    entries.put(ReportEntryKeys.ACCEPTED, String.valueOf(round.accepted()));
    entries.put(ReportEntryKeys.ROUND_CALLS, String.valueOf(round.spend().calls()));
    entries.put(ReportEntryKeys.ROUND_TOKENS, String.valueOf(round.spend().tokens()));
    entries.put(ReportEntryKeys.ROUND_COST, String.format(Locale.ROOT, "%.6f", round.spend().cost()));
    context.listener().reportingEntryPublished(this, ReportEntry.from(entries));
    return context;
  }

  private static String score(double fraction) {
    return String.format(Locale.ROOT, "%.4f", fraction);
  }
}
