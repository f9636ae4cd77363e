/**
 * Benchmark harnesses, run on demand and never during {@code mvn verify} (see benchmarks/README.md).
 * This package holds {@link io.promptunit.benchmarks.SelectionBenchmark}: how many evaluations each
 * best-arm algorithm of {@code io.promptunit.optimize.select} needs, simulated without a model.
 * The harnesses may use any PromptUnit module; nothing depends on them.
 */
package io.promptunit.benchmarks;
