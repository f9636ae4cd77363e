package io.promptunit.model;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.List;
import java.util.Optional;

/**
 * A chat model ready to be called by PromptUnit: the langchain4j model, the name to show in
 * messages, and the call policy (retries, measurement) that every call goes through.
 *
 * @param model the langchain4j model
 * @param name e.g. {@code openai:gpt-4o-mini} or {@code RouterPromptTest.model()}
 * @param call the call policy
 */
public record ModelClient(ChatModel model, String name, ModelCall call) {

  /** One call with {@code messages} at {@code temperature}. */
  public Reply chat(List<ChatMessage> messages, double temperature, Optional<Integer> maxOutputTokens) {
    ChatRequest.Builder request = ChatRequest.builder().messages(messages).temperature(temperature);
    maxOutputTokens.ifPresent(request::maxOutputTokens);
    return call.send(model, name, request.build());
  }
}
