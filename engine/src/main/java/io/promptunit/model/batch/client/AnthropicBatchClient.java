package io.promptunit.model.batch.client;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Anthropic's Message Batches API: the request file is the body of {@code POST /messages/batches},
 * {@code {"requests": [{"custom_id", "params"}, ...]}}, written a request at a time and uploaded from
 * disk; {@code GET /messages/batches/{id}} says where it is, and its {@code results_url} streams one
 * JSON line per request: succeeded (a message), errored, canceled or expired. A message batch carries no metadata,
 * so a batch created by a run that was stopped before noting its id is found by its creation time and its number
 * of requests ({@code GET /messages/batches}).
 */
@API(status = INTERNAL, since = "0.1")
public final class AnthropicBatchClient implements BatchClient {

  /** The API version PromptUnit's Anthropic models speak (langchain4j's default). */
  static final String VERSION = "2023-06-01";

  private final BatchHttp http;

  /** @param endpoint e.g. {@code https://api.anthropic.com/v1}; the key goes in the {@code x-api-key} header only */
  public AnthropicBatchClient(Endpoint endpoint) {
    this.http = new BatchHttp("Anthropic", endpoint,
        request -> request.header("x-api-key", endpoint.key()).header("anthropic-version", VERSION));
  }

  @Override
  public String provider() {
    return "anthropic";
  }

  @Override
  public RequestFile requestFile(Path file) throws IOException {
    return new BatchHttp.JsonRequestFile(file) {
      {
        generator.writeStartObject();
        generator.writeArrayFieldStart("requests");
      }

      @Override
      protected void write(String customId, WireRequest request) throws IOException {
        JsonNode body = BatchHttp.JSON.readTree(request.body());
        if (body instanceof ObjectNode params) {
          // a batch is never streamed; everything else is the interactive request as the client wrote it
          params.remove("stream");
        }
        generator.writeStartObject();
        generator.writeStringField("custom_id", customId);
        generator.writeFieldName("params");
        generator.writeTree(body);
        generator.writeEndObject();
      }

      @Override
      protected void finish() throws IOException {
        generator.writeEndArray();
        generator.writeEndObject();
      }
    };
  }

  /** Message batches carry no metadata: {@code clientId} stays with PromptUnit ({@link #find} does without it). */
  @Override
  public BatchStatus submit(Path requests, String clientId) throws IOException {
    HttpRequest create = http.request("/messages/batches").header("Content-Type", "application/json")
        .POST(BodyPublishers.ofFile(requests)).build();
    return status(http.upload(create, "create a message batch from " + requests.getFileName()));
  }

  /**
   * {@code GET /messages/batches}, newest first: the batch of {@code requests} requests created closest to
   * {@code createdFrom}, as message batches carry no mark of their client.
   */
  @Override
  public Optional<BatchStatus> find(String clientId, Instant createdFrom, int requests) throws IOException {
    JsonNode closest = closest(createdFrom, requests);
    return closest == null ? Optional.empty() : Optional.of(status(closest));
  }

  /** The listed batch of {@code requests} requests created closest to {@code createdFrom}, or null. */
  private JsonNode closest(Instant createdFrom, int requests) throws IOException {
    Instant oldest = createdFrom.minus(CLOCK_SKEW);
    JsonNode closest = null;
    String after = "";
    for (int page = 0; page < MOST_PAGES; page++) {
      JsonNode list = http.json(http.request("/messages/batches?limit=100" + (after.isEmpty() ? "" : "&after_id="
          + after)).GET().build(), "list message batches");
      for (JsonNode batch : list.path("data")) {
        Instant created = createdAt(batch);
        if (created != null && created.isBefore(oldest)) {
          return closest;
        }
        if (created != null && total(batch.path("request_counts")) == requests && (closest == null
            || distance(created, createdFrom) < distance(createdAt(closest), createdFrom))) {
          closest = batch;
        }
        after = batch.path("id").asText();
      }
      if (!list.path("has_more").asBoolean(false) || after.isEmpty()) {
        return closest;
      }
    }
    return closest;
  }

