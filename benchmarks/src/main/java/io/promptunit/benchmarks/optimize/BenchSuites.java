package io.promptunit.benchmarks.optimize;

import io.promptunit.Optimize;
import io.promptunit.PromptTest;

/**
 * The benchmark's suite; each run picks its strategy by name ({@code promptunit.optimize.strategy}),
 * so that every strategy runs with its reference defaults and any registered one can be measured.
 * Only the run's caps are raised (the default 1,000 calls would stop ProTeGi's six rounds early): the
 * benchmark measures the strategies, not the caps.
 */
final class BenchSuites {

  private BenchSuites() {}

  @PromptTest(prompt = "optimize/tickets.prompt", examples = "optimize/tickets.jsonl")
  @Optimize(frozen = "Answer with the label only.", maxCalls = 20_000, maxTokens = 50_000_000, maxCost = 1000, maxSeconds = 7200)
  static final class Tickets {}

  @PromptTest(prompt = "optimize/interacting.prompt", examples = "optimize/interacting.jsonl")
  @Optimize(frozen = "Answer with the label only.", maxCalls = 20_000, maxTokens = 50_000_000, maxCost = 1000, maxSeconds = 7200)
  static final class Interacting {}
}
