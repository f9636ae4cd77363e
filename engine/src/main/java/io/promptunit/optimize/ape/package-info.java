/**
 * The APE strategy (Zhou et al. 2023): the optimizer model induces instructions from train
 * demonstrations, candidates are filtered in stages and the best resampled as variations.
 * {@link io.promptunit.optimize.ape.APEProvider} registers it, with its reference defaults, in
 * {@code META-INF/services/io.promptunit.optimize.StrategyProvider}; the strategy class is
 * package-private. It may use the optimizer core and what the core may use (eval, check, model,
 * suite, config); nothing depends on it, not even the core.
 */
package io.promptunit.optimize.ape;
