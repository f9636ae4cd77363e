package io.promptunit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-process stand-in for OpenAI's Files and Batches API on 127.0.0.1, for tests and benchmarks:
 * {@code POST /v1/files} (multipart, {@code purpose=batch}; the upload is streamed to disk),
 * {@code POST /v1/batches}, {@code GET /v1/batches/{id}} and {@code GET /v1/files/{id}/content}.
 *
 * <p>Each status request moves a batch one step along its script of states (by default
 * {@code validating, in_progress, finalizing, completed}), so tests see every transition without
 * depending on time; the benchmark can instead hold a batch {@code in_progress} for a processing
 * delay. When a batch reaches a finished state its output and error files are written from the
 * request file, one {@link Outcome} per request decided by the {@link Responder}; an expired or
 * cancelled batch answers only its first {@link #answeredBeforeEnd} requests. Anything else (the
 * interactive {@code /v1/chat/completions} above all) gets a 404 and is counted.
 */
public final class OpenAiBatchServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the provider does with one request. */
  public sealed interface Outcome {
    /**
     * Answered with {@code text} (null: none), finishing for {@code finishReason}: {@code stop}, {@code length} (cut
     * off at the output cap) or {@code content_filter}.
     */
    record Answer(String text, String finishReason) implements Outcome {
      public Answer(String text) {
        this(text, "stop");
      }
    }

    /** An output line with a non-200 status, e.g. 400 {@code invalid_request_error}. */
    record Rejected(int status, String message) implements Outcome {}

    /** An error-file line with an {@code error} object. */
    record Failed(String code, String message) implements Outcome {}
  }

  /** Thrown by an {@link #onCreate} hook: the connection closes without an answer, as a broken network does. */
  public static final class ConnectionLost extends RuntimeException {
    public ConnectionLost() {
      super("the connection is lost before the answer", null, false, false);
    }
  }

  /** Decides the outcome of a request from its body (a chat-completions request). */
  @FunctionalInterface
  public interface Responder {
    Outcome respond(JsonNode body);
  }

  private final HttpServer server;
  private final Path directory;
  private volatile Responder responder;
  private volatile List<String> script = List.of("validating", "in_progress", "finalizing", "completed");
  private volatile Duration processingDelay = Duration.ZERO;
  /** How many requests an expired or cancelled batch answered. */
  public volatile int answeredBeforeEnd;
  /** Run when a batch has been created, before the answer goes out (e.g. to stop the client right after it). */
  private volatile Runnable onCreate = () -> {};
  /** An HTTP status every status check answers instead of the batch (0: none), e.g. 401 or 503. */
  private volatile int statusError;

  private final Map<String, Path> files = new ConcurrentHashMap<>();
  private final Map<String, Batch> batches = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger uploads = new AtomicInteger();
  private final AtomicInteger statusChecks = new AtomicInteger();
  private final AtomicInteger otherRequests = new AtomicInteger();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<Long> uploadSizes = new CopyOnWriteArrayList<>();

  private final class Batch {
    final String id;
    final String inputFileId;
    final long created = System.nanoTime();
    final long createdAt = System.currentTimeMillis() / 1000;
    JsonNode metadata;
    final int total;
    int step;
    boolean answered;
    String status;
    String outputFileId;
    String errorFileId;
    int completed;
    int failed;

    Batch(String id, String inputFileId, int total) {
      this.id = id;
      this.inputFileId = inputFileId;
      this.total = total;
      this.status = script.get(0);
    }
  }

  private OpenAiBatchServer(Responder responder) throws IOException {
    this.responder = responder;
    this.directory = Files.createTempDirectory("fake-openai-batch-");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "fake-openai-batch");
      thread.setDaemon(true);
      return thread;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  public static OpenAiBatchServer start(Responder responder) {
    try {
      return new OpenAiBatchServer(responder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers every chat request as {@link Routers} would. */
  public static OpenAiBatchServer routing() {
    return start(body -> new Outcome.Answer(Routers.route(lastUserText(body))));
  }

  public static String lastUserText(JsonNode body) {
    JsonNode messages = body.path("messages");
    return messages.path(messages.size() - 1).path("content").asText();
  }

  /** {@code http://127.0.0.1:<port>/v1} */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public void responder(Responder responder) {
    this.responder = responder;
  }

  /** The states a batch goes through, one per status request; the last is where it stays. */
  public void script(String... states) {
    this.script = List.of(states);
  }

  /** Batches stay {@code in_progress} until this long after their creation, then finish (for benchmarks). */
  public void processingDelay(Duration delay) {
    this.processingDelay = delay;
  }

  /** Runs {@code hook} each time a batch has been created, before its creation is answered. */
  public void onCreate(Runnable hook) {
    this.onCreate = hook;
  }

  /** Status checks answer {@code status} (with an error body) instead of the batch; 0 answers them again. */
  public void statusError(int status) {
    this.statusError = status;
  }

  public int uploads() {
    return uploads.get();
  }

  public int batchesCreated() {
    return batches.size();
  }

  public int statusChecks() {
    return statusChecks.get();
  }

  /** Requests to anything but the batch API (e.g. interactive chat completions). */
  public int otherRequests() {
    return otherRequests.get();
  }

  public List<String> authorizations() {
    return authorizations;
  }

  public List<Long> uploadSizes() {
    return uploadSizes;
  }

  /** The request lines of every uploaded file, parsed (small files only: tests). */
  public List<JsonNode> uploadedRequests() throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (Path file : files.values()) {
      if (file.getFileName().toString().startsWith("input-")) {
        for (String line : Files.readAllLines(file)) {
          lines.add(JSON.readTree(line));
        }
      }
    }
    return lines;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      if (method.equals("POST") && path.equals("/v1/files")) {
        upload(exchange);
      } else if (method.equals("POST") && path.equals("/v1/batches")) {
        create(exchange);
      } else if (method.equals("GET") && path.equals("/v1/batches")) {
        list(exchange);
      } else if (method.equals("GET") && path.startsWith("/v1/batches/")) {
        Batch batch = batches.get(path.substring("/v1/batches/".length()));
        if (statusError != 0) {
          send(exchange, statusError, error(statusError == 401 ? "Incorrect API key provided: sk-wrong."
              : "The server is overloaded."));
        } else if (batch == null) {
          send(exchange, 404, error("No batch found with id '" + path + "'."));
        } else {
          statusChecks.incrementAndGet();
          advance(batch);
          send(exchange, 200, json(batch));
        }
      } else if (method.equals("GET") && path.startsWith("/v1/files/") && path.endsWith("/content")) {
        Path file = files.get(path.substring("/v1/files/".length(), path.length() - "/content".length()));
        if (file == null) {
          send(exchange, 404, error("No such File object"));
        } else {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file, out);
          }
        }
      } else {
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
        otherRequests.incrementAndGet();
        send(exchange, 404, error("Unknown request URL: " + method + " " + path));
      }
    } catch (ConnectionLost lost) {
      // the exchange closes with no answer: the client sees its connection break
    } catch (RuntimeException | IOException e) {
      // a broken fake must be loud: the client under test would take it for a network hiccup
      e.printStackTrace();
      throw e;
    }
  }

  /** Streams the multipart body to disk, then keeps the lines of its file part. */
  private void upload(HttpExchange exchange) throws IOException {
    Path raw = Files.createTempFile(directory, "upload-", ".multipart");
    try (InputStream in = exchange.getRequestBody()) {
      Files.copy(in, raw, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    uploadSizes.add(Files.size(raw));
    String id = "file-" + ids.incrementAndGet();
    Path input = directory.resolve("input-" + id + ".jsonl");
    boolean purposeBatch = false;
    try (BufferedReader reader = Files.newBufferedReader(raw); BufferedWriter writer = Files.newBufferedWriter(input)) {
      boolean inFile = false;
      String previous = "";
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("--promptunit-") || line.startsWith("--")) {
          inFile = false;
        } else if (line.startsWith("Content-Disposition") && line.contains("name=\"file\"")) {
          inFile = true;
        } else if (previous.isEmpty() && line.equals("batch")) {
          purposeBatch = true;
        } else if (inFile && line.startsWith("{")) {
          writer.write(line);
          writer.write('\n');
        }
        previous = line;
      }
    }
    Files.delete(raw);
    if (!purposeBatch) {
      send(exchange, 400, error("purpose must be batch"));
      return;
    }
    uploads.incrementAndGet();
    files.put(id, input);
    send(exchange, 200, JSON.createObjectNode().put("id", id).put("object", "file").put("purpose", "batch").put("bytes", Files.size(input)));
  }

  private void create(HttpExchange exchange) throws IOException {
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    String fileId = body.path("input_file_id").asText();
    Path input = files.get(fileId);
    if (input == null || !body.path("endpoint").asText().equals("/v1/chat/completions")) {
      send(exchange, 400, error("bad input_file_id or endpoint: " + body));
      return;
    }
    int total;
    try (var lines = Files.lines(input)) {
      total = (int) lines.count();
    }
    Batch batch = new Batch("batch_" + ids.incrementAndGet(), fileId, total);
    batch.metadata = body.path("metadata");
    batches.put(batch.id, batch);
    onCreate.run();
    send(exchange, 200, json(batch));
  }

  /** {@code GET /v1/batches}: every batch, newest first, in pages of {@code limit} after the id {@code after}. */
  private void list(HttpExchange exchange) throws IOException {
    Map<String, String> query = new java.util.HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    for (String pair : raw == null ? new String[0] : raw.split("&")) {
      String[] parts = pair.split("=", 2);
      query.put(parts[0], parts.length > 1 ? parts[1] : "");
    }
    List<Batch> newestFirst = new ArrayList<>(batches.values());
    newestFirst.sort(java.util.Comparator.comparingInt((Batch b) -> Integer.parseInt(b.id.substring(6))).reversed());
    int from = 0;
    if (query.containsKey("after")) {
      for (int i = 0; i < newestFirst.size(); i++) {
        if (newestFirst.get(i).id.equals(query.get("after"))) {
          from = i + 1;
        }
      }
    }
    int limit = Integer.parseInt(query.getOrDefault("limit", "20"));
    List<Batch> page = newestFirst.subList(Math.min(from, newestFirst.size()), Math.min(from + limit, newestFirst.size()));
    ObjectNode body = JSON.createObjectNode().put("object", "list");
    page.forEach(batch -> body.withArray("data").add(json(batch)));
    body.put("has_more", from + limit < newestFirst.size());
    send(exchange, 200, body);
  }

  private synchronized void advance(Batch batch) throws IOException {
    if (batch.answered) {
      return;
    }
    if (!isFinished(batch.status)) {
      if (!processingDelay.isZero()) {
        batch.status = System.nanoTime() - batch.created < processingDelay.toNanos() ? "in_progress" : "completed";
      } else {
        batch.step = Math.min(batch.step + 1, script.size() - 1);
        batch.status = script.get(batch.step);
      }
    }
    if (isFinished(batch.status)) {
      batch.answered = true;
      answer(batch);
    }
  }

  private static boolean isFinished(String status) {
    return status.equals("completed") || status.equals("expired") || status.equals("cancelled") || status.equals("failed");
  }

  /** Writes the output and error files of a finished batch, streaming through its request file. */
  private void answer(Batch batch) throws IOException {
    if (batch.status.equals("failed")) {
      return;
    }
    int limit = batch.status.equals("completed") ? Integer.MAX_VALUE : answeredBeforeEnd;
    String outputId = "file-" + ids.incrementAndGet();
    String errorId = "file-" + ids.incrementAndGet();
    Path output = directory.resolve(outputId + ".jsonl");
    Path errors = directory.resolve(errorId + ".jsonl");
    int answered = 0;
    try (BufferedReader reader = Files.newBufferedReader(files.get(batch.inputFileId));
        BufferedWriter out = Files.newBufferedWriter(output); BufferedWriter err = Files.newBufferedWriter(errors)) {
      for (String line = reader.readLine(); line != null && answered < limit; line = reader.readLine(), answered++) {
        JsonNode request = JSON.readTree(line);
        String customId = request.path("custom_id").asText();
        Outcome outcome = responder.respond(request.path("body"));
        ObjectNode result = JSON.createObjectNode().put("id", "batch_req_" + ids.incrementAndGet()).put("custom_id", customId);
        if (outcome instanceof Outcome.Answer answer) {
          ObjectNode response = result.putObject("response").put("status_code", 200).put("request_id", "req_" + customId.substring(0, 8));
          ObjectNode body = response.putObject("body").put("id", "chatcmpl-" + customId.substring(0, 8)).put("object", "chat.completion")
              .put("created", 1_700_000_000L).put("model", request.path("body").path("model").asText());
          body.putArray("choices").addObject().put("index", 0).put("finish_reason", answer.finishReason()).putObject("message").put("role", "assistant")
              .put("content", answer.text());
          body.putObject("usage").put("prompt_tokens", 30).put("completion_tokens", 2).put("total_tokens", 32);
          result.putNull("error");
          out.write(result.toString());
          out.write('\n');
          batch.completed++;
        } else if (outcome instanceof Outcome.Rejected rejected) {
          ObjectNode response = result.putObject("response").put("status_code", rejected.status()).put("request_id", "req_x");
          response.putObject("body").putObject("error").put("message", rejected.message()).put("type", "invalid_request_error");
          result.putNull("error");
          err.write(result.toString());
          err.write('\n');
          batch.failed++;
        } else if (outcome instanceof Outcome.Failed failed) {
          result.putNull("response");
          result.putObject("error").put("code", failed.code()).put("message", failed.message());
          err.write(result.toString());
          err.write('\n');
          batch.failed++;
        }
      }
    }
    files.put(outputId, output);
    batch.outputFileId = outputId;
    if (batch.failed > 0) {
      files.put(errorId, errors);
      batch.errorFileId = errorId;
    }
  }

  private ObjectNode json(Batch batch) {
    ObjectNode node = JSON.createObjectNode().put("id", batch.id).put("object", "batch").put("endpoint", "/v1/chat/completions")
        .put("input_file_id", batch.inputFileId).put("completion_window", "24h").put("status", batch.status)
        .put("created_at", batch.createdAt);
    if (batch.metadata != null && batch.metadata.isObject()) {
      node.set("metadata", batch.metadata);
    } else {
      node.putNull("metadata");
    }
    node.put("output_file_id", batch.outputFileId);
    node.put("error_file_id", batch.errorFileId);
    if (batch.status.equals("failed")) {
      node.putObject("errors").put("object", "list").putArray("data").addObject().put("code", "invalid_request")
          .put("message", "the request file could not be read").putNull("line");
    } else {
      node.putNull("errors");
    }
    boolean counted = !batch.status.equals("validating");
    node.putObject("request_counts").put("total", counted ? batch.total : 0).put("completed", batch.completed).put("failed", batch.failed);
    return node;
  }

  private static ObjectNode error(String message) {
    ObjectNode node = JSON.createObjectNode();
    node.putObject("error").put("message", message).put("type", "invalid_request_error");
    return node;
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    try (var paths = Files.walk(directory)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory
    }
  }
}
