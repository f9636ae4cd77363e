/**
 * The engine-performance benchmarks: {@link io.promptunit.benchmarks.perf.PerfBenchmark} (engine
 * overhead against a JUnit Jupiter baseline, parallel model calls over local HTTP, the warm cache,
 * 100,000 examples in a small heap, each scenario in a fresh JVM),
 * {@link io.promptunit.benchmarks.perf.FaultThroughput} (retries must not idle the other workers)
 * and {@link io.promptunit.benchmarks.perf.BatchBenchmark} (batch mode against a fake batch server).
 * Offline; may use any PromptUnit module and the engine's test helpers, and nothing depends on it.
 */
package io.promptunit.benchmarks.perf;
