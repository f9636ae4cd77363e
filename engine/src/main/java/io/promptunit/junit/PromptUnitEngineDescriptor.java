package io.promptunit.junit;

import io.promptunit.config.Configuration;
import io.promptunit.config.Keys;
import io.promptunit.model.Spend;
import io.promptunit.report.HtmlReport;
import io.promptunit.report.SuiteReport;
import io.promptunit.report.SummaryJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/** The root of a PromptUnit run; at its end it tells what the whole run's model calls cost. */
final class PromptUnitEngineDescriptor extends EngineDescriptor implements Node<RunContext> {

  private final Configuration configuration;

  PromptUnitEngineDescriptor(UniqueId uniqueId, Configuration configuration) {
    super(uniqueId, "PromptUnit");
    this.configuration = configuration;
  }

  /** The run's configuration, read at discovery. */
  Configuration configuration() {
    return configuration;
  }

  @Override
  public void after(RunContext context) {
    try {
      Spend total = context.runSpend();
      if (total.calls() > 0) {
        Console.line("run spend: " + total.describe());
      }
      List<SuiteReport> suites = context.reports();
      if (!suites.isEmpty() && context.configuration().report()) {
        Path file = context.configuration().outputDir().resolve("report.html");
        try {
          Console.line("report: " + HtmlReport.write(file, suites, total).toUri());
        } catch (IOException | RuntimeException e) {
          Console.line("the HTML report could not be written to " + file.toAbsolutePath() + " (" + e.getMessage()
              + ")");
        }
        Path summary = file.resolveSibling("summary.json");
        try {
          SummaryJson.write(summary, suites, total, context.core().prices());
        } catch (IOException | RuntimeException e) {
          Console.line("the summary could not be written to " + summary.toAbsolutePath() + " (" + e.getMessage() + ")");
        }
      }
    } finally {
      context.core().close();
    }
  }
}
