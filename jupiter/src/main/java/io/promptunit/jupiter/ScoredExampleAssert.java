package io.promptunit.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on one evaluated example; messages show its {@code file:line}, input, expected and actual output.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ScoredExampleAssert extends AbstractAssert<ScoredExampleAssert, ScoredExample> {

  ScoredExampleAssert(ScoredExample actual) {
    super(actual, ScoredExampleAssert.class);
  }

  /** The example passed its checks. */
  public ScoredExampleAssert passes() {
    isNotNull();
    if (!actual.passed()) {
      failWithMessage("%s", "%nExpecting example %s to pass%nbut it %s:%n%s".formatted(actual.id(),
          actual.status() == io.promptunit.eval.ExampleResult.Status.ERROR ? "got no answer" : "failed",
          actual.describe()));
    }
    return myself;
  }

  /** The example failed (an output failed a check, or no answer could be had). */
  public ScoredExampleAssert fails() {
    isNotNull();
    if (actual.passed()) {
      failWithMessage("%s", "%nExpecting example %s to fail%nbut it passed:%n%s".formatted(actual.id(),
          actual.describe()));
    }
    return myself;
  }

  /** Assertions on the example's output (of its first failing run, else its last run). */
  public OutputAssert output() {
    isNotNull();
    return EvaluationAssert.inherit(new OutputAssert(actual.output()), this)
        .as("output of %s (%s)", actual.id(), actual.location());
  }
}
