package io.promptunit.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on {@link ModelEvaluations}: which models pass held-out, and which is the cheapest that does. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ModelEvaluationsAssert extends AbstractAssert<ModelEvaluationsAssert, ModelEvaluations> {

  ModelEvaluationsAssert(ModelEvaluations actual) {
    super(actual, ModelEvaluationsAssert.class);
  }

  /** {@code model} reaches the pass rate on held-out examples. */
  public ModelEvaluationsAssert modelPasses(String model) {
    isNotNull();
    known(model);
    if (!actual.passes(model)) {
      failWithMessage("%s", "%nExpecting model %s to pass held-out examples, but it does not:%n%s".formatted(model,
          actual));
    }
    return myself;
  }

  /** {@code model} does not reach the pass rate on held-out examples (or could not start). */
  public ModelEvaluationsAssert modelFails(String model) {
    isNotNull();
    known(model);
    if (actual.passes(model)) {
      failWithMessage("%s", "%nExpecting model %s not to pass held-out examples, but it does:%n%s".formatted(model,
          actual));
    }
    return myself;
  }

  /** The cheapest model that passes held-out is {@code model}. */
  public ModelEvaluationsAssert hasCheapestPassingModel(String model) {
    isNotNull();
    known(model);
    String cheapest = actual.cheapestPassing().orElse(null);
    if (!model.equals(cheapest)) {
      failWithMessage("%s", "%nExpecting the cheapest model that passes held-out to be %s, but it is %s:%n%s"
          .formatted(model, cheapest == null ? "none (no model passes)" : cheapest, actual));
    }
    return myself;
  }

  /** Some model passes held-out. */
  public ModelEvaluationsAssert hasPassingModel() {
    isNotNull();
    if (actual.cheapestPassing().isEmpty()) {
      failWithMessage("%s", "%nExpecting some model to pass held-out examples, but none does:%n%s".formatted(actual));
    }
    return myself;
  }

  private void known(String model) {
    if (!actual.models().contains(model)) {
      failWithMessage("%s", "%nNo model %s was evaluated; the models are %s".formatted(model, actual.models()));
    }
  }
}
