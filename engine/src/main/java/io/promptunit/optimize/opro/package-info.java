/**
 * The OPRO strategy (Yang et al. 2024): a meta-prompt shows the best instructions so far with their
 * scores and asks for a different, better one, sampled several times per step.
 * {@link io.promptunit.optimize.opro.OPROProvider} registers it, with its reference defaults, in
 * {@code META-INF/services/io.promptunit.optimize.StrategyProvider}; the strategy class is
 * package-private. It may use the optimizer core and what the core may use (eval, check, model,
 * suite, config); nothing depends on it, not even the core.
 */
package io.promptunit.optimize.opro;
