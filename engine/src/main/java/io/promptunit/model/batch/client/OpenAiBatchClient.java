package io.promptunit.model.batch.client;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * OpenAI's Batch API (also served by compatible gateways): the request file is JSON lines of
 * {@code {"custom_id", "method", "url", "body"}}, uploaded streaming with {@code POST /files}
 * ({@code purpose=batch}); {@code POST /batches} creates the batch (its metadata holds PromptUnit's client id,
 * by which {@code GET /batches} finds it again), {@code GET /batches/{id}} says where it is, and
 * {@code GET /files/{id}/content} streams its output and error files.
 */
@API(status = INTERNAL, since = "0.1")
public final class OpenAiBatchClient implements BatchClient {

  private static final ObjectMapper JSON = BatchHttp.JSON;

  /** The metadata field of a batch that holds the id PromptUnit gave it before creating it. */
  static final String CLIENT_ID = "promptunit_id";

  private final BatchHttp http;

  /** @param endpoint e.g. {@code https://api.openai.com/v1}; the key goes as a bearer token only */
  public OpenAiBatchClient(Endpoint endpoint) {
    this.http = new BatchHttp("OpenAI", endpoint,
        request -> request.header("Authorization", "Bearer " + endpoint.key()));
  }

  @Override
  public String provider() {
    return "openai";
  }

  @Override
  public RequestFile requestFile(Path file) throws IOException {
    return new BatchHttp.JsonRequestFile(file) {
      {
        // one request per line, nothing between lines
        generator.setRootValueSeparator(null);
      }

      @Override
      protected void write(String customId, WireRequest request) throws IOException {
        generator.writeStartObject();
        generator.writeStringField("custom_id", customId);
        generator.writeStringField("method", "POST");
        // the batch names the endpoint as OpenAI's API path, whatever the base URL
        generator.writeStringField("url", "/v1" + request.path());
        generator.writeFieldName("body");
        // the client may indent its JSON; a JSONL line must not break, and whitespace changes nothing else
        generator.writeTree(JSON.readTree(request.body()));
        generator.writeEndObject();
        generator.writeRaw('\n');
      }
    };
  }

