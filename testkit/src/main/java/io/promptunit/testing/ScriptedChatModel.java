package io.promptunit.testing;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A langchain4j {@link ChatModel} whose answers a test scripts: a function from the request to the
 * answer text (or an exception to throw). Counts calls and the peak number of concurrent calls.
 * Token usage is reported as word counts, so tests can check the accounting.
 */
public final class ScriptedChatModel implements ChatModel {

  private final Function<ChatRequest, String> script;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

  public ScriptedChatModel(Function<ChatRequest, String> script) {
    this.script = script;
  }

  /** Answers from the user message alone. */
  public static ScriptedChatModel answering(Function<String, String> byUserMessage) {
    return new ScriptedChatModel(request -> byUserMessage.apply(userMessage(request)));
  }

  public static String userMessage(ChatRequest request) {
    return request.messages().stream()
        .filter(UserMessage.class::isInstance)
        .map(m -> ((UserMessage) m).singleText())
        .reduce((a, b) -> b)
        .orElse("");
  }

  public static String systemMessage(ChatRequest request) {
    return request.messages().stream()
        .filter(SystemMessage.class::isInstance)
        .map(m -> ((SystemMessage) m).text())
        .findFirst()
        .orElse("");
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    calls.incrementAndGet();
    requests.add(request);
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      String answer = script.apply(request);
      int in = request.messages().stream().mapToInt(ScriptedChatModel::words).sum();
      int out = answer.isBlank() ? 0 : answer.strip().split("\\s+").length;
      return ChatResponse.builder().aiMessage(AiMessage.from(answer)).tokenUsage(new TokenUsage(in, out)).build();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static int words(ChatMessage message) {
    String text = message instanceof UserMessage user ? user.singleText() : message instanceof SystemMessage system ? system.text() : "";
    return text.isBlank() ? 0 : text.strip().split("\\s+").length;
  }

  public int calls() {
    return calls.get();
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  public List<ChatRequest> requests() {
    return requests;
  }
}
