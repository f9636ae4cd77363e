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
 * Batch mode with Anthropic's Message Batches API, against a server on 127.0.0.1 shaped like it:
 * create a batch from the request file, in_progress, ended, then one result line per request.
 */
class AnthropicBatchTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path cassettes;

  private HttpServer server;
  private final List<JsonNode> created = new CopyOnWriteArrayList<>();
  private final List<String> versions = new CopyOnWriteArrayList<>();
  private final AtomicInteger statusReads = new AtomicInteger();
  private final AtomicInteger otherRequests = new AtomicInteger();
  /** Result type per input phrase: a request whose ticket contains the phrase gets that outcome instead of an answer. */
  private final Map<String, String> outcomes = new HashMap<>();
  /** Status reads answered 503 before the real answer. */
  private final AtomicInteger statusFailures = new AtomicInteger();
  /** Whether the provider has forgotten every batch (a stale batch file). */
  private volatile boolean forgotten;
  /** Whether status reads are refused with 401 (a key revoked or mistyped between runs). */
  private volatile boolean unauthorized;
  /** Run when a batch is created, before the answer goes out. */
  private volatile Runnable onCreate = () -> {};
  /** When each batch was created, RFC 3339. */
  private final List<String> createdAt = new CopyOnWriteArrayList<>();
  /** Status reads before a batch ends. */
  private volatile int readsBeforeEnd = 2;
  /** Tickets containing this phrase are answered cut off at the output cap (stop reason {@code max_tokens}). */
  private volatile String cutOff = "\u0000";
  /** Counted down at the first status read: the run is then waiting for its batch. */
  private final java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);

  @BeforeEach
  void start() {
    server = LocalHttp.start(this::handle);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    versions.add(String.valueOf(exchange.getRequestHeaders().getFirst("anthropic-version")));
    java.util.regex.Matcher status = java.util.regex.Pattern.compile("/v1/messages/batches/msgbatch_(\\d+)").matcher(path);
    java.util.regex.Matcher results = java.util.regex.Pattern.compile("/v1/messages/batches/msgbatch_(\\d+)/results").matcher(path);
    if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/messages/batches")) {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      created.add(body);
      createdAt.add(java.time.Instant.now().toString());
      statusReads.set(0);
      onCreate.run();
      reply(exchange, 200, batch(created.size(), "in_progress", body.path("requests").size(), 0, false).toString());
    } else if (exchange.getRequestMethod().equals("GET") && path.equals("/v1/messages/batches")) {
      ObjectNode list = JSON.createObjectNode().put("has_more", false);
      for (int number = created.size(); number >= 1; number--) {
        list.withArray("data").add(batch(number, "in_progress", created.get(number - 1).path("requests").size(), 0, false));
      }
      reply(exchange, 200, list.toString());
    } else if (exchange.getRequestMethod().equals("GET") && status.matches()) {
      int number = Integer.parseInt(status.group(1));
      if (unauthorized) {
        reply(exchange, 401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}");
      } else if (forgotten || number > created.size()) {
        reply(exchange, 404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"no batch msgbatch_" + number + "\"}}");
      } else if (statusFailures.getAndDecrement() > 0) {
        reply(exchange, 503, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
      } else {
        waiting.countDown();
        int total = created.get(number - 1).path("requests").size();
        boolean ended = statusReads.incrementAndGet() >= readsBeforeEnd;
        reply(exchange, 200, batch(number, ended ? "ended" : "in_progress", total, ended ? total : 0, ended).toString());
      }
    } else if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/messages")) {
      // the interactive endpoint, answering as the batch does
      otherRequests.incrementAndGet();
      reply(exchange, 200, message(ticket(JSON.readTree(exchange.getRequestBody()))).put("id", "msg_1")
          .put("type", "message").put("role", "assistant").put("model", "claude-3-5-haiku-latest").toString());
    } else if (exchange.getRequestMethod().equals("GET") && results.matches()) {
      StringBuilder lines = new StringBuilder();
      for (JsonNode request : created.get(Integer.parseInt(results.group(1)) - 1).path("requests")) {
        String ticket = ticket(request.path("params"));
        String outcome = outcomes.entrySet().stream().filter(e -> ticket.contains(e.getKey())).map(Map.Entry::getValue).findFirst().orElse("succeeded");
        ObjectNode result = JSON.createObjectNode().put("type", outcome);
        if (outcome.equals("succeeded")) {
          result.set("message", message(ticket));
        } else if (outcome.equals("errored")) {
          result.putObject("error").put("type", "error").putObject("error").put("type", "invalid_request_error")
              .put("message", "max_tokens: too large for key sk-ant-api03-abcdefghijkl");
        }
        ObjectNode line = JSON.createObjectNode().put("custom_id", request.path("custom_id").asText());
        line.set("result", result);
        lines.append(line.toString()).append('\n');
      }
      reply(exchange, 200, lines.toString());
    } else {
      otherRequests.incrementAndGet();
      reply(exchange, 404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"no such endpoint " + path + "\"}}");
    }
  }

  /** The user message of a request's params (or of an interactive request's body). */
  private static String ticket(JsonNode params) {
    JsonNode content = params.at("/messages/0/content");
    return content.isTextual() ? content.asText() : content.path(0).path("text").asText();
  }

  /** The answer to {@code ticket}: its team, or the team's first letters cut off at the output cap. */
  private ObjectNode message(String ticket) {
    boolean cut = ticket.contains(cutOff);
    ObjectNode message = JSON.createObjectNode();
    message.putArray("content").addObject().put("type", "text").put("text", cut ? Routers.route(ticket).substring(0, 4)
        : Routers.route(ticket));
    message.put("stop_reason", cut ? "max_tokens" : "end_turn").putNull("stop_sequence");
    message.putObject("usage").put("input_tokens", 30).put("output_tokens", 2);
    return message;
  }

  private ObjectNode batch(int number, String status, int total, int done, boolean ended) {
    ObjectNode batch = JSON.createObjectNode().put("id", "msgbatch_" + number).put("type", "message_batch").put("processing_status", status)
        .put("created_at", createdAt.get(number - 1));
    long failed = ended ? outcomes.size() : 0;
    batch.putObject("request_counts").put("processing", total - done).put("succeeded", done - failed).put("errored", failed)
        .put("canceled", 0).put("expired", 0);
    if (ended) {
      batch.put("results_url", base() + "/messages/batches/msgbatch_" + number + "/results");
    } else {
      batch.putNull("results_url");
    }
    return batch;
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    LocalHttp.reply(exchange, status, body);
  }

  private EngineExecutionResults run(boolean batch, String... more) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "promptunit.model", "anthropic:claude-3-5-haiku-latest",
        "promptunit.anthropic.base-url", base(),
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
  void theSuiteIsAnsweredByOneMessageBatchAndRunsFromTheCassette() throws IOException {
    EngineExecutionResults results = run(true);

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(created).hasSize(1);
    assertThat(otherRequests).as("no interactive call").hasValue(0);
    assertThat(versions).isNotEmpty().allMatch("2023-06-01"::equals);
    assertThat(created.get(0).path("requests")).hasSize(5).allSatisfy(request -> {
      assertThat(request.path("custom_id").asText()).hasSize(64);
      assertThat(request.at("/params/model").asText()).isEqualTo("claude-3-5-haiku-latest");
      assertThat(request.at("/params/max_tokens").asInt()).as("Anthropic's required output cap").isEqualTo(1024);
      assertThat(request.path("params").has("stream")).isFalse();
    });
    Map<String, String> suite = results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .filter(entries -> entries.containsKey("promptunit.passRate")).findFirst().orElseThrow();
    assertThat(suite).containsEntry("promptunit.calls", "5").containsEntry("promptunit.inputTokens", "150");
    // claude-3-5-haiku: $0.80 / $4.00 per million, half price in a batch
    assertThat(Double.parseDouble(suite.get("promptunit.cost"))).isCloseTo((150 * 0.80 + 10 * 4.00) / 1_000_000 / 2, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(cassettes.resolve(ConfiguredModelSuite.class.getName() + ".batch.json")).doesNotExist();

    EngineExecutionResults interactive = run(false);
    interactive.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(otherRequests).as("the batch answers are the interactive requests' answers").hasValue(0);
    assertThat(Files.readString(cassettes.resolve(ConfiguredModelSuite.class.getName() + ".jsonl"))).contains("anthropic:claude-3-5-haiku-latest");
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
  void erroredAndExpiredRequestsAreErrorsOfTheirExamplesWithTheProvidersMessage() {
    outcomes.put("reset my password", "errored");
    outcomes.put("crashes", "expired");

    EngineExecutionResults results = run(true);

    Map<String, String> errors = new HashMap<>();
    for (Event event : results.testEvents().failed().list()) {
      errors.put(event.getTestDescriptor().getDisplayName(), event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage());
    }
    assertThat(results.testEvents().succeeded().count()).isEqualTo(3);
    assertThat(errors).hasSize(2);
    assertThat(errors.entrySet()).anySatisfy(e -> {
      assertThat(e.getKey()).startsWith("password");
      assertThat(e.getValue()).contains("invalid_request_error", "max_tokens: too large").doesNotContain("sk-ant-api03");
    });
    assertThat(errors.entrySet()).anySatisfy(e -> {
      assertThat(e.getKey()).startsWith("crash");
      assertThat(e.getValue()).contains("expired");
    });
    assertThat(otherRequests).hasValue(0);
  }

  @Test
  void anOverloadedProviderWhileWaitingIsAskedAgainAtTheNextCheck() {
    statusFailures.set(2);

    EngineExecutionResults results = run(true);

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(created).hasSize(1);
  }

  @Test
  void aBatchTheProviderNoLongerKnowsIsForgottenAndTheNextRunSubmitsAnew() throws IOException {
    readsBeforeEnd = Integer.MAX_VALUE;
    Path ledger = cassettes.resolve(ConfiguredModelSuite.class.getName() + ".batch.json");

    EngineExecutionResults waiting = run(true, "promptunit.batch.max-wait-seconds", "0");
    assertThat(ledger).isRegularFile();
    assertThat(waiting.testEvents().succeeded().count()).isZero();

    forgotten = true;
    EngineExecutionResults stale = run(true, "promptunit.batch.max-wait-seconds", "0");
    assertThat(stale.testEvents().failed().stream().map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage()))
        .isNotEmpty().allSatisfy(message -> assertThat(message).contains("msgbatch_1", "forgotten", "run again"));
    assertThat(created).as("a stale batch is not silently replaced in the same run").hasSize(1);

    forgotten = false;
    readsBeforeEnd = 1;
    EngineExecutionResults fresh = run(true);
    fresh.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(created).hasSize(2);
    assertThat(ledger).doesNotExist();
  }

  @Test
  void finding15_aRefusedKeyWhileResumingKeepsTheBatchAndSaysWhichKeyToCheck() throws IOException {
    readsBeforeEnd = Integer.MAX_VALUE;
    Path ledger = cassettes.resolve(ConfiguredModelSuite.class.getName() + ".batch.json");
    run(true, "promptunit.batch.max-wait-seconds", "0");
    assertThat(ledger).isRegularFile();

    unauthorized = true;
    EngineExecutionResults refused = run(true, "promptunit.batch.max-wait-seconds", "0");

    assertThat(refused.testEvents().failed().stream().map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage()))
        .hasSize(5).allSatisfy(message -> assertThat(message).contains("msgbatch_1", "HTTP 401", "invalid x-api-key", "ANTHROPIC_API_KEY",
            "kept in " + ledger).doesNotContain("forgotten"));
    assertThat(ledger).isRegularFile();

    unauthorized = false;
    readsBeforeEnd = 1;
    EngineExecutionResults resumed = run(true);
    resumed.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(created).as("not paid for twice").hasSize(1);
    assertThat(ledger).doesNotExist();
  }

  @Test
  void finding14_aRunStoppedRightAfterTheCreateCallLeavesItsIntentAndTheNextRunFindsTheBatch() throws IOException {
    Path obstacle = cassettes.resolve(ConfiguredModelSuite.class.getName() + ".batch.json.tmp");
    onCreate = () -> {
      try {
        Files.createDirectories(obstacle);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };

    EngineExecutionResults stopped = run(true);

    assertThat(created).hasSize(1);
    assertThat(stopped.testEvents().succeeded().count()).isZero();
    onCreate = () -> {};
    Files.delete(obstacle);
    readsBeforeEnd = 1;

    EngineExecutionResults next = run(true);

    next.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(created).as("the message batch created before the stop is found, not created again").hasSize(1);
    assertThat(cassettes.resolve(ConfiguredModelSuite.class.getName() + ".batch.json")).doesNotExist();
  }

  @Test
  void aRunInterruptedWhileWaitingKeepsTheBatchAndTheNextRunCollectsItWithoutPayingAgain() throws Exception {
    readsBeforeEnd = Integer.MAX_VALUE;
    Path ledger = cassettes.resolve(ConfiguredModelSuite.class.getName() + ".batch.json");
    java.util.concurrent.atomic.AtomicReference<EngineExecutionResults> interrupted = new java.util.concurrent.atomic.AtomicReference<>();
    Thread ci = new Thread(() -> interrupted.set(run(true, "promptunit.batch.poll-millis", "50")));
    ci.start();
    assertThat(waiting.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the run reached its first status check").isTrue();
    ci.interrupt(); // what Ctrl-C or a CI timeout does to a waiting run
    ci.join(30_000);

    assertThat(ci.isAlive()).isFalse();
    assertThat(interrupted.get().testEvents().succeeded().count()).isZero();
    assertThat(ledger).isRegularFile();
    assertThat(Files.readString(ledger)).contains("msgbatch_1").doesNotContain("Route the support ticket");

    readsBeforeEnd = 1;
    EngineExecutionResults resumed = run(true);

    resumed.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(created).as("the kept batch is collected, not submitted again").hasSize(1);
    assertThat(ledger).doesNotExist();
  }
}
