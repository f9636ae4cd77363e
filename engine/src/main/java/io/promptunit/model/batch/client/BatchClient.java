package io.promptunit.model.batch.client;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apiguardian.api.API;

/**
 * One provider's batch API: a file of requests goes up, the provider answers them on its own
 * schedule (within hours, at a discount), the answers come back as a file. Each provider is one
 * implementation; PromptUnit does the rest (which requests, polling, recording, reporting) the same
 * way for all of them. A provider entry ({@code io.promptunit.model.Providers}) names its client's
 * {@link Factory}, usually its constructor: {@code OpenAiBatchClient::new}.
 */
@API(status = INTERNAL, since = "0.1")
public interface BatchClient {

  /** The provider id, e.g. {@code openai}. */
  String provider();

  /**
   * A new request file at {@code file}, in this provider's format, written as requests are added (never held in
   * memory).
   */
  RequestFile requestFile(Path file) throws IOException;

  /** Uploads the finished request file and creates a batch of its requests; the returned status names the batch. */
  BatchStatus submit(Path requests) throws IOException;

  /** Where the batch {@code id} is. */
  BatchStatus status(String id) throws IOException;

  /**
   * Streams every result the provider has for the finished batch: answers and per-request errors, in
   * any order. Partial results of an expired or cancelled batch are included.
   */
  void results(BatchStatus finished, ResultSink sink) throws IOException;

  /** Makes a provider's batch client; a provider whose entry has one can send its requests as batches. */
  @FunctionalInterface
  interface Factory {
    BatchClient open(Endpoint endpoint);
  }

  /**
   * Where and how a batch client reaches its provider.
   *
   * @param baseUrl where the provider's models point, e.g. {@code https://api.openai.com/v1}
   * @param key the API key, sent only in the provider's authentication header
   * @param timeout how long the API may take to start answering a call
   * @param redact keeps API keys out of a text: every answer, error and message a client passes on goes through it
   */
  record Endpoint(String baseUrl, String key, Duration timeout, UnaryOperator<String> redact) {}

  /** A request file being written. */
  interface RequestFile extends Closeable {
    /**
     * Adds the request {@code body} (a JSON object, as the provider's interactive endpoint takes it) under
     * {@code customId}.
     */
    void add(String customId, WireRequest request) throws IOException;

    /** Requests added so far. */
    int count();

    /** Bytes written so far. */
    long bytes();
  }

  /** Receives a batch's results. */
  interface ResultSink {
    void answer(String customId, Answer answer);

    /** The provider could not answer {@code customId}: {@code message} is its reason, already redacted. */
    void error(String customId, String message);
  }

  /**
   * An answer as an interactive call would have given it.
   *
   * @param text the model's output
   * @param inputTokens input tokens the provider counted
   * @param outputTokens output tokens the provider counted
   */
  record Answer(String text, long inputTokens, long outputTokens) {}
}
