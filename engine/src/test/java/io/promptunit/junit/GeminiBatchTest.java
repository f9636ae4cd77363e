package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.promptunit.fixtures.valid.ConfiguredModelSuite;
import io.promptunit.testing.LocalHttp;
import io.promptunit.testing.Routers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * Batch mode with Gemini, against a server on 127.0.0.1 shaped like Gemini's API: the request file
 * through the Files API's resumable upload, batchGenerateContent, PENDING → RUNNING → SUCCEEDED, and
 * the responses file downloaded line by line.
 */
class GeminiBatchTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path cassettes;

  private HttpServer server;
  private final List<String> uploaded = new CopyOnWriteArrayList<>();
  private final List<JsonNode> created = new CopyOnWriteArrayList<>();
  private final AtomicInteger statusReads = new AtomicInteger();
  private final AtomicInteger otherRequests = new AtomicInteger();
  /** Tickets containing this phrase are answered with an error line. */
  private volatile String failing = "";
  /** Tickets containing this phrase are answered cut off at the output cap (finish reason {@code MAX_TOKENS}). */
  private volatile String cutOff = "\u0000";
  /** Run when a batch is created, before the answer goes out. */
  private volatile Runnable onCreate = () -> {};

  @BeforeEach
  void start() {
    server = LocalHttp.start(this::handle);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String root() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (method.equals("POST") && path.equals("/upload/v1beta/files")) {
      assertThat(exchange.getRequestHeaders().getFirst("X-Goog-Upload-Command")).isEqualTo("start");
      exchange.getResponseHeaders().add("X-Goog-Upload-URL", root() + "/upload-session/1");
      reply(exchange, 200, "{}");
    } else if (method.equals("POST") && path.equals("/upload-session/1")) {
      uploaded.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      reply(exchange, 200, "{\"file\": {\"name\": \"files/requests-1\", \"mimeType\": \"application/jsonl\"}}");
    } else if (method.equals("POST") && path.equals("/v1beta/models/gemini-2.5-flash:batchGenerateContent")) {
      created.add(JSON.readTree(exchange.getRequestBody()));
      onCreate.run();
      reply(exchange, 200, operation("BATCH_STATE_PENDING").toString());
    } else if (method.equals("POST") && path.equals("/v1beta/models/gemini-2.5-flash:generateContent")) {
      // the interactive endpoint, answering as the batch does
      otherRequests.incrementAndGet();
      reply(exchange, 200, answer(JSON.readTree(exchange.getRequestBody()).at("/contents/0/parts/0/text").asText())
          .put("modelVersion", "gemini-2.5-flash").toString());
    } else if (method.equals("GET") && path.equals("/v1beta/batches")) {
      ObjectNode list = JSON.createObjectNode();
      if (!created.isEmpty()) {
        list.putArray("operations").add(operation("BATCH_STATE_RUNNING"));
      }
      reply(exchange, 200, list.toString());
    } else if (method.equals("GET") && path.equals("/v1beta/batches/1")) {
      int reads = statusReads.incrementAndGet();
      reply(exchange, 200, operation(reads < 2 ? "BATCH_STATE_RUNNING" : "BATCH_STATE_SUCCEEDED").toString());
    } else if (method.equals("GET") && path.equals("/download/v1beta/files/responses-1:download")) {
      StringBuilder lines = new StringBuilder();
      for (String line : uploaded.get(0).split("\n")) {
        JsonNode request = JSON.readTree(line);
        String ticket = request.at("/request/contents/0/parts/0/text").asText();
        ObjectNode out = JSON.createObjectNode().put("key", request.path("key").asText());
        if (!failing.isEmpty() && ticket.contains(failing)) {
          out.putObject("error").put("code", 400).put("status", "INVALID_ARGUMENT").put("message", "the request is not valid");
        } else {
          out.set("response", answer(ticket));
        }
        lines.append(out.toString()).append('\n');
      }
      reply(exchange, 200, lines.toString());
    } else {
      otherRequests.incrementAndGet();
      reply(exchange, 404, "{\"error\": {\"code\": 404, \"message\": \"no such endpoint " + path + "\", \"status\": \"NOT_FOUND\"}}");
    }
  }

  /** A generateContent answer to {@code ticket}: its team, or the team's first letters cut off at the output cap. */
  private ObjectNode answer(String ticket) {
    boolean cut = ticket.contains(cutOff);
    ObjectNode response = JSON.createObjectNode();
    ObjectNode candidate = response.putArray("candidates").addObject();
    candidate.putObject("content").put("role", "model").putArray("parts").addObject()
        .put("text", cut ? Routers.route(ticket).substring(0, 4) : Routers.route(ticket));
    candidate.put("finishReason", cut ? "MAX_TOKENS" : "STOP").put("index", 0);
    response.putObject("usageMetadata").put("promptTokenCount", 30).put("candidatesTokenCount", 2)
        .put("totalTokenCount", 32);
    return response;
  }

  private ObjectNode operation(String state) {
    int total = uploaded.isEmpty() ? 0 : uploaded.get(0).split("\n").length;
    boolean done = state.equals("BATCH_STATE_SUCCEEDED");
    ObjectNode operation = JSON.createObjectNode().put("name", "batches/1").put("done", done);
    ObjectNode metadata = operation.putObject("metadata").put("state", state)
        .put("displayName", created.isEmpty() ? "" : created.get(0).at("/batch/display_name").asText())
        .put("createTime", java.time.Instant.now().toString());
    metadata.putObject("batchStats").put("requestCount", String.valueOf(total)).put("successfulRequestCount", String.valueOf(done ? total : 0))
        .put("pendingRequestCount", String.valueOf(done ? 0 : total));
    if (done) {
      operation.putObject("response").put("responsesFile", "files/responses-1");
    }
    return operation;
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    LocalHttp.reply(exchange, status, body);
  }

  private EngineExecutionResults run(boolean batch, String... more) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "promptunit.model", "gemini:gemini-2.5-flash",
        "promptunit.gemini.base-url", root() + "/v1beta",
        "promptunit.cache", "read-write",
        "promptunit.cache-dir", cassettes.toString(),
        "promptunit.batch.poll-millis", "1",
        "promptunit.progress-seconds", "0"));
    if (batch) {
      settings.put("promptunit.batch", "true");
    }
    for (int i = 0; i < more.length; i += 2) {
      settings.put(more[i], more[i + 1]);
    }
    return EngineRuns.run(settings, selectClass(ConfiguredModelSuite.class));
  }

  @Test
  void theSuiteIsAnsweredByOneGeminiBatchAndRunsFromTheCassette() throws IOException {
    EngineExecutionResults results = run(true);

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(otherRequests).as("no interactive call").hasValue(0);
    assertThat(created).singleElement().satisfies(body -> assertThat(body.at("/batch/input_config/file_name").asText()).isEqualTo("files/requests-1"));
    assertThat(uploaded.get(0).split("\n")).hasSize(5).allSatisfy(line -> {
      JsonNode request = JSON.readTree(line);
      assertThat(request.path("key").asText()).hasSize(64);
      assertThat(request.at("/request/contents/0/parts/0/text").asText()).startsWith("Route the support ticket below");
      assertThat(request.at("/request/generationConfig/temperature").asDouble()).isEqualTo(0.0);
    });
    Map<String, String> suite = results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .filter(entries -> entries.containsKey("promptunit.passRate")).findFirst().orElseThrow();
    // gemini-2.5-flash: $0.30 / $2.50 per million, half price in a batch
    assertThat(Double.parseDouble(suite.get("promptunit.cost"))).isCloseTo((150 * 0.30 + 10 * 2.50) / 1_000_000 / 2, org.assertj.core.data.Offset.offset(1e-12));

    EngineExecutionResults interactive = run(false);
    interactive.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(otherRequests).as("the batch answers are the interactive requests' answers").hasValue(0);
  }

  @Test
  void finding14_aRunStoppedRightAfterTheCreateCallLeavesItsIntentAndTheNextRunFindsTheBatch() throws IOException {
    Path obstacle = cassettes.resolve(ConfiguredModelSuite.class.getName() + ".batch.json.tmp");
    onCreate = () -> {
      try {
        java.nio.file.Files.createDirectories(obstacle);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };

    EngineExecutionResults stopped = run(true);

    assertThat(created).hasSize(1);
    assertThat(created.get(0).at("/batch/display_name").asText()).startsWith("promptunit ");
    assertThat(stopped.testEvents().succeeded().count()).isZero();
    onCreate = () -> {};
    java.nio.file.Files.delete(obstacle);

    EngineExecutionResults next = run(true);

    next.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(created).as("the batch created before the stop is found, not created again").hasSize(1);
    assertThat(uploaded).hasSize(1);
  }

  @Test
  void anAnswerCutOffAtItsOutputCapIsRecordedAndReplayedAsCutOffExactlyAsAnInteractiveCallRecordsIt()
      throws IOException {
    cutOff = "charged twice";
    Path batched = cassettes.resolve(ConfiguredModelSuite.class.getName() + ".jsonl");

    run(true).testEvents().assertStatistics(stats -> stats.started(5).succeeded(4).failed(1));

    CutOffCassette.holdsOneCutOffAnswer(batched, "charged twice", "Bill");
    assertThat(otherRequests).hasValue(0);

    // the same answers from the interactive endpoint: the direct path records the very same cassette
    Path direct = cassettes.resolve("direct");
    run(false, "promptunit.cache-dir", direct.toString())
        .testEvents().assertStatistics(stats -> stats.started(5).succeeded(4).failed(1));
    assertThat(otherRequests).hasValue(5);
    assertThat(Files.readString(direct.resolve(ConfiguredModelSuite.class.getName() + ".jsonl")))
        .isEqualTo(Files.readString(batched));
  }

  @Test
  void anErrorLineIsAnErrorOfItsExampleOnly() {
    failing = "reset my password";

    EngineExecutionResults results = run(true);

    assertThat(results.testEvents().succeeded().count()).isEqualTo(4);
    List<Event> failed = results.testEvents().failed().list();
    assertThat(failed).singleElement().satisfies(event -> {
      assertThat(event.getTestDescriptor().getDisplayName()).startsWith("password");
      assertThat(event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage())
          .contains("INVALID_ARGUMENT", "the request is not valid");
    });
  }
}
