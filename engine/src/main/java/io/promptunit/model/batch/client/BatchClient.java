package io.promptunit.model.batch.client;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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

  /**
   * Uploads the finished request file and creates a batch of its requests, marked with {@code clientId} where the
   * provider keeps such a mark (a metadata field, a display name), so that {@link #find} finds the batch again; the
   * returned status names the batch.
   */
  BatchStatus submit(Path requests, String clientId) throws IOException;

  /**
   * The batch a run created with {@code clientId} and could not note (it was stopped right after the create call), if
   * the provider has one: looked up among the batches created since {@code createdFrom} (less {@link #CLOCK_SKEW}). A
   * provider whose batches carry no mark of the client is asked for the batch of {@code requests} requests created
   * closest to {@code createdFrom}; results are matched to requests by their custom ids, so a wrong match records
   * nothing wrong.
   *
   * @return empty when no such batch was created: its requests may be submitted anew
   */
  Optional<BatchStatus> find(String clientId, Instant createdFrom, int requests) throws IOException;

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

  /** How far before a run's own clock a batch it created is looked for: a provider's clock differs from ours. */
  Duration CLOCK_SKEW = Duration.ofMinutes(10);

  /** The most pages of a provider's batch list (newest first) {@link #find} reads. */
  int MOST_PAGES = 20;

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
   * @param truncated whether the model stopped at the request's output cap (OpenAI's finish reason {@code length},
   *     Anthropic's stop reason {@code max_tokens}, Gemini's {@code MAX_TOKENS}: what an interactive call reads as
   *     finish reason {@code LENGTH}), so that the answer is recorded and replayed as cut off
   */
  record Answer(String text, long inputTokens, long outputTokens, boolean truncated) {}
}