  @Override
  public BatchStatus submit(Path requests, String clientId) throws IOException {
    String boundary = "promptunit-" + UUID.randomUUID();
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + requests.getFileName()
        + "\"\r\nContent-Type: application/jsonl\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    // the file goes up as it is read from disk: a request file of any size needs no memory
    HttpRequest upload = http.request("/files").header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(BodyPublishers.concat(BodyPublishers.ofByteArray(head), BodyPublishers.ofFile(requests),
            BodyPublishers.ofByteArray(tail))).build();
    String fileId = http.upload(upload, "upload the request file " + requests.getFileName()).path("id").asText();
    if (fileId.isEmpty()) {
      throw new IOException("OpenAI's POST " + http.baseUrl() + "/files answered without a file id");
    }
    ObjectNode body = JSON.createObjectNode().put("input_file_id", fileId).put("endpoint", "/v1/chat/completions")
        .put("completion_window", "24h");
    body.putObject("metadata").put(CLIENT_ID, clientId);
    String create = body.toString();
    return status(http.json(http.request("/batches").header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(create)).build(),
        "create a batch of file " + fileId));
  }

  /** {@code GET /batches}, newest first, page after page until the batches are older than {@code createdFrom}. */
  @Override
  public Optional<BatchStatus> find(String clientId, Instant createdFrom, int requests) throws IOException {
    long oldest = createdFrom.minus(CLOCK_SKEW).getEpochSecond();
    String after = "";
    for (int page = 0; page < MOST_PAGES; page++) {
      JsonNode list = http.json(http.request("/batches?limit=100" + (after.isEmpty() ? "" : "&after=" + after))
          .GET().build(), "list batches");
      for (JsonNode batch : list.path("data")) {
        if (clientId.equals(batch.path("metadata").path(CLIENT_ID).asText())) {
          return Optional.of(status(batch));
        }
        if (batch.path("created_at").asLong(Long.MAX_VALUE) < oldest) {
          return Optional.empty();
        }
        after = batch.path("id").asText();
      }
      if (!list.path("has_more").asBoolean(false) || after.isEmpty()) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  @Override
  public BatchStatus status(String id) throws IOException {
    return status(http.json(http.request("/batches/" + id).GET().build(), "read batch " + id));
  }

  private BatchStatus status(JsonNode batch) throws IOException {
    String state = batch.path("status").asText();
    BatchStatus.State parsed;
    try {
      parsed = BatchStatus.State.ofOpenAi(state);
    } catch (IllegalArgumentException e) {
      throw new IOException("OpenAI answered a batch with " + e.getMessage() + ": " + abbreviate(batch.toString()));
    }
    JsonNode counts = batch.path("request_counts");
    StringBuilder errors = new StringBuilder();
    for (JsonNode error : batch.path("errors").path("data")) {
      errors.append(errors.length() == 0 ? "" : "; ").append(error.path("code").asText("error")).append(": ")
          .append(error.path("message").asText())
          .append(error.hasNonNull("line") ? " (line " + error.get("line").asText() + ")" : "");
    }
    return new BatchStatus(batch.path("id").asText(), batch.path("input_file_id").asText(""), parsed, state,
        counts.path("total").asLong(),
        counts.path("completed").asLong(), counts.path("failed").asLong(), text(batch, "output_file_id"),
        text(batch, "error_file_id"),
        http.redact(errors.toString()));
  }

  private static Optional<String> text(JsonNode node, String field) {
    return node.hasNonNull(field) && !node.get(field).asText().isEmpty()
        ? Optional.of(node.get(field).asText()) : Optional.empty();
  }

  @Override
  public void results(BatchStatus finished, ResultSink sink) throws IOException {
    for (Optional<String> file : java.util.List.of(finished.outputFileId(), finished.errorFileId())) {
      if (file.isPresent()) {
        http.lines(http.request("/files/" + file.get() + "/content").GET().build(), "download file " + file.get(),
            line -> result(line, sink));
      }
    }
  }

  /** One line of an output or error file: {@code {"custom_id", "response": {"status_code", "body"}, "error"}}. */
  private void result(String line, ResultSink sink) throws IOException {
    JsonNode node = JSON.readTree(line);
    String id = node.path("custom_id").asText();
    if (id.isEmpty()) {
      return;
    }
    JsonNode response = node.path("response");
    JsonNode error = node.path("error");
    int status = response.path("status_code").asInt(0);
    JsonNode body = response.path("body");
    if (!error.isMissingNode() && !error.isNull()) {
      sink.error(id, http.redact(error.path("code").asText("error") + ": "
          + error.path("message").asText(error.toString())));
    } else if (status != 200) {
      String message = body.path("error").path("message").asText(body.toString());
      sink.error(id, http.redact("HTTP " + status
          + (body.path("error").hasNonNull("type") ? " " + body.path("error").get("type").asText() : "")
          + ": " + abbreviate(message)));
    } else {
      JsonNode choice = body.path("choices").path(0);
      JsonNode content = choice.path("message").path("content");
      JsonNode usage = body.path("usage");
      if (choice.isMissingNode()) {
        sink.error(id, http.redact("an answer without choices: " + abbreviate(body.toString())));
        return;
      }
      if (choice.path("finish_reason").asText().equals("content_filter")
          || !choice.path("message").path("refusal").asText("").isEmpty()) {
        // as an interactive call: a withheld answer is an error of its example, never an empty answer
        sink.error(id, http.redact("blocked by the provider's content filter: " + (choice.path("message")
            .path("refusal").asText("").isEmpty() ? "the answer was withheld (finish reason: content filter)"
                : "the model refused: " + abbreviate(choice.path("message").path("refusal").asText()))));
        return;
      }
      // as an interactive call: an answer may echo a key, which must reach no cassette
      sink.answer(id, new Answer(http.redact(content.isNull() ? "" : content.asText()),
          usage.path("prompt_tokens").asLong(),
          usage.path("completion_tokens").asLong(), choice.path("finish_reason").asText().equals("length")));
    }
  }

  private static String abbreviate(String text) {
    return BatchHttp.abbreviate(text);
  }
}
