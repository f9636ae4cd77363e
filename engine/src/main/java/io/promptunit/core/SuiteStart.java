package io.promptunit.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.promptunit.eval.ScoringSession;
import io.promptunit.model.ModelConfigurationException;
import org.apiguardian.api.API;

/**
 * How opening a suite went: a session to score with, or no model to score with (each caller decides what that means).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public sealed interface SuiteStart {

  /** The suite's session, ready to score. */
  record Ready(ScoringSession session) implements SuiteStart {}

  /**
   * One model of several ({@code promptunit.models}) that cannot start (no key, an unknown provider, a factory that
   * throws): it is reported skipped with {@code why}, and the other models run.
   */
  record Unusable(String model, String why) implements SuiteStart {}

  /**
   * No model is configured (nor the embedded default available). {@code cause.notRun("...")} words
   * the set-up instructions for the caller: the engine aborts the examples, the Jupiter integration
   * skips the test, a run with {@code promptunit.require-model=true} fails.
   */
  record NoModel(ModelConfigurationException cause) implements SuiteStart {

    /** "No model configured, so {@code consequence}. Configure one of: ...". */
    public String notRun(String consequence) {
      return cause.notRun(consequence).orElseThrow();
    }
  }
}
