package io.promptunit.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Entry point of PromptUnit's AssertJ assertions, used beside AssertJ's own {@code Assertions}.
 *
 * <pre>{@code
 * import static io.promptunit.jupiter.PromptAssertions.assertThat;
 * import static io.promptunit.jupiter.PromptAssertions.assertThatOutput;
 *
 * assertThat(evaluation).hasPassRateAtLeast(0.8);
 * assertThat(evaluation).onSplit("test").hasPassRateAtLeast(0.9);
 * assertThat(evaluation).example("refund-1").passes();
 * assertThat(evaluation).failures().isEmpty();
 * assertThatOutput(reply).isSimilarTo("Your refund is on its way.");
 * assertThatOutput(json).matchesJsonSchema("prompts/contact.schema.json").hasJsonFields("name", "email");
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PromptAssertions {

  private PromptAssertions() {}

  /** Assertions on an evaluation's pass rates, examples and failures. */
  public static EvaluationAssert assertThat(Evaluation actual) {
    return new EvaluationAssert(actual);
  }

  /** Assertions on the evaluations of several models side by side: which pass, which is the cheapest that does. */
  public static ModelEvaluationsAssert assertThat(ModelEvaluations actual) {
    return new ModelEvaluationsAssert(actual);
  }

  /** Assertions on one evaluated example. */
  public static ScoredExampleAssert assertThat(ScoredExample actual) {
    return new ScoredExampleAssert(actual);
  }

  /**
   * Assertions on a model's output: every AssertJ string assertion plus JSON (valid, schema, fields)
   * and meaning ({@link OutputAssert#isSimilarTo(String)}). Named apart from {@code assertThat(String)}
   * so that both static imports live together.
   */
  public static OutputAssert assertThatOutput(String actual) {
    return new OutputAssert(actual);
  }
}
