package io.promptunit.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.promptunit.report.ModelMatrix;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The evaluations of one prompt with several models side by side ({@link PromptEvaluator.Request#evaluateModels()}):
 * one {@link Evaluation} per model that ran, why each other one could not start, and the matrix (pass rates per
 * split, cost per 1,000 examples, latency) naming the cheapest model that passes held-out. Assert on it with {@link
 * PromptAssertions#assertThat(ModelEvaluations)}.
 *
 * <pre>{@code
 * ModelEvaluations models = evaluator.prompt("prompts/router.prompt").examples("prompts/router.jsonl")
 *     .models("openai:gpt-4o-mini", "anthropic:claude-haiku-4-5").evaluateModels();
 * assertThat(models).hasCheapestPassingModel("openai:gpt-4o-mini");
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ModelEvaluations {

  private final List<Evaluation> evaluations;
  private final Map<String, String> skipped;
  private final ModelMatrix matrix;

  ModelEvaluations(List<Evaluation> evaluations, Map<String, String> skipped, ModelMatrix matrix) {
    this.evaluations = List.copyOf(evaluations);
    this.skipped = Map.copyOf(skipped);
    this.matrix = matrix;
  }

  /** One evaluation per model that ran, in the models' order. */
  public List<Evaluation> evaluations() {
    return evaluations;
  }

  /** The evaluation of {@code model}, if it ran. */
  public Optional<Evaluation> of(String model) {
    return evaluations.stream().filter(evaluation -> evaluation.model().equals(model)).findFirst();
  }

  /** Every model named, in order: those that ran and those that could not start. */
  public List<String> models() {
    return matrix.lines().stream().map(ModelMatrix.Line::model).toList();
  }

  /** The models that could not start, each with why. */
  public Map<String, String> skipped() {
    return skipped;
  }

  /** Whether {@code model} reaches the pass rate on held-out examples (the test split, else all of them). */
  public boolean passes(String model) {
    return matrix.line(model).map(ModelMatrix.Line::passes).orElse(false);
  }

  /** The pass rate of {@code model} on held-out examples; empty when it did not run. */
  public Optional<Double> heldOutPassRate(String model) {
    return matrix.line(model).filter(line -> line.ran() > 0).map(ModelMatrix.Line::heldOutPassRate);
  }

  /**
   * The cheapest model that passes held-out (by cost per 1,000 examples; the first that passes when none is priced).
   */
  public Optional<String> cheapestPassing() {
    return matrix.cheapestPassing().map(ModelMatrix.Line::model);
  }

  /** The matrix as the console shows it: one line per model. */
  public String table() {
    return matrix.table();
  }

  /** The sentence naming the cheapest model that passes held-out, or that none does. */
  public String conclusion() {
    return matrix.conclusion();
  }

  @Override
  public String toString() {
    return table() + "\n" + conclusion();
  }
}
