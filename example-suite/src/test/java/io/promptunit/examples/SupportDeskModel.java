package io.promptunit.examples;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.promptunit.Example;
import io.promptunit.suite.SuiteLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted langchain4j {@link ChatModel} standing in for a real one in {@link SupportRouterJupiterTest}:
 * it routes each support message like a careful reader who has not taken in the tie-break rule, so
 * a message that touches two topics (tagged {@code ambiguous}) goes to the first topic it mentions.
 * It answers the way small models do, sometimes capitalised with a full stop ("Billing.").
 */
final class SupportDeskModel implements ChatModel {

  /** Where the two-topic messages go without the tie-break rule: the first topic they mention. */
  private static final Map<String, String> FIRST_TOPIC = Map.of("charged-order-never-arrived", "billing", "arrived-yesterday-wont-pair", "shipping");

  /** Every call any instance answered (the replay test checks it stays 0). */
  static final AtomicInteger CALLS = new AtomicInteger();

  private final List<Example> examples = SuiteLoader.load(SupportRouterPromptTest.class).examples();

  @Override
  public ChatResponse doChat(ChatRequest request) {
    CALLS.incrementAndGet();
    String message = ((UserMessage) request.messages().get(request.messages().size() - 1)).singleText();
    Example example = examples.stream().filter(e -> message.contains(e.input())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("SupportDeskModel has no script for this message: " + message));
    String queue = FIRST_TOPIC.getOrDefault(example.id(), example.expected());
    String answer = example.line() % 3 == 0 ? Character.toUpperCase(queue.charAt(0)) + queue.substring(1) + "." : queue;
    return ChatResponse.builder().aiMessage(AiMessage.from(answer)).tokenUsage(new TokenUsage(message.length() / 4, 2)).build();
  }
}
