/**
 * The GEPA strategy (Agrawal et al. 2025): parents drawn from the Pareto front of per-example selection scores,
 * reflective mutation on a train minibatch with the checks' feedback, acceptance on that minibatch, merges of
 * candidates from different lineages, and optional few-shot demonstrations from train examples only.
 * {@link io.promptunit.optimize.gepa.GEPAProvider} registers it, with its defaults, in
 * {@code META-INF/services/io.promptunit.optimize.StrategyProvider}; the rest is package-private. It may use the
 * optimizer core and what the core may use (eval, check, model, suite, config); nothing depends on it, not even the
 * core.
 */
package io.promptunit.optimize.gepa;
