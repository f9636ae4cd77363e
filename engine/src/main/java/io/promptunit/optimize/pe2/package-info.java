/**
 * The PE2 strategy (Ye et al. 2024): a structured meta-prompt that shows the whole template and
 * reasons over hard failing examples before proposing a new prompt, keeping the best prompts seen.
 * {@link io.promptunit.optimize.pe2.PE2Provider} registers it, with its reference defaults, in
 * {@code META-INF/services/io.promptunit.optimize.StrategyProvider}; the strategy class is
 * package-private. It may use the optimizer core and what the core may use (eval, check, model,
 * suite, config); nothing depends on it, not even the core.
 */
package io.promptunit.optimize.pe2;
