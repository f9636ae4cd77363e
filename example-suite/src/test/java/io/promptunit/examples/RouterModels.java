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
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Three scripted langchain4j {@link ChatModel}s of different accuracy standing in for real ones in {@link
 * SupportRouterMatrixTest}: a large model that routes every ticket right, a small one that sends a message touching
 * two topics (tagged {@code ambiguous}) to the first topic it mentions, and a mini one that also misroutes messages
 * not written in English to {@code technical}. Each reports the tokens of its answers, so that their cost can be
 * priced.
 */
final class RouterModels {

  /** Every call any of them answered (the replay test checks it stays 0). */
  static final AtomicInteger CALLS = new AtomicInteger();

  private static final List<Example> EXAMPLES = SuiteLoader.load(SupportRouterPromptTest.class).examples();

  private RouterModels() {}

  static ChatModel large() {
    return scripted(Set.of());
  }

  static ChatModel small() {
    return scripted(Set.of("ambiguous"));
  }

  static ChatModel mini() {
    return scripted(Set.of("ambiguous", "non-english"));
  }

  /** A router that gets the examples carrying one of {@code weak} tags wrong. */
  private static ChatModel scripted(Set<String> weak) {
    return new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        CALLS.incrementAndGet();
        String message = ((UserMessage) request.messages().get(request.messages().size() - 1)).singleText();
        Example example = EXAMPLES.stream().filter(e -> message.contains(e.input())).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("RouterModels has no script for this message"));
        String queue = example.expected();
        if (example.tags().contains("ambiguous") && weak.contains("ambiguous")) {
          queue = example.id().equals("charged-order-never-arrived") ? "billing" : "shipping";
        } else if (example.tags().contains("non-english") && weak.contains("non-english")) {
          queue = "technical";
        }
        return ChatResponse.builder().aiMessage(AiMessage.from(queue))
            .tokenUsage(new TokenUsage(message.length() / 4 + 180, 2)).build();
      }
    };
  }
}
