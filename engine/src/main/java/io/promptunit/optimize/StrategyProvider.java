package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.BestArm;
import java.util.Optional;

/**
 * A prompt-optimization strategy as the optimizer core finds it: by name, through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.promptunit.optimize.StrategyProvider}).
 * A strategy's package owns its parameters, their reference defaults and their validation; the core
 * knows none of them. Adding a strategy means a package with its provider and strategy, one line in
 * the services file, and a test.
 */
@API(status = INTERNAL, since = "0.1")
public interface StrategyProvider {

  /**
   * The name users give ({@code @Optimize(strategyName = "pe2")}, {@code promptunit.optimize.strategy=pe2},
   * and for the built-in ones {@code @Optimize(strategy = Strategy.PE2)}); matched ignoring case, with
   * {@code -} and {@code _} alike.
   */
  String name();

  /** Rounds when {@code @Optimize(rounds)} is left at -1. */
  default int defaultRounds() {
    return 6;
  }

  /** Temperature of the optimizer's calls when {@code @Optimize(metaTemperature)} is left at -1. */
  default double defaultMetaTemperature() {
    return 0.7;
  }

  /** The best-arm selection when none is named (empty: {@code @Optimize(selection)}'s default, UCB). */
  default Optional<BestArm> defaultSelection() {
    return Optional.empty();
  }

  /**
   * The strategy with its parameters read from {@code parameters}: unusable values are reported
   * through {@link StrategyParameters#problem} (all at once), not thrown.
   */
  PromptStrategy create(StrategyParameters parameters);
}
