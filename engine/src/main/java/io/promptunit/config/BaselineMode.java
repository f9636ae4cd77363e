package io.promptunit.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** What the regression gate does ({@code promptunit.baseline}). */
@API(status = INTERNAL, since = "0.1")
public enum BaselineMode {
  /** Compare each suite's outcomes with its committed baseline, when there is one. The default. */
  CHECK,
  /** Write the baseline from this run. */
  UPDATE,
  /** Neither read nor write a baseline. */
  OFF
}