  /** When {@code batch} was created; null when the provider did not say in a form PromptUnit reads. */
  private static Instant createdAt(JsonNode batch) {
    try {
      return java.time.OffsetDateTime.parse(batch.path("created_at").asText()).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static long distance(Instant a, Instant b) {
    return Math.abs(Duration.between(a, b).toMillis());
  }

  private static long total(JsonNode counts) {
    return counts.path("processing").asLong() + counts.path("succeeded").asLong() + counts.path("errored").asLong()
        + counts.path("canceled").asLong() + counts.path("expired").asLong();
  }

  @Override
  public BatchStatus status(String id) throws IOException {
    return status(http.json(http.request("/messages/batches/" + id).GET().build(), "read message batch " + id));
  }

  /**
   * {@code in_progress}, {@code canceling} or {@code ended}; the per-request outcomes are in the counts and the
   * results.
   */
  private static BatchStatus status(JsonNode batch) throws IOException {
    String state = batch.path("processing_status").asText();
    BatchStatus.State parsed = switch (state) {
      case "in_progress" -> BatchStatus.State.IN_PROGRESS;
      case "canceling" -> BatchStatus.State.CANCELLING;
      case "ended" -> BatchStatus.State.COMPLETED;
      default -> throw new IOException("Anthropic answered a message batch with unknown processing_status \"" + state
          + "\": "
          + BatchHttp.abbreviate(batch.toString()));
    };
    JsonNode counts = batch.path("request_counts");
    long succeeded = counts.path("succeeded").asLong();
    long failed = counts.path("errored").asLong() + counts.path("canceled").asLong() + counts.path("expired").asLong();
    Optional<String> results = batch.hasNonNull("results_url")
        ? Optional.of(batch.get("results_url").asText()) : Optional.empty();
    return new BatchStatus(batch.path("id").asText(), "", parsed, state,
        succeeded + failed + counts.path("processing").asLong(), succeeded, failed,
        results, Optional.empty(), "");
  }

  @Override
  public void results(BatchStatus finished, ResultSink sink) throws IOException {
    if (finished.outputFileId().isPresent()) {
      http.lines(http.request(finished.outputFileId().get()).GET().build(),
          "download the results of message batch " + finished.id(),
          line -> result(line, sink));
    }
  }

  /**
   * One result line: {@code {"custom_id", "result": {"type": "succeeded" | "errored" | "canceled" | "expired", ...}}}.
   */
  private void result(String line, ResultSink sink) throws IOException {
    JsonNode node = BatchHttp.JSON.readTree(line);
    String id = node.path("custom_id").asText();
    if (id.isEmpty()) {
      return;
    }
    JsonNode result = node.path("result");
    String type = result.path("type").asText();
    switch (type) {
      case "succeeded" -> {
        JsonNode message = result.path("message");
        if (message.path("stop_reason").asText().equals("refusal")) {
          // as an interactive call: a refusal is an error of its example, never an empty answer
          sink.error(id, "blocked by the provider's content filter: the model refused to answer (stop reason:"
              + " refusal)");
          return;
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : message.path("content")) {
          if (block.path("type").asText().equals("text")) {
            text.append(block.path("text").asText());
          }
        }
        JsonNode usage = message.path("usage");
        // as an interactive call: an answer may echo a key, which must reach no cassette
        sink.answer(id, new Answer(http.redact(text.toString()), usage.path("input_tokens").asLong(),
            usage.path("output_tokens").asLong(), message.path("stop_reason").asText().equals("max_tokens")));
      }
      case "errored" -> {
        JsonNode error = result.path("error").path("error");
        sink.error(id, http.redact(error.path("type").asText("error") + ": "
            + BatchHttp.abbreviate(error.path("message").asText(result.toString()))));
      }
      case "canceled" -> sink.error(id, "canceled: the message batch was canceled before this request was processed");
      case "expired" -> sink.error(id, "expired: the message batch ended (24 hours) before this request was processed");
      default -> sink.error(id, http.redact("an unknown result type \"" + type + "\": "
          + BatchHttp.abbreviate(result.toString())));
    }
  }
}
