package io.promptunit.suite;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.List;
import java.util.Optional;

/**
 * How a suite is scored, as declared on its anchor.
 *
 * @param model provider string for this suite only, if any
 * @param temperature sampling temperature of scoring calls
 * @param repeats runs per example
 * @param minPasses runs that must pass for an example to pass (1..repeats)
 * @param minPassRate fraction of examples that must pass for the suite to pass
 * @param concurrency maximum concurrent model calls, or empty for the configured default
 * @param models the models the suite runs against side by side ({@code @PromptTest(models)}), empty for one
 */
@API(status = INTERNAL, since = "0.1")
public record SuiteOptions(
    Optional<String> model, double temperature, int repeats, int minPasses, double minPassRate,
    Optional<Integer> concurrency, List<String> models) {

  public SuiteOptions {
    models = List.copyOf(models);
  }

  /** Options of a suite declaring no models side by side. */
  public SuiteOptions(Optional<String> model, double temperature, int repeats, int minPasses, double minPassRate,
      Optional<Integer> concurrency) {
    this(model, temperature, repeats, minPasses, minPassRate, concurrency, List.of());
  }

  public static SuiteOptions defaults() {
    return new SuiteOptions(Optional.empty(), 0.0, 1, 1, 1.0, Optional.empty());
  }

  /** Whether failing examples are tolerated up to a pass rate (and so reported aborted, not failed). */
  public boolean toleratesFailures() {
    return minPassRate < 1.0;
  }
}
