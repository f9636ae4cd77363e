package io.promptunit.eval;

import io.promptunit.model.ModelClient;

/** Provides judge models; resolved only when a judge check actually runs. */
@FunctionalInterface
public interface JudgeModels {

  /** @param spec the model named on the check, or empty for the configured default judge */
  ModelClient judge(String spec);

  /** For validation-only use: fails if a judge is actually needed. */
  static JudgeModels unavailable() {
    return spec -> {
      throw new IllegalStateException("no judge model available");
    };
  }
}
