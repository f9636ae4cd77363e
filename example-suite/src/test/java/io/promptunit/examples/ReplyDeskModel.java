package io.promptunit.examples;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted langchain4j {@link ChatModel} for {@link ReplyDraftJupiterTest}: it answers each customer
 * message with its own wording of the reference reply — except the volume-discount question, which
 * it answers with an unrelated sales line, as a model that skimmed the message would.
 */
final class ReplyDeskModel implements ChatModel {

  private static final Map<String, String> REPLIES = Map.of(
      "charged twice", "The second charge has been refunded to your card and should show up within five business days.",
      "replaced my router", "Restart the router first, then delete the camera from the app and set it up again.",
      "label created", "The order shipped yesterday; you can expect it on Friday.",
      "reset email never arrives", "A fresh password reset email is on its way - please look in your spam folder too.",
      "ship to Canada", "We do deliver to Canada, and it usually takes between 7 and 10 days.",
      "holiday flats", "Thanks for your interest! Our new doorbell comes in three colours.",
      "authenticator app", "To reset two-step verification we first need to confirm it's you: please send the last 4 digits of the card on file.");

  /** Every call any instance answered (the replay test checks it stays 0). */
  static final AtomicInteger CALLS = new AtomicInteger();

  @Override
  public ChatResponse doChat(ChatRequest request) {
    CALLS.incrementAndGet();
    String message = ((UserMessage) request.messages().get(request.messages().size() - 1)).singleText();
    String reply = REPLIES.entrySet().stream().filter(e -> message.contains(e.getKey())).map(Map.Entry::getValue).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("ReplyDeskModel has no script for this message: " + message));
    return ChatResponse.builder().aiMessage(AiMessage.from(reply)).tokenUsage(new TokenUsage(message.length() / 4, reply.length() / 4)).build();
  }
}
