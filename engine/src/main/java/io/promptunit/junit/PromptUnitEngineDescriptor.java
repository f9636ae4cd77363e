package io.promptunit.junit;

import io.promptunit.config.Keys;
import io.promptunit.model.Spend;
import io.promptunit.report.HtmlReport;
import io.promptunit.report.SuiteReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/** The root of a PromptUnit run; at its end it tells what the whole run's model calls cost. */
final class PromptUnitEngineDescriptor extends EngineDescriptor implements Node<RunContext> {

  PromptUnitEngineDescriptor(UniqueId uniqueId) {
    super(uniqueId, "PromptUnit");
  }

  /** A malformed {@code promptunit.report} is found before anything runs, not after the whole run. */
  @Override
  public RunContext before(RunContext context) {
    context.settings().getBoolean(Keys.REPORT);
    return context;
  }

  @Override
  public void after(RunContext context) {
    try {
      Spend total = context.runSpend();
      if (total.calls() > 0) {
        Console.line("run spend: " + total.describe());
      }
      List<SuiteReport> suites = context.reports();
      if (!suites.isEmpty() && context.settings().getBoolean(Keys.REPORT, true)) {
        Path file = context.settings().outputDir().resolve("report.html");
        try {
          Console.line("report: " + HtmlReport.write(file, suites, total).toUri());
        } catch (IOException | RuntimeException e) {
          Console.line("the HTML report could not be written to " + file.toAbsolutePath() + " (" + e.getMessage() + ")");
        }
      }
    } finally {
      context.models().close();
    }
  }
}
