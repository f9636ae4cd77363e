package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.concurrent.Semaphore;

/**
 * A {@link ChatModel} that holds one of a shared number of permits only while a call is on the
 * wire. Retries back off outside the model ({@link RetryPolicy}), so an example waiting to retry
 * frees its permit for the others instead of idling one of the suite's concurrent calls.
 */
@API(status = INTERNAL, since = "0.1")
public final class BoundedChatModel implements ChatModel {

  private final ChatModel delegate;
  private final Semaphore permits;

  public BoundedChatModel(ChatModel delegate, Semaphore permits) {
    this.delegate = delegate;
    this.permits = permits;
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelCallException(ModelCallException.Kind.OTHER,
          "interrupted while waiting for a free call slot", 0, e);
    }
    try {
      return delegate.chat(request);
    } finally {
      permits.release();
    }
  }
}
