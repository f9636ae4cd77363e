package io.promptunit.model.batch.client;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Gemini's batch mode: the request file is JSON lines of {@code {"key", "request"}} (a
 * {@code generateContent} body each), uploaded streaming through the Files API's resumable upload
 * ({@code /upload/v1beta/files}); {@code POST /models/{model}:batchGenerateContent} creates the batch (its
 * display name holds PromptUnit's client id, by which {@code GET /batches} finds it again),
 * {@code GET /batches/{id}} says where it is, and its responses file is downloaded from
 * {@code /download/v1beta/files/{id}:download?alt=media}, one JSON line per request.
 */
@API(status = INTERNAL, since = "0.1")
public final class GeminiBatchClient implements BatchClient {

  /**
   * Finish reasons of an answer the provider withheld (safety filters, recitation, block lists): those the
   * interactive client reports as a content filter.
   */
  private static final java.util.Set<String> WITHHELD = java.util.Set.of("SAFETY", "RECITATION", "BLOCKLIST",
      "PROHIBITED_CONTENT", "SPII", "LANGUAGE", "IMAGE_SAFETY", "IMAGE_RECITATION", "IMAGE_PROHIBITED_CONTENT");

  private final BatchHttp http;
  /**
   * The scheme, host and port of the base URL: uploads and downloads live beside the API, under {@code /upload} and
   * {@code /download}.
   */
  private final String root;
  /** The API path of the base URL, e.g. {@code /v1beta}. */
  private final String apiPath;
  private final String key;

  /**
   * @param endpoint e.g. {@code https://generativelanguage.googleapis.com/v1beta}; the key goes in the
   *     {@code x-goog-api-key} header only
   */
  public GeminiBatchClient(Endpoint endpoint) {
    this.http = new BatchHttp("Gemini", endpoint, request -> request.header("x-goog-api-key", endpoint.key()));
    URI uri = URI.create(http.baseUrl());
    this.root = uri.getScheme() + "://" + uri.getRawAuthority();
    this.apiPath = uri.getRawPath();
    this.key = endpoint.key();
  }

  @Override
  public String provider() {
    return "gemini";
  }

  @Override
  public RequestFile requestFile(Path file) throws IOException {
    return new BatchHttp.JsonRequestFile(file) {
      private String model;

      {
        generator.setRootValueSeparator(null);
      }

      @Override
      protected void write(String customId, WireRequest request) throws IOException {
        // the interactive endpoint is /models/{model}:generateContent; a batch is created per model
        String thisModel = request.path().replaceFirst("^/models/", "").replaceFirst(":.*$", "");
        if (model != null && !model.equals(thisModel)) {
          throw new IOException("a Gemini batch holds the requests of one model; got " + thisModel + " after " + model);
        }
        model = thisModel;
        models.put(file.toAbsolutePath().normalize(), model);
        generator.writeStartObject();
        generator.writeStringField("key", customId);
        generator.writeFieldName("request");
        generator.writeTree(BatchHttp.JSON.readTree(request.body()));
        generator.writeEndObject();
        generator.writeRaw('\n');
      }
    };
  }

  /** The model of each request file written (a batch is created for a model). */
  private final java.util.Map<Path, String> models = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public BatchStatus submit(Path requests, String clientId) throws IOException {
    String model = Optional.ofNullable(models.get(requests.toAbsolutePath().normalize()))
        .orElseThrow(() -> new IOException("no requests were written to " + requests));
    String fileName = upload(requests);
    ObjectNode create = BatchHttp.JSON.createObjectNode();
    ObjectNode batch = create.putObject("batch");
    batch.put("display_name", displayName(clientId));
    batch.putObject("input_config").put("file_name", fileName);
    JsonNode operation = http.json(http.request("/models/" + model + ":batchGenerateContent")
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(create.toString())).build(), "create a batch of " + fileName);
    return status(operation, fileName);
  }

  /**
   * The Files API's resumable upload: start (metadata), then the bytes in one finalizing request, streamed from disk.
   */
  private String upload(Path requests) throws IOException {
    long size = Files.size(requests);
    String metadata = BatchHttp.JSON.createObjectNode()
        .set("file", BatchHttp.JSON.createObjectNode().put("display_name", requests.getFileName().toString()))
        .toString();
    HttpRequest start = http.request(root + "/upload" + apiPath + "/files")
        .header("X-Goog-Upload-Protocol", "resumable").header("X-Goog-Upload-Command", "start")
        .header("X-Goog-Upload-Header-Content-Length", Long.toString(size))
        .header("X-Goog-Upload-Header-Content-Type", "application/jsonl")
        .header("Content-Type", "application/json").POST(BodyPublishers.ofString(metadata)).build();
    HttpResponse<String> started = http.raw(start, "start the upload of " + requests.getFileName());
    String uploadUrl = started.headers().firstValue("X-Goog-Upload-URL").orElseThrow(() -> new IOException(
        "Gemini's Files API answered the start of an upload without an X-Goog-Upload-URL header"));
    HttpRequest bytes = HttpRequest.newBuilder(URI.create(uploadUrl)).header("x-goog-api-key", key)
        .header("X-Goog-Upload-Offset", "0").header("X-Goog-Upload-Command", "upload, finalize")
        .POST(BodyPublishers.ofFile(requests)).build();
    String name = http.upload(bytes, "upload the request file " + requests.getFileName()).path("file")
        .path("name").asText();
    if (name.isEmpty()) {
      throw new IOException("Gemini's Files API answered the upload of " + requests.getFileName()
          + " without a file name");
    }
    return name;
  }

  /** The display name of the batch PromptUnit creates as {@code clientId}: how {@link #find} knows it. */
  static String displayName(String clientId) {
    return "promptunit " + clientId;
  }

  /** {@code GET /batches}, newest first, page after page until the batches are older than {@code createdFrom}. */
  @Override
  public Optional<BatchStatus> find(String clientId, Instant createdFrom, int requests) throws IOException {
    Instant oldest = createdFrom.minus(CLOCK_SKEW);
    String token = "";
    for (int page = 0; page < MOST_PAGES; page++) {
      JsonNode list = http.json(http.request("/batches?pageSize=100" + (token.isEmpty() ? "" : "&pageToken="
          + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8))).GET().build(),
          "list batches");
      for (JsonNode operation : list.path("operations")) {
        JsonNode metadata = operation.path("metadata");
        if (displayName(clientId).equals(metadata.path("displayName").asText())) {
          return Optional.of(status(operation, ""));
        }
        if (olderThan(metadata.path("createTime").asText(), oldest)) {
          return Optional.empty();
        }
      }
      token = list.path("nextPageToken").asText("");
      if (token.isEmpty()) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static boolean olderThan(String time, Instant oldest) {
    try {
      return java.time.OffsetDateTime.parse(time).toInstant().isBefore(oldest);
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  @Override
  public BatchStatus status(String id) throws IOException {
    return status(http.json(http.request("/" + id).GET().build(), "read batch " + id), "");
  }

  /**
   * A batch operation: {@code {"name", "metadata": {"state", "batchStats"}, "done", "response": {"responsesFile"}}}.
   */
  private BatchStatus status(JsonNode operation, String inputFile) throws IOException {
    JsonNode metadata = operation.path("metadata");
    String state = metadata.path("state").asText();
    BatchStatus.State parsed = switch (state) {
      case "BATCH_STATE_PENDING" -> BatchStatus.State.VALIDATING;
      case "BATCH_STATE_RUNNING" -> BatchStatus.State.IN_PROGRESS;
      case "BATCH_STATE_SUCCEEDED" -> BatchStatus.State.COMPLETED;
      case "BATCH_STATE_FAILED" -> BatchStatus.State.FAILED;
      case "BATCH_STATE_CANCELLED" -> BatchStatus.State.CANCELLED;
      case "BATCH_STATE_EXPIRED" -> BatchStatus.State.EXPIRED;
      default -> throw new IOException("Gemini answered a batch with unknown state \"" + state + "\": "
          + BatchHttp.abbreviate(operation.toString()));
    };
    JsonNode stats = metadata.path("batchStats");
    JsonNode output = operation.path("response").isMissingNode() ? metadata.path("output") : operation.path("response");
    Optional<String> responses = output.hasNonNull("responsesFile")
        ? Optional.of(output.get("responsesFile").asText()) : Optional.empty();
    String errors = operation.path("error").isMissingNode() ? ""
        : http.redact(operation.path("error").path("message").asText(""));
    return new BatchStatus(operation.path("name").asText(),
        inputFile.isEmpty() ? metadata.path("inputConfig").path("fileName").asText("") : inputFile,
        parsed, state.replace("BATCH_STATE_", "").toLowerCase(java.util.Locale.ROOT),
        stats.path("requestCount").asLong(),
        stats.path("successfulRequestCount").asLong(), stats.path("failedRequestCount").asLong(), responses,
        Optional.empty(), errors);
  }

  @Override
  public void results(BatchStatus finished, ResultSink sink) throws IOException {
    if (finished.outputFileId().isPresent()) {
      String file = finished.outputFileId().get();
      HttpRequest download = http.request(root + "/download" + apiPath + "/" + file + ":download?alt=media").GET()
          .build();
      http.lines(download, "download " + file, line -> result(line, sink));
    }
  }

  /**
   * One line: {@code {"key", "response": {generateContent answer}}} or
   * {@code {"key", "error"|"status": {"code", "message"}}}.
   */
  private void result(String line, ResultSink sink) throws IOException {
    JsonNode node = BatchHttp.JSON.readTree(line);
    String id = node.path("key").asText();
    if (id.isEmpty()) {
      return;
    }
    JsonNode error = node.hasNonNull("error") ? node.get("error") : node.path("status");
    JsonNode response = node.path("response");
    if (!error.isMissingNode() && error.hasNonNull("message") && response.isMissingNode()) {
      sink.error(id, http.redact(error.path("status").asText("error " + error.path("code").asText("")) + ": "
          + BatchHttp.abbreviate(error.path("message").asText())));
      return;
    }
    JsonNode candidate = response.path("candidates").path(0);
    if (candidate.isMissingNode()) {
      sink.error(id, http.redact("an answer without candidates: " + BatchHttp.abbreviate(response.toString())));
      return;
    }
    if (WITHHELD.contains(candidate.path("finishReason").asText())) {
      // as an interactive call: a withheld answer is an error of its example, never an empty answer
      sink.error(id, "blocked by the provider's content filter: the answer was withheld (finish reason: "
          + candidate.path("finishReason").asText() + ")");
      return;
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.hasNonNull("text") && !part.path("thought").asBoolean(false)) {
        text.append(part.get("text").asText());
      }
    }
    JsonNode usage = response.path("usageMetadata");
    // as an interactive call: an answer may echo a key, which must reach no cassette
    sink.answer(id, new Answer(http.redact(text.toString()), usage.path("promptTokenCount").asLong(),
        usage.path("candidatesTokenCount").asLong(), candidate.path("finishReason").asText().equals("MAX_TOKENS")));
  }
}
