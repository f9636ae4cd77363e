package io.promptunit.junit;

import io.promptunit.optimize.History;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/** One finished optimization round, reported as a passed test whose name carries the scores and spend. */
final class RoundDescriptor extends AbstractTestDescriptor implements Node<RunContext> {

  private final History.Round round;

  RoundDescriptor(UniqueId parent, History.Round round, String selectionName) {
    super(parent.append("round", String.valueOf(round.round())), name(round, selectionName));
    this.round = round;
  }

  private static String name(History.Round round, String selectionName) {
    return String.format(Locale.ROOT, "round %d: best %s train %s, %s %.0f%%%s — %s", round.round(), round.bestId(),
        round.bestTrain().map(t -> String.format(Locale.ROOT, "%.0f%%", t * 100)).orElse("—"), selectionName,
            round.bestSelection() * 100,
        round.bestHeldOut().map(h -> String.format(Locale.ROOT, ", held-out %.0f%%", h * 100)).orElse(""), round.total()
            .describe());
  }

  String summary() {
    return getDisplayName().substring(getDisplayName().indexOf(':') + 2);
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
    entries.put(ReportEntryKeys.BEAM, String.join(",", round.beam()));
    entries.put(ReportEntryKeys.PROPOSED, String.valueOf(round.proposed()));
    entries.put(ReportEntryKeys.ACCEPTED, String.valueOf(round.accepted()));
    entries.put(ReportEntryKeys.ROUND_CALLS, String.valueOf(round.spend().calls()));
    entries.put(ReportEntryKeys.ROUND_TOKENS, String.valueOf(round.spend().tokens()));
    entries.put(ReportEntryKeys.ROUND_COST, String.format(Locale.ROOT, "%.6f", round.spend().cost()));
    context.listener().reportingEntryPublished(this, ReportEntry.from(entries));
    return context;
  }
}
