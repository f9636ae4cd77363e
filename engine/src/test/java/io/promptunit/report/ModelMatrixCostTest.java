package io.promptunit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.config.Configuration;
import io.promptunit.model.PriceTable;
import io.promptunit.model.Spend;
import io.promptunit.optimize.OptimizationResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.assertj.core.data.Offset;
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

  @Test
  void withTheOptimizedPromptTheCostPerThousandChangesByWhatItsAnswersTookPerExampleWithEveryRepeat() {
    PriceTable.Price price = new PriceTable.Price(1, 2);
    // 10 examples run three times each: 30 answers; the optimized prompt is 20 tokens longer and its answers a token
    // longer, in every one of the 30
    OptimizationResult.Usage usage = new OptimizationResult.Usage(10, new OptimizationResult.Answers(30, 3_000, 30),
        new OptimizationResult.Answers(30, 3_600, 60));

    // per example: 3 x 20 input tokens at $1 and 3 x 1 output token at $2 per million, $0.066 per 1,000 examples
    assertThat(ModelMatrix.withPrompt(0.5, usage, price).getAsDouble()).isCloseTo(0.566, Offset.offset(1e-12));
    assertThat(ModelMatrix.withPrompt(0.5, OptimizationResult.Usage.NONE, price)).as("nothing measured: no figure")
        .isEmpty();
  }

  @Test
  void anOptimizedPromptWithoutAMeasuredExampleHasNoCostFigureAndSaysSo() {
    SuiteReport report = new SuiteReport("com.acme.RouterPromptTest", "prompts/r.prompt", "prompts/r.jsonl", 0.5);
    report.run("openai:priced");
    report.add(row("a", "passed"));
    report.run("openai:priced").tokens(2_000, 0);
    report.run("openai:unpriced");
    report.add(row("a", "passed"));
    report.run("openai:unpriced").tokens(2_000, 0);
    ModelMatrix matrix = ModelMatrix.of(report, new PriceTable(Configuration.of(Map.of("promptunit.price.priced",
        "1,1"))));

    assertThat(matrix.cost(after("openai:priced", OptionalDouble.of(0.25)))).isEqualTo("$0.2500");
    assertThat(matrix.cost(after("openai:priced", OptionalDouble.empty()))).isEqualTo("not measured");
    assertThat(matrix.cost(after("openai:unpriced", OptionalDouble.empty()))).isEqualTo("no price");
  }

  private static ModelMatrix.After after(String model, OptionalDouble cost) {
    return new ModelMatrix.After(model, Optional.of(0.5), Optional.of(1.0), true, Spend.NONE, cost, "best.prompt");
  }
}
