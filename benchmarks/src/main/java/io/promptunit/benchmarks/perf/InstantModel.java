package io.promptunit.benchmarks.perf;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

/**
 * A model that answers at once: every generated ticket carries its team as a marker
 * ({@code "... (team: billing)"}), and the answer is that team. It costs a substring search, so
 * what a benchmark against it measures is the test engine, not the model.
 */
public final class InstantModel implements ChatModel {

  static final String MARKER = "(team: ";

  @Override
  public ChatResponse doChat(ChatRequest request) {
    ChatMessage last = request.messages().get(request.messages().size() - 1);
    String text = ((UserMessage) last).singleText();
    return ChatResponse.builder()
        .aiMessage(AiMessage.from(answerFor(text)))
        .tokenUsage(new TokenUsage(text.length() / 4, 1))
        .finishReason(FinishReason.STOP)
        .build();
  }

  /** The team named by the last marker in {@code text} (a prompt, or a raw request body), or "unknown". */
  static String answerFor(String text) {
    return BenchServer.answerFor(text);
  }

}
