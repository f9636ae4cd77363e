package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptunit.fixtures.batch.JudgedRepeatedSuite;
import io.promptunit.fixtures.valid.ConfiguredModelSuite;
import io.promptunit.fixtures.valid.RouterSuite;
import io.promptunit.testing.Models;
import io.promptunit.testing.OpenAiBatchServer;
import io.promptunit.testing.OpenAiCompatibleServer;
import io.promptunit.testing.OpenAiBatchServer.Outcome;
import io.promptunit.testing.Routers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * Batch mode ({@code promptunit.batch=true}) end to end: the engine collects the requests, sends them
 * through OpenAI's Files and Batches API (a fake on 127.0.0.1), records the answers in the cassette
 * and runs the suite from it.
 */
class BatchModeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path cassettes;

  private OpenAiBatchServer server;
  private final PrintStream originalOut = System.out;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    server = OpenAiBatchServer.routing();
    System.setOut(new PrintStream(console, true));
  }

  @AfterEach
  void stop() {
    System.setOut(originalOut);
    server.close();
    Models.clear();
  }

  private Map<String, String> settings(String... more) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "promptunit.model", "openai:gpt-4o-mini",
        "promptunit.openai.base-url", server.baseUrl(),
        "promptunit.cache", "read-write",
        "promptunit.cache-dir", cassettes.toString(),
        "promptunit.batch", "true",
        "promptunit.batch.poll-millis", "1",
        "promptunit.progress-seconds", "0"));
    for (int i = 0; i < more.length; i += 2) {
      settings.put(more[i], more[i + 1]);
    }
    return settings;
  }

  private EngineExecutionResults run(Class<?> suite, String... more) {
    return EngineRuns.run(settings(more), selectClass(suite));
  }

  private static Map<String, String> suiteEntries(EngineExecutionResults results) {
    return results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .filter(entries -> entries.containsKey("promptunit.passRate")).findFirst().orElseThrow();
  }

  private static Map<String, String> errorsByExample(EngineExecutionResults results) {
    Map<String, String> errors = new HashMap<>();
    for (Event event : results.testEvents().failed().list()) {
      errors.put(event.getTestDescriptor().getDisplayName(),
          event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage());
    }
    return errors;
  }

  private Path cassette(Class<?> suite) {
    return cassettes.resolve(suite.getName() + ".jsonl");
  }

  private Path ledger(Class<?> suite) {
    return cassettes.resolve(suite.getName() + ".batch.json");
  }

  private long cassetteEntries(Class<?> suite) throws IOException {
    try (Stream<String> lines = Files.lines(cassette(suite))) {
      return lines.filter(line -> !line.isBlank()).count();
    }
  }

  @Test
  void withSeveralModelsEachModelsAnswersComeByItsOwnBatchAndTheModelsRunFromTheSharedCassette() throws IOException {
    EngineExecutionResults results = run(ConfiguredModelSuite.class, "promptunit.models",
        "openai:gpt-4o-mini,openai:gpt-4o");

    results.testEvents().assertStatistics(stats -> stats.started(10).succeeded(10));
    assertThat(server.uploads()).isEqualTo(2);
    assertThat(server.batchesCreated()).isEqualTo(2);
    assertThat(server.otherRequests()).as("no interactive call").isZero();
    assertThat(console.toString()).contains("submitted 5 requests to openai:gpt-4o-mini as batch",
        "submitted 5 requests to openai:gpt-4o as batch");
    assertThat(cassetteEntries(ConfiguredModelSuite.class)).isEqualTo(10);
  }

  @Test
  void theSuiteIsAnsweredByOneBatchWithProgressAtEveryStatusAndRunsFromTheCassette() throws IOException {
    EngineExecutionResults results = run(ConfiguredModelSuite.class);

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(server.uploads()).isEqualTo(1);
    assertThat(server.batchesCreated()).isEqualTo(1);
    assertThat(server.otherRequests()).as("no interactive call").isZero();
    String out = console.toString();
    assertThat(out).contains("ConfiguredModelSuite: submitted 5 requests to openai:gpt-4o-mini as batch batch_2");
    for (String state : List.of("validating: 5 submitted, 0 completed", "in_progress: 5 submitted, 0 completed", "finalizing: 5 submitted",
        "completed: 5 submitted, 5 completed, 0 failed")) {
      assertThat(out).containsPattern("\\[PromptUnit\\] ConfiguredModelSuite: batch batch_2 " + state.replace(":", ":") + ".*; \\d+ s");
    }
    // the request file holds the interactive requests, keyed by cassette key
    List<JsonNode> requests = server.uploadedRequests();
    assertThat(requests).hasSize(5).allSatisfy(line -> {
      assertThat(line.path("method").asText()).isEqualTo("POST");
      assertThat(line.path("url").asText()).isEqualTo("/v1/chat/completions");
      assertThat(line.path("custom_id").asText()).hasSize(64);
      assertThat(line.at("/body/model").asText()).isEqualTo("gpt-4o-mini");
      assertThat(line.at("/body/messages/0/content").asText()).startsWith("Route the support ticket below");
    });
    assertThat(requests.stream().map(line -> OpenAiBatchServer.lastUserText(line.path("body")))).anyMatch(text -> text.contains("charged twice"));
    // recorded like interactive answers, charged at half the list price
    assertThat(cassetteEntries(ConfiguredModelSuite.class)).isEqualTo(5);
    assertThat(ledger(ConfiguredModelSuite.class)).doesNotExist();
    Map<String, String> suite = suiteEntries(results);
    assertThat(suite).containsEntry("promptunit.calls", "5").containsEntry("promptunit.inputTokens", "150").containsEntry("promptunit.outputTokens", "10");
    double list = 5 * (30 * 0.15 + 2 * 0.60) / 1_000_000;
    assertThat(Double.parseDouble(suite.get("promptunit.cost"))).as("half of %s", list).isCloseTo(list / 2, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(server.authorizations()).allMatch(header -> header.startsWith("Bearer "));
  }

  @Test
  void aRerunFromTheFilledCassetteIsFreeWithOrWithoutBatchMode() {
    run(ConfiguredModelSuite.class);
    int statusChecks = server.statusChecks();

    EngineExecutionResults batchAgain = run(ConfiguredModelSuite.class);
    EngineExecutionResults interactive = run(ConfiguredModelSuite.class, "promptunit.batch", "false");

    for (EngineExecutionResults results : List.of(batchAgain, interactive)) {
      results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
      assertThat(suiteEntries(results)).containsEntry("promptunit.calls", "0").containsEntry("promptunit.cachedAnswers", "5");
    }
    // an interactive run finds the batch's answers: the cassette keys are the interactive ones
    assertThat(server.otherRequests()).isZero();
    assertThat(server.uploads()).isEqualTo(1);
    assertThat(server.statusChecks()).isEqualTo(statusChecks);
  }

  @Test
  void anAnswerCutOffAtItsOutputCapIsRecordedAndReplayedAsCutOffExactlyAsAnInteractiveCallRecordsIt()
      throws IOException {
    // the refund ticket's answer stops at the output cap: finish reason "length", as OpenAI says it
    server.responder(body -> {
      String ticket = OpenAiBatchServer.lastUserText(body);
      return ticket.contains("charged twice") ? new Outcome.Answer("bill", "length")
          : new Outcome.Answer(Routers.route(ticket));
    });

    EngineExecutionResults batched = run(ConfiguredModelSuite.class, "promptunit.max-output-tokens", "2");

    batched.testEvents().assertStatistics(stats -> stats.started(5).succeeded(4).failed(1));
    CutOffCassette.holdsOneCutOffAnswer(cassette(ConfiguredModelSuite.class), "charged twice", "bill");

    // the same answers through the interactive endpoint: the direct path records the very same cassette
    Path direct = cassettes.resolve("direct");
    try (OpenAiCompatibleServer chat = OpenAiCompatibleServer.start(request -> {
      String ticket = request.lastUserMessage();
      return OpenAiCompatibleServer.Reply.raw(ticket.contains("charged twice") ? completion("bill", "length")
          : completion(Routers.route(ticket), "stop"));
    })) {
      run(ConfiguredModelSuite.class, "promptunit.batch", "false", "promptunit.openai.base-url", chat.baseUrl(),
          "promptunit.cache-dir", direct.toString(), "promptunit.max-output-tokens", "2")
          .testEvents().assertStatistics(stats -> stats.started(5).succeeded(4).failed(1));
      assertThat(chat.requestCount()).isEqualTo(5);
    }
    assertThat(Files.readString(direct.resolve(ConfiguredModelSuite.class.getName() + ".jsonl")))
        .isEqualTo(Files.readString(cassette(ConfiguredModelSuite.class)));
  }

  /** A chat completion as OpenAI's interactive endpoint sends it, with the fake batch server's token counts. */
  private static String completion(String text, String finishReason) {
    com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-1")
        .put("object", "chat.completion").put("created", 1_700_000_000L).put("model", "gpt-4o-mini");
    body.putArray("choices").addObject().put("index", 0).put("finish_reason", finishReason).putObject("message")
        .put("role", "assistant").put("content", text);
    body.putObject("usage").put("prompt_tokens", 30).put("completion_tokens", 2).put("total_tokens", 32);
    return body.toString();
  }

  @Test
  void requestsTheProviderRejectsAreErrorsOfTheirExamplesWithItsMessageAndTheOthersPass() throws IOException {
    server.responder(body -> {
      String ticket = OpenAiBatchServer.lastUserText(body);
      if (ticket.contains("crashes")) {
        return new Outcome.Rejected(400, "Invalid 'messages': too long for key sk-proj-abcdefghijklmnop");
      }
      if (ticket.contains("password")) {
        return new Outcome.Failed("server_error", "The server had an error processing this request");
      }
      return new Outcome.Answer(Routers.route(ticket));
    });

    EngineExecutionResults results = run(ConfiguredModelSuite.class);

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(3).failed(2));
    Map<String, String> errors = errorsByExample(results);
    assertThat(errors).hasSize(2);
    assertThat(errors.values()).anySatisfy(message -> assertThat(message)
        .contains("could not answer this request in batch batch_2 of openai:gpt-4o-mini", "HTTP 400", "Invalid 'messages'", "[redacted]")
        .doesNotContain("sk-proj-abcdefghijklmnop"));
    assertThat(errors.values()).anySatisfy(message -> assertThat(message).contains("server_error: The server had an error processing this request"));
    assertThat(server.otherRequests()).as("failed requests are not retried interactively").isZero();
    assertThat(cassetteEntries(ConfiguredModelSuite.class)).isEqualTo(3);
    assertThat(Files.readString(cassette(ConfiguredModelSuite.class))).doesNotContain("sk-proj-abcdefghijklmnop");
    assertThat(suiteEntries(results)).containsEntry("promptunit.calls", "3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"expired", "cancelled"})
  void aBatchThatEndsEarlyKeepsWhatItAnsweredAndTheOtherExamplesAreErrorsSayingSo(String end) throws IOException {
    server.script("validating", "in_progress", end);
    server.answeredBeforeEnd = 2;

    EngineExecutionResults results = run(ConfiguredModelSuite.class);

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(2).failed(3));
    assertThat(errorsByExample(results).values()).hasSize(3).allSatisfy(message -> assertThat(message)
        .contains("batch batch_2 of openai:gpt-4o-mini ended " + end, "after answering 2 of 5 requests", "Run again with promptunit.batch=true"));
    assertThat(cassetteEntries(ConfiguredModelSuite.class)).isEqualTo(2);
    assertThat(ledger(ConfiguredModelSuite.class)).as("an ended batch is done with").doesNotExist();
    assertThat(console.toString()).contains("batch batch_2 of openai:gpt-4o-mini " + end + ": 2 of 5 done, 0 failed");

    // the next run sends only what is missing
    server.script("validating", "completed");
    EngineExecutionResults again = run(ConfiguredModelSuite.class);
    again.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(server.uploadedRequests()).hasSize(5 + 3);
  }

  @Test
  void aRunThatStopsWaitingLeavesTheBatchIdAndTheNextRunCollectsItWithoutSubmittingAgain() throws IOException {
    server.script("validating", "in_progress");

    EngineExecutionResults first = run(ConfiguredModelSuite.class, "promptunit.batch.max-wait-seconds", "0");

    first.testEvents().assertStatistics(stats -> stats.started(5).failed(5));
    assertThat(errorsByExample(first).values()).allSatisfy(message -> assertThat(message)
        .contains("Not answered yet: batch batch_2 of openai:gpt-4o-mini is still", "promptunit.batch.max-wait-seconds=0",
            ledger(ConfiguredModelSuite.class).toString(), "without paying twice"));
    JsonNode ledger = JSON.readTree(ledger(ConfiguredModelSuite.class).toFile());
    assertThat(ledger.at("/batches/0/id").asText()).isEqualTo("batch_2");
    assertThat(ledger.at("/batches/0/inputFileId").asText()).isEqualTo("file-1");
    assertThat(ledger.at("/batches/0/provider").asText()).isEqualTo("openai");
    assertThat(ledger.at("/batches/0/keys")).hasSize(5);
    assertThat(Files.readString(ledger(ConfiguredModelSuite.class))).doesNotContain("Bearer", "charged twice");
    assertThat(cassette(ConfiguredModelSuite.class)).doesNotExist();

    server.script("validating", "in_progress", "finalizing", "completed");
    EngineExecutionResults second = run(ConfiguredModelSuite.class);

    second.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(server.uploads()).as("no second upload").isEqualTo(1);
    assertThat(server.batchesCreated()).isEqualTo(1);
    assertThat(console.toString()).contains("picking up 1 batch submitted by an earlier run (batch_2");
    assertThat(ledger(ConfiguredModelSuite.class)).doesNotExist();
    assertThat(cassetteEntries(ConfiguredModelSuite.class)).isEqualTo(5);
  }

  @Test
  void finding14_aRunStoppedRightAfterTheBatchWasCreatedLeavesItsIntentAndTheNextRunFindsTheBatch() throws IOException {
    Path obstacle = cassettes.resolve(ConfiguredModelSuite.class.getName() + ".batch.json.tmp");
    // the run stops the moment the provider has created the batch: nothing it would write after that reaches the disk
    server.onCreate(() -> {
      try {
        Files.createDirectories(obstacle);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });

    EngineExecutionResults stopped = run(ConfiguredModelSuite.class);

    assertThat(server.batchesCreated()).isEqualTo(1);
    assertThat(stopped.testEvents().succeeded().count()).isZero();
    server.onCreate(() -> {});
    Files.delete(obstacle);

    EngineExecutionResults next = run(ConfiguredModelSuite.class);

    next.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(server.batchesCreated()).as("the batch created before the stop is found, not created again").isEqualTo(1);
    assertThat(server.uploads()).isEqualTo(1);
    assertThat(console.toString()).contains("found batch batch_2");
    assertThat(ledger(ConfiguredModelSuite.class)).doesNotExist();
    assertThat(cassetteEntries(ConfiguredModelSuite.class)).isEqualTo(5);
  }

  @Test
  void finding14_aCreateCallWhoseAnswerIsLostKeepsItsIntentAndTheNextRunFindsTheBatch() throws IOException {
    // the provider creates the batch, and the connection breaks before its answer arrives
    server.onCreate(() -> {
      throw new OpenAiBatchServer.ConnectionLost();
    });

    EngineExecutionResults lost = run(ConfiguredModelSuite.class);

    assertThat(server.batchesCreated()).isEqualTo(1);
    assertThat(errorsByExample(lost).values()).hasSize(5).allSatisfy(message -> assertThat(message)
        .contains("may have created the batch all the same", "kept in " + ledger(ConfiguredModelSuite.class),
            "not paid for twice")
        .doesNotContain("Nothing was charged"));
    server.onCreate(() -> {});

    EngineExecutionResults next = run(ConfiguredModelSuite.class);

    next.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(server.batchesCreated()).as("found by its client id, not created again").isEqualTo(1);
    assertThat(ledger(ConfiguredModelSuite.class)).doesNotExist();
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"401, check OPENAI_API_KEY", "503, The server is overloaded"})
  void finding15_aStatusCheckRefusedForAnotherReasonThanNotFoundKeepsTheLedgerAndSaysWhatToFix(int status,
      String whatToFix) {
    server.script("validating", "in_progress");
    run(ConfiguredModelSuite.class, "promptunit.batch.max-wait-seconds", "0");
    Path ledger = ledger(ConfiguredModelSuite.class);
    assertThat(ledger).isRegularFile();

    server.statusError(status);
    EngineExecutionResults refused = run(ConfiguredModelSuite.class, "promptunit.batch.max-wait-seconds", "0");

    assertThat(errorsByExample(refused).values()).hasSize(5).allSatisfy(message -> assertThat(message)
        .contains("batch_2", "HTTP " + status, whatToFix, "kept in " + ledger, "without paying twice")
        .doesNotContain("forgotten", "sk-wrong"));
    assertThat(ledger).isRegularFile();

    server.statusError(0);
    server.script("validating", "in_progress", "finalizing", "completed");
    EngineExecutionResults resumed = run(ConfiguredModelSuite.class);

    resumed.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(server.batchesCreated()).as("the kept batch is collected, not paid for again").isEqualTo(1);
    assertThat(ledger).doesNotExist();
  }

  @Test
  void repeatsAndAJudgeTakeOneRoundPerStepOfTheirChain() throws IOException {
    server.responder(body -> {
      String system = body.at("/messages/0/content").asText();
      if (system.startsWith("You grade")) {
        return new Outcome.Answer("PASS: it names the right team");
      }
      return new Outcome.Answer(Routers.route(OpenAiBatchServer.lastUserText(body)));
    });

    EngineExecutionResults results = run(JudgedRepeatedSuite.class);

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    // round 1: first answers; round 2: the judge grades them; round 3: second answers (graded alike: the judge's answer is recorded)
    assertThat(server.batchesCreated()).isEqualTo(3);
    assertThat(server.uploadedRequests()).hasSize(15);
    assertThat(server.otherRequests()).isZero();
    assertThat(cassetteEntries(JudgedRepeatedSuite.class)).isEqualTo(15);
    assertThat(suiteEntries(results)).containsEntry("promptunit.calls", "15");

    EngineExecutionResults again = run(JudgedRepeatedSuite.class);
    again.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(suiteEntries(again)).containsEntry("promptunit.calls", "0");
    assertThat(server.batchesCreated()).isEqualTo(3);
  }

  @Test
  void largeRunsAreSplitIntoBatchesOfTheMaximumSize() {
    EngineExecutionResults results = run(ConfiguredModelSuite.class, "promptunit.batch.max-requests", "2");

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(server.batchesCreated()).isEqualTo(3);
  }

  @Test
  void batchModeWithoutAReadWriteCassetteIsAConfigurationError() {
    for (String mode : List.of("off", "replay", "record")) {
      EngineExecutionResults results = run(ConfiguredModelSuite.class, "promptunit.cache", mode);

      assertThat(results.allEvents().failed().stream().map(BatchModeTest::message))
          .anySatisfy(message -> assertThat(message).contains("promptunit.batch=true", "promptunit.cache=read-write", "promptunit.cache=" + mode));
      results.testEvents().assertStatistics(stats -> stats.succeeded(0));
    }
    assertThat(server.uploads()).isZero();
  }

  @Test
  void aModelWithoutABatchApiIsAConfigurationErrorSayingWhatToDo() {
    Models.use(Routers.model());

    EngineExecutionResults factory = run(RouterSuite.class);
    for (EngineExecutionResults results : List.of(factory)) {
      assertThat(results.allEvents().failed().stream().map(BatchModeTest::message))
          .anySatisfy(message -> assertThat(message).contains("cannot send the requests of model", "Run this suite without promptunit.batch"));
      results.testEvents().assertStatistics(stats -> stats.succeeded(0));
    }
    assertThat(server.uploads()).isZero();
  }

  @Test
  void aMalformedSwitchIsAnError() {
    EngineExecutionResults results = run(ConfiguredModelSuite.class, "promptunit.batch", "yes please");

    assertThat(results.allEvents().failed().stream().map(BatchModeTest::message)).anySatisfy(message -> assertThat(message).contains("promptunit.batch"));
    assertThat(server.uploads()).isZero();
  }

  private static String message(Event event) {
    return event.getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::getMessage).orElse("");
  }
}
