/**
 * Prompt optimization without JUnit: {@link io.promptunit.optimize.Optimization} prepares a run on
 * a suite's {@link io.promptunit.eval.ScoringSession}, shows its {@link io.promptunit.optimize.Estimate}
 * and returns an {@link io.promptunit.optimize.OptimizationResult}. Also the loop every strategy
 * shares (splits, candidates and their rules, beam, history) and the strategy SPI, through which
 * the strategy packages register themselves with {@link java.util.ServiceLoader} (this package
 * never names them). It may use eval, check, model, suite and config, and optimize.select.
 */
package io.promptunit.optimize;
