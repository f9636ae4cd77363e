package io.promptunit.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.model.ModelClient;

/** Provides judge models; resolved only when a judge check actually runs. */
@FunctionalInterface
@API(status = INTERNAL, since = "0.1")
public interface JudgeModels {

  /** @param spec the model named on the check, or empty for the configured default judge */
  ModelClient judge(String spec);

  /** The same judges, each spec resolved only once (judge clients are metered; one meter per model). */
  default JudgeModels cached() {
    java.util.Map<String, ModelClient> cache = new java.util.concurrent.ConcurrentHashMap<>();
    return spec -> cache.computeIfAbsent(spec, this::judge);
  }

  /** For validation-only use: fails if a judge is actually needed. */
  static JudgeModels unavailable() {
    return spec -> {
      throw new IllegalStateException("no judge model available");
    };
  }
}
