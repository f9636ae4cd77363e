/**
 * The ProTeGi strategy (Pryzant et al. 2023): critiques of failing train examples ("textual
 * gradients"), edited prompts and their paraphrases, with bandit selection of the next beam.
 * {@link io.promptunit.optimize.protegi.ProTeGiProvider} registers it, with its reference defaults,
 * in {@code META-INF/services/io.promptunit.optimize.StrategyProvider}; the strategy class is
 * package-private. It may use the optimizer core and what the core may use (eval, check, model,
 * suite, config); nothing depends on it, not even the core.
 */
package io.promptunit.optimize.protegi;
