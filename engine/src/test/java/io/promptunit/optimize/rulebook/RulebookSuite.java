package io.promptunit.optimize.rulebook;

import dev.langchain4j.model.chat.ChatModel;
import io.promptunit.ModelFactory;
import io.promptunit.Optimize;
import io.promptunit.PromptTest;
import io.promptunit.Strategy;
import io.promptunit.testing.Models;

/**
 * The naive ticket prompt, optimized by the rulebook strategy chosen by its registered name: no
 * enum constant, no engine code names it.
 */
@PromptTest(prompt = "fixtures/tickets.prompt", examples = "fixtures/tickets.jsonl")
@Optimize(strategyName = "rulebook", frozen = "Answer with the label only.", maxCalls = 400)
public class RulebookSuite {
  @ModelFactory
  static ChatModel model() {
    return Models.current();
  }

  /** A built-in strategy compared with a registered one. */
  @PromptTest(prompt = "fixtures/tickets.prompt", examples = "fixtures/tickets.jsonl")
  @Optimize(compare = Strategy.PE2, compareNames = "RuleBook")
  public static class Compared {}

  /** A name no strategy is registered under. */
  @PromptTest(prompt = "fixtures/tickets.prompt", examples = "fixtures/tickets.jsonl")
  @Optimize(strategy = Strategy.PE2, strategyName = "annealing")
  public static class Misnamed {}
}
