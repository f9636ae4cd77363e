package io.promptunit.examples;

import dev.langchain4j.model.chat.ChatModel;
import io.promptunit.ModelFactory;
import io.promptunit.PromptTest;

/**
 * Which model should the support-ticket router run on? The suite of {@link SupportRouterPromptTest}, run against
 * three models side by side: one container per model in the test tree, each with its own pass-rate verdict, and a
 * table naming the cheapest model that passes the held-out tickets at {@code minPassRate}.
 *
 * <p>The three models are scripted ({@link RouterModels}: large and right, small and wrong on the two-topic
 * messages, mini and also wrong on messages not in English); their answers are recorded in {@code
 * src/test/cassettes/io.promptunit.examples.SupportRouterMatrixTest.jsonl}, so the run makes no model call, and
 * their prices per million tokens are set in {@code junit-platform.properties}. With real models, name them instead:
 * {@code @PromptTest(models = {"openai:gpt-4o", "openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"})} or
 * {@code -Dpromptunit.models=...}.
 */
@PromptTest(
    prompt = "prompts/support-router.prompt",
    system = "prompts/support-router.system",
    examples = "prompts/support-router.jsonl",
    minPassRate = 0.9)
class SupportRouterMatrixTest {

  @ModelFactory
  static ChatModel large() {
    return RouterModels.large();
  }

  @ModelFactory
  static ChatModel small() {
    return RouterModels.small();
  }

  @ModelFactory
  static ChatModel mini() {
    return RouterModels.mini();
  }
}
