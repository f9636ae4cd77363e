package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * Batch mode's hold on a cassette's misses ({@code promptunit.batch=true}). While it collects, a
 * request the cassette has no answer for is not sent: it goes to a {@link Sink} (to be sent with
 * the others as one provider batch) and the call fails with {@link DeferredCallException}. A
 * request the batch could not answer (the provider rejected it, the batch expired or is still
 * running) fails with the reason, in every later pass and in the suite run itself, so that its
 * example is reported as an error instead of being sent interactively after all.
 */
@API(status = INTERNAL, since = "0.1")
public final class DeferredRequests {

  /** Where requests are collected; called from many threads at once. */
  @FunctionalInterface
  public interface Sink {
    /**
     * Takes the request with cassette key {@code key}, asked of {@code model} (e.g. {@code openai:gpt-4o-mini}).
     *
     * @throws ModelConfigurationException when {@code model} cannot be batched
     */
    void add(String key, String model, ChatRequest request, int sample);
  }

  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private volatile Sink sink;

  /** From now on misses go to {@code sink} (null: misses are sent as usual, unless they failed in a batch). */
  public void collectInto(Sink sink) {
    this.sink = sink;
  }

  /** {@code key} could not be answered by a batch: why, for the error of its example. */
  public void fail(String key, String reason) {
    failures.put(key, reason);
  }

  /** Why the request with {@code key} has no answer, when a batch could not give one. */
  public Optional<String> failure(String key) {
    return Optional.ofNullable(failures.get(key));
  }

  /** How many requests batches could not answer. */
  public int failures() {
    return failures.size();
  }

  /**
   * Called on a cassette miss: throws when the request must not be sent now, returns when it may go
   * to the model.
   */
  void check(String key, String model, ChatRequest request, int sample) {
    String failure = failures.get(key);
    if (failure != null) {
      throw new ModelCallException(ModelCallException.Kind.NOT_RECORDED, failure, 0, null);
    }
    Sink collecting = sink;
    if (collecting != null) {
      collecting.add(key, model, request, sample);
      throw new DeferredCallException(key);
    }
  }
}
