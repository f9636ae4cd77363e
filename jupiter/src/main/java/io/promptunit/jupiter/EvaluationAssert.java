package io.promptunit.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * AssertJ assertions on an {@link Evaluation}; failure messages list each failing example with its
 * {@code file:line}, input, expected and actual output.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class EvaluationAssert extends AbstractAssert<EvaluationAssert, Evaluation> {

  /** At most this many failing examples are listed in a message; the rest are counted. */
  static final int LISTED = 20;

  EvaluationAssert(Evaluation actual) {
    super(actual, EvaluationAssert.class);
  }

  /** The pass rate (passed examples over all, errors counting as not passed) is at least {@code minimum}, in [0, 1]. */
  public EvaluationAssert hasPassRateAtLeast(double minimum) {
    if (!(minimum >= 0.0 && minimum <= 1.0)) {
      throw new IllegalArgumentException("the pass rate is a fraction in [0, 1], e.g. 0.9 for 90%; got " + minimum);
    }
    isNotNull();
    requireExamples();
    if (actual.passRate() < minimum) {
      failWithMessage("%s", ("%nExpecting the pass rate of%n  %s%nto be at least %s%nbut it was %s"
          + " (%d of %d examples passed).%s").formatted(actual.scope(), Evaluation.percent(minimum),
          Evaluation.percent(actual.passRate()), actual.passed(), actual.examples().size(), failingList()));
    }
    return myself;
  }

  /** Every example passes. */
  public EvaluationAssert allExamplesPass() {
    isNotNull();
    requireExamples();
    if (!actual.failures().isEmpty()) {
      failWithMessage("%s",
          "%nExpecting every example of%n  %s%nto pass%nbut %d of %d did not.%s".formatted(actual.scope(),
          actual.failures().size(), actual.examples().size(), failingList()));
    }
    return myself;
  }

  /** Assertions on the examples of one split ({@code train}, {@code dev} or {@code test}). */
  public EvaluationAssert onSplit(String split) {
    isNotNull();
    return new EvaluationAssert(actual.onSplit(split)).withInfoFrom(this);
  }

  /** Assertions on the examples carrying {@code tag}. */
  public EvaluationAssert onTag(String tag) {
    isNotNull();
    return new EvaluationAssert(actual.onTag(tag)).withInfoFrom(this);
  }

  /** Assertions on the example with {@code id}; fails when the evaluation has no such example. */
  public ScoredExampleAssert example(String id) {
    isNotNull();
    ScoredExample example = actual.example(id).orElse(null);
    if (example == null) {
      String known = actual.examples().stream().limit(LISTED).map(ScoredExample::id).collect(Collectors.joining(", "));
      failWithMessage("%s",
          "%nExpecting an example with id%n  \"%s\"%nin%n  %s%nbut there is none; its examples are: %s%s".formatted(id,
          actual.scope(), known, actual.examples().size() > LISTED ? ", …" : ""));
    }
    return inherit(new ScoredExampleAssert(example), this);
  }

  /**
   * The examples that did not pass, as a list to assert on ({@code failures().isEmpty()},
   * {@code extracting(ScoredExample::id)}...).
   */
  public ListAssert<ScoredExample> failures() {
    isNotNull();
    return Assertions.assertThat(actual.failures()).as("failing examples of %s", actual.scope());
  }

  private void requireExamples() {
    if (actual.examples().isEmpty()) {
      failWithMessage("%s", "%nExpecting examples in%n  %s%nbut there are none.".formatted(actual.scope()));
    }
  }

  private String failingList() {
    List<ScoredExample> failing = actual.failures();
    if (failing.isEmpty()) {
      return "";
    }
    String listed = failing.stream().limit(LISTED).map(ScoredExample::describe)
        .collect(Collectors.joining(System.lineSeparator()));
    String more =
        failing.size() > LISTED ? "%n  … and %d more failing examples".formatted(failing.size() - LISTED) : "";
    return String.format(Locale.ROOT, "%nFailing examples:%n") + listed + more;
  }

  /** Keeps the description ({@code as(...)}) given to the assertion this one came from. */
  EvaluationAssert withInfoFrom(AbstractAssert<?, ?> origin) {
    return inherit(this, origin);
  }

  /** {@code next} described as {@code origin} is ({@code as(...)}), so that a chain keeps its description. */
  static <A extends AbstractAssert<A, ?>> A inherit(A next, AbstractAssert<?, ?> origin) {
    org.assertj.core.api.WritableAssertionInfo info = origin.getWritableAssertionInfo();
    if (info.description() != null && !info.descriptionText().isEmpty()) {
      next.describedAs(info.description());
    }
    return next;
  }
}
