package io.promptunit.benchmarks.optimize;

import io.promptunit.Optimize;
import io.promptunit.PromptTest;
import io.promptunit.Strategy;

/**
 * The benchmark's suite once per strategy, each with the strategy's reference defaults. Only the
 * run's caps are raised (the default 1,000 calls would stop ProTeGi's six rounds early): the
 * benchmark measures the strategies, not the caps.
 */
final class BenchSuites {

  private BenchSuites() {}

  @PromptTest(prompt = "optimize/tickets.prompt", examples = "optimize/tickets.jsonl")
  @Optimize(strategy = Strategy.PROTEGI, frozen = "Answer with the label only.", maxCalls = 20_000, maxTokens = 50_000_000, maxCost = 1000,
      maxSeconds = 7200)
  static final class Protegi {}

  @PromptTest(prompt = "optimize/tickets.prompt", examples = "optimize/tickets.jsonl")
  @Optimize(strategy = Strategy.PE2, frozen = "Answer with the label only.", maxCalls = 20_000, maxTokens = 50_000_000, maxCost = 1000,
      maxSeconds = 7200)
  static final class Pe2 {}

  @PromptTest(prompt = "optimize/tickets.prompt", examples = "optimize/tickets.jsonl")
  @Optimize(strategy = Strategy.APE, frozen = "Answer with the label only.", maxCalls = 20_000, maxTokens = 50_000_000, maxCost = 1000,
      maxSeconds = 7200)
  static final class Ape {}

  @PromptTest(prompt = "optimize/tickets.prompt", examples = "optimize/tickets.jsonl")
  @Optimize(strategy = Strategy.OPRO, frozen = "Answer with the label only.", maxCalls = 20_000, maxTokens = 50_000_000, maxCost = 1000,
      maxSeconds = 7200)
  static final class Opro {}

  static Class<?> of(Strategy strategy) {
    return switch (strategy) {
      case PROTEGI -> Protegi.class;
      case PE2 -> Pe2.class;
      case APE -> Ape.class;
      case OPRO -> Opro.class;
    };
  }
}
