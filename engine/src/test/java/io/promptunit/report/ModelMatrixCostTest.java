package io.promptunit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.config.Configuration;
import io.promptunit.model.PriceTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a model costs per 1,000 examples in the matrix: only answers count, and no measured tokens is no figure. */
class ModelMatrixCostTest {

  private static SuiteReport.Row row(String id, String status) {
    return new SuiteReport.Row(id, status, "test", List.of(), "prompts/r.jsonl:1", 10, "in", "billing",
        status.equals("error") ? "" : "billing", status.equals("error") ? "the server cannot be reached" : "");
  }

  @Test
  void theCostPerThousandCountsTheExamplesThatGotAnAnswerAndNoTokensIsNoFigure() {
    SuiteReport report = new SuiteReport("com.acme.RouterPromptTest", "prompts/r.prompt", "prompts/r.jsonl", 0.5);
    report.run("openai:half-errors");
    report.add(row("a", "passed"));
    report.add(row("b", "passed"));
    report.add(row("c", "error"));
    report.add(row("d", "error"));
    report.run("openai:half-errors").tokens(2_000, 0);
    report.run("openai:silent");
    report.add(row("a", "passed"));
    report.add(row("b", "passed"));
    PriceTable prices = new PriceTable(Configuration.of(Map.of("promptunit.price.half-errors", "1,1",
        "promptunit.price.silent", "0.01,0.01")));

    ModelMatrix matrix = ModelMatrix.of(report, prices);

    // $1 per million input tokens, 2,000 tokens over the 2 examples that got an answer: $1 per 1,000 examples
    assertThat(matrix.line("openai:half-errors").orElseThrow().costPer1000().getAsDouble()).isEqualTo(1.0);
    ModelMatrix.Line silent = matrix.line("openai:silent").orElseThrow();
    assertThat(silent.costPer1000()).as("no tokens measured: not free").isEmpty();
    assertThat(ModelMatrix.cost(silent)).isEqualTo("no tokens reported");
    assertThat(matrix.cheapestPassing().orElseThrow().model()).isEqualTo("openai:half-errors");
  }
}
