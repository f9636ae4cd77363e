package io.promptunit.junit;

import io.promptunit.core.Applied;
import io.promptunit.optimize.OptimizationResult;
import io.promptunit.report.OptimizationReport;
import java.util.Map;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;
import org.opentest4j.AssertionFailedError;

/** The optimization's verdict: passes only when the optimized prompt passes the suite on held-out examples. */
final class VerdictDescriptor extends AbstractTestDescriptor implements Node<RunContext> {

  private final OptimizationResult result;
  private final OptimizationReport.Outputs files;
  private final Applied applied;

  VerdictDescriptor(UniqueId parent, OptimizationResult result, OptimizationReport.Outputs files, Applied applied) {
    super(parent.append("verdict", "held-out"), "optimized prompt passes held-out " + result.splits().heldOutName()
        + " examples");
    this.result = result;
    this.files = files;
    this.applied = applied;
  }

  @Override
  public Type getType() {
    return Type.TEST;
  }

  @Override
  public RunContext execute(RunContext context, DynamicTestExecutor executor) {
    context.listener().reportingEntryPublished(this, ReportEntry.from(Map.of(
        ReportEntryKeys.BEST_PROMPT, files.bestPrompt().toAbsolutePath().toString(),
        ReportEntryKeys.HISTORY, files.history().toAbsolutePath().toString(),
        ReportEntryKeys.SUMMARY, files.summary().toAbsolutePath().toString(),
        ReportEntryKeys.SPEND, result.spend().describe())));
    String scores = result.movement() + " (original " + result.original().id() + " → best " + result.best().id() + ")";
    String where = " Best prompt: " + files.bestPrompt().toAbsolutePath() + "; what changed and why: " + files.summary()
        .toAbsolutePath()
        + "; full history: " + files.history().toAbsolutePath() + ".";
    if (result.passedHeldOut() && applied.failed()) {
      String message = "The optimized prompt passes held-out (" + scores + "), but" + applied.message()
          .replaceFirst("^ Apply mode is on, but", "")
          + where;
      Console.line(message);
      throw new AssertionFailedError(message);
    }
    if (result.passedHeldOut()) {
      String how = !result.improved()
          ? " The checked-in prompt already passes: nothing to apply."
          : applied.message().isEmpty()
          ? " To apply it, run again with -Dpromptunit.optimize.apply=true (the prompt file is replaced atomically"
              + " and the previous version kept as .bak), or copy the file by hand."
          : applied.message();
      String crossed = result.budgetCrossed().map(text -> " " + text + ".").orElse("");
      Console.line("optimization passed held-out (" + scores + ")." + crossed + where + how);
      context.listener().reportingEntryPublished(this, ReportEntry.from(ReportEntryKeys.VERDICT, "passed: " + scores
          + "." + crossed + where + how));
      return context;
    }
    String message = "The optimized prompt does not pass the suite on the held-out " + result.splits().heldOutName()
        + " examples ("
        + scores + "). Stopped: " + result.stopDetail() + "." + where + applied.message();
    Console.line(message);
    throw new AssertionFailedError(message);
  }
}
