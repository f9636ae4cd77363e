package io.promptunit.testing;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A model that keeps to {@code max_tokens} as a real one does: an answer longer than the request's output cap
 * (counted in words, a word a token) is cut there, mid-block, and finishes for {@link FinishReason#LENGTH};
 * a shorter one finishes for {@link FinishReason#STOP}. Records every request's output cap.
 */
public final class TruncatingChatModel implements ChatModel {

  private final Function<ChatRequest, String> script;
  private final List<Integer> caps = new CopyOnWriteArrayList<>();
  private final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

  public TruncatingChatModel(Function<ChatRequest, String> script) {
    this.script = script;
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    requests.add(request);
    Integer cap = request.parameters().maxOutputTokens();
    caps.add(cap == null ? -1 : cap);
    String answer = script.apply(request);
    String[] words = answer.strip().split("(?<=\\s)(?=\\S)");
    boolean cut = cap != null && words.length > cap;
    String text = cut ? String.join("", Arrays.copyOf(words, cap)).strip() : answer;
    int in = ScriptedChatModel.userMessage(request).split("\\s+").length;
    return ChatResponse.builder().aiMessage(AiMessage.from(text)).tokenUsage(new TokenUsage(in, Math.min(words.length,
        cap == null ? Integer.MAX_VALUE : cap))).finishReason(cut ? FinishReason.LENGTH : FinishReason.STOP).build();
  }

  /** The output cap of every request so far, in order (-1: none). */
  public List<Integer> caps() {
    return caps;
  }

  public List<ChatRequest> requests() {
    return requests;
  }
}
