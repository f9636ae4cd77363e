/**
 * The optimizer benchmark ({@link io.promptunit.benchmarks.optimize.OptimizationBenchmark}): each
 * strategy optimizes the same generated suite through the JUnit Platform launcher against a local
 * rule-following model server, and its wall time is compared with its critical path, its repeats and
 * its estimates. Offline; may use any PromptUnit module, and nothing depends on it.
 */
package io.promptunit.benchmarks.optimize;
