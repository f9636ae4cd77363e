package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.promptunit.fixtures.audit.BomPromptSuite;
import io.promptunit.fixtures.audit.GoodSuite;
import io.promptunit.fixtures.audit.LatinOneSuite;
import io.promptunit.fixtures.audit.NoExpectedColumnSuite;
import io.promptunit.fixtures.audit.NotASchemaSuite;
import io.promptunit.fixtures.audit.NullExpectedSuite;
import io.promptunit.fixtures.audit.UnclosedVariableSuite;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.model.Budget;
import io.promptunit.model.BudgetExhaustedException;
import io.promptunit.config.CacheMode;
import io.promptunit.model.Cassette;
import io.promptunit.model.MeteredChatModel;
import io.promptunit.model.RetryPolicy;
import io.promptunit.model.ModelCallException;
import io.promptunit.model.ModelClient;
import io.promptunit.report.PromptFile;
import io.promptunit.testing.Models;
import io.promptunit.testing.OpenAiCompatibleServer;
import io.promptunit.testing.OpenAiCompatibleServer.Reply;
import io.promptunit.testing.Routers;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The faults and bad inputs an audit found, one test each: what used to pass wrongly, hang, leak or
 * change a file against its owner's intent, and what it does now.
 */
class AuditFindingsTest {

  @TempDir
  Path temp;

  private final ScriptedChatModel model = ScriptedChatModel.answering(Routers::route);

  @AfterEach
  void clear() {
    Models.clear();
  }

  /** Runs the broken suite beside a good one, which must still pass; returns the broken suite's container message. */
  private String brokenSuiteMessage(Class<?> broken) {
    Models.use(model);
    EngineExecutionResults results = EngineRuns.run(selectClass(broken), selectClass(GoodSuite.class));
    results.testEvents().assertThatEvents().noneMatch(e -> e.getTestDescriptor().getUniqueId().toString().contains(broken.getName())
        && e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
            .map(r -> r.getStatus() == org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL).orElse(false));
    results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(1));
    return results.testEvents().failed().stream()
        .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains(broken.getName()))
        .map(e -> e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow().getMessage())
        .findFirst().orElseThrow(() -> new AssertionError(broken.getSimpleName() + " did not fail"));
  }

  @Test
  void finding2_anUnclosedVariableIsAnErrorNotAPromptWithoutInput() {
    assertThat(brokenSuiteMessage(UnclosedVariableSuite.class)).startsWith(
        "src/test/resources/fixtures/audit/unclosed.prompt:2: the variable \"{{input}\" is opened with {{ but not closed with }} on this line");
  }

  @Test
  void finding3_invalidUtf8IsAnErrorNamingItsLine() {
    assertThat(brokenSuiteMessage(LatinOneSuite.class)).startsWith("src/test/resources/fixtures/audit/latin1.jsonl:2: the file is not valid UTF-8")
        .contains("save the file as UTF-8");
  }

  @Test
  void finding3_aByteOrderMarkNeverReachesTheModel() {
    Models.use(model);

    EngineRuns.run(selectClass(BomPromptSuite.class)).testEvents().assertStatistics(stats -> stats.succeeded(2));

    assertThat(model.requests()).allSatisfy(r -> assertThat(ScriptedChatModel.userMessage(r)).startsWith("Route the ticket"));
  }

  @Test
  void finding4_aSchemaThatIsNotASchemaIsOneErrorWithItsFile() {
    assertThat(brokenSuiteMessage(NotASchemaSuite.class)).startsWith("src/test/resources/fixtures/audit/not-a-schema.json:1: the JSON Schema cannot be used: it is not a valid JSON Schema");
  }

  @Test
  void finding5_aCsvHeaderWithoutExpectedIsOneProblemSaidOnce() {
    assertThat(brokenSuiteMessage(NoExpectedColumnSuite.class))
        .isEqualTo("src/test/resources/fixtures/audit/no-expected.csv:1: the header row has no \"expected\" column (it has: id, input, label)."
            + " Fix: add an expected column with the output each example should produce, e.g. id,input,expected");
  }

  @Test
  void finding6_aNullExpectedValueIsAnError() {
    assertThat(brokenSuiteMessage(NullExpectedSuite.class)).startsWith("src/test/resources/fixtures/audit/null-expected.jsonl:2: \"expected\" is null");
  }

  @Test
  void finding6_everyUnusableBudgetIsReportedAtOnce() {
    Models.use(Tickets.taskModel());

    EngineExecutionResults results = EngineRuns.run(Map.of("promptunit.optimize.maxCalls", "-5", "promptunit.optimize.maxSeconds", "0"),
        selectClass(TicketsSuite.class));

    results.testEvents().assertThatEvents().haveExactly(1, event(org.junit.platform.testkit.engine.EventConditions.test("not-run"),
        finishedWithFailure(message(m ->
        m.startsWith("@Optimize has 2 problems: maxCalls = -5 must be at least 1; maxSeconds = 0 must be at least 1.")))));
  }

  @Test
  void finding7_reservedCallsAreReportedAsReservedAndARealOverrunStopsTheRun() {
    Budget budget = new Budget(new Budget.Caps(100, 1_000, Double.POSITIVE_INFINITY, 600));
    // a provider that ignores the output cap: 10 tokens asked for, 2,000 returned
    ChatModel ignoresCap = new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        return ChatResponse.builder().aiMessage(AiMessage.from("long answer")).tokenUsage(new TokenUsage(20, 2_000)).build();
      }
    };
    MeteredChatModel metered = new MeteredChatModel(ignoresCap, "openai:gpt-4o-mini", budget, Optional.empty(), 10);
    ModelClient client = new ModelClient(metered, "openai:gpt-4o-mini", new RetryPolicy(0, 1));

    client.chat(List.of(dev.langchain4j.data.message.UserMessage.from("hello")), 0.0, Optional.of(10));

    assertThat(budget.overrun()).hasValueSatisfying(text -> assertThat(text).contains("above the token cap of 1000", "2000 output tokens",
        "where", "ignores the output cap", "stopped at once"));
    assertThatThrownBy(() -> client.chat(List.of(dev.langchain4j.data.message.UserMessage.from("again")), 0.0, Optional.of(10)))
        .isInstanceOf(BudgetExhaustedException.class).hasMessageStartingWith("Budget crossed");

    Budget tight = new Budget(new Budget.Caps(100, 100, Double.POSITIVE_INFINITY, 600));
    tight.reserve(30, 30, 0);
    assertThatThrownBy(() -> tight.reserve(30, 30, 0)).hasMessageContaining("spent so far: 0 calls")
        .hasMessageContaining("reserved for 1 call still running: 60 tokens");
  }

  @Test
  void finding1_aBodyThatStallsAfterItsHeadersTimesOut() {
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(r -> Reply.text("billing").stallingBodyFor(Duration.ofSeconds(30)))) {
      ModelClient client = openAi(server, Map.of("promptunit.timeout-seconds", "1", "promptunit.max-retries", "0"));

      assertThatThrownBy(() -> client.chat(List.of(dev.langchain4j.data.message.UserMessage.from("hi")), 0.0, Optional.empty()))
          .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(ModelCallException.Kind.TIMEOUT));
    }
  }

  @Test
  void finding9_aBodyThatIsNotJsonIsNamedAsSuchNotAsAConnectionFailure() {
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(r -> Reply.raw("<html><body>Bad gateway</body></html>"))) {
      ModelClient client = openAi(server, Map.of("promptunit.max-retries", "0"));

      assertThatThrownBy(() -> client.chat(List.of(dev.langchain4j.data.message.UserMessage.from("hi")), 0.0, Optional.empty()))
          .isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(ModelCallException.Kind.BAD_RESPONSE);
            assertThat(e.getMessage()).contains("not the provider's format").doesNotContain("connection failed", "is the server");
          });
    }
  }

  @Test
  void finding12_aKeyInAnAnswerIsRedactedBeforeItIsRecordedOrShown() throws IOException {
    String key = "sk-proj-AbCdEf1234567890abcdef";
    Path file = temp.resolve("cassette.jsonl");
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(r -> Reply.text("Authorization: Bearer " + key));
        Cassette cassette = Cassette.open(file, CacheMode.READ_WRITE, new PrintStream(OutputStream.nullOutputStream()))) {
      ModelClient client = openAi(server, Map.of()).withCassette(cassette);

      String answer = client.chat(List.of(dev.langchain4j.data.message.UserMessage.from("hi")), 0.0, Optional.empty()).text();

      assertThat(answer).doesNotContain(key).contains("[redacted]");
    }
    assertThat(Files.readString(file)).doesNotContain(key).contains("[redacted]");
  }

  @Test
  void finding10_anUnreadableCassetteLineIsDroppedAndTheFileKeepsItsPermissions() throws IOException {
    Path file = temp.resolve("suite.jsonl");
    Files.writeString(file, "{\"key\": \"short\", \"response\": {\"text\": \"x\"}}\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();

    try (Cassette cassette = Cassette.open(file, CacheMode.READ_WRITE, new PrintStream(warnings))) {
      assertThat(cassette.find("short")).isEmpty();
    }

    assertThat(warnings.toString()).contains("ignoring unreadable entry at " + file + ":1", "dropped");
    assertThat(Files.readString(file)).isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw-r--");
    java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
    Cassette.open(file, CacheMode.READ_WRITE, new PrintStream(again)).close();
    assertThat(again.toString()).isEmpty();
  }

  @Test
  void finding11_applyModeLeavesAReadOnlyPromptFileAloneAndSaysWhy() throws IOException {
    Path prompt = temp.resolve("router.prompt");
    Files.writeString(prompt, "old\n");
    Files.setPosixFilePermissions(prompt, PosixFilePermissions.fromString("r--r--r--"));

    assertThatThrownBy(() -> PromptFile.replace(prompt, "new"))
        .isInstanceOf(java.nio.file.AccessDeniedException.class)
        .hasMessageContaining("read-only; make it writable");

    assertThat(Files.readString(prompt)).isEqualTo("old\n");
    try (var files = Files.list(temp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("router.prompt");
    }
  }

  @Test
  void finding13_anExampleWaitingToRetryDoesNotHoldBackTheOthers() {
    java.util.Set<String> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicInteger answeredBeforeRetry = new java.util.concurrent.atomic.AtomicInteger(-1);
    java.util.concurrent.atomic.AtomicBoolean failedOnce = new java.util.concurrent.atomic.AtomicBoolean();
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(request -> {
      String user = request.lastUserMessage();
      if (user.contains("ticket number 0 ")) {
        if (failedOnce.compareAndSet(false, true)) {
          return Reply.serverError();
        }
        answeredBeforeRetry.set(answered.size());
      } else {
        answered.add(user);
      }
      return Reply.text("billing");
    })) {
      // the first example's retry waits 2.5 to 5 s: ample time for the 39 others, two at a time, against a local server
      EngineExecutionResults results = EngineRuns.run(Map.of("promptunit.model", "openai:gpt-4o-mini", "promptunit.openai.base-url",
          server.baseUrl(), "promptunit.retry-backoff-millis", "5000"), selectClass(io.promptunit.fixtures.audit.ManySuite.class));

      results.testEvents().assertStatistics(stats -> stats.succeeded(40));
      assertThat(answeredBeforeRetry.get()).as("examples answered while the first one waited to retry").isEqualTo(39);
    }
  }

  @Test
  void aConnectionErrorNamesTheUrlItTried() throws IOException {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    io.promptunit.config.Configuration settings = io.promptunit.config.Configuration.of(Map.of(
        "promptunit.openai.base-url", "http://user:secret@127.0.0.1:" + closedPort + "/v1", "promptunit.max-retries", "0"));
    ModelClient client = new ModelClient(new io.promptunit.model.ModelResolver(settings).resolve("openai:gpt-4o-mini", "test"),
        "openai:gpt-4o-mini", RetryPolicy.from(settings));

    assertThatThrownBy(() -> client.chat(List.of(dev.langchain4j.data.message.UserMessage.from("hi")), 0.0, Optional.empty()))
        .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.getMessage())
            .contains("tried http://127.0.0.1:" + closedPort + "/v1; is that server running? Set promptunit.openai.base-url")
            .doesNotContain("secret"));
  }

  @Test
  void withRequireModelARunWithoutAModelFailsEachSuiteInsteadOfSkippingIt() {
    EngineExecutionResults results = EngineRuns.run(Map.of("promptunit.require-model", "true"),
        selectClass(io.promptunit.fixtures.valid.ConfiguredModelSuite.class));

    assertThat(results.testEvents().failed().stream()).singleElement().satisfies(e -> {
      assertThat(e.getTestDescriptor().getDisplayName()).isEqualTo("suite: cannot start");
      assertThat(e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow().getMessage())
          .contains("No model configured, so the suite cannot run (promptunit.require-model=true)").doesNotContain("this example");
    });
    assertThat(results.testEvents().succeeded().count()).isZero();

    EngineExecutionResults lenient = EngineRuns.run(selectClass(io.promptunit.fixtures.valid.ConfiguredModelSuite.class));
    assertThat(lenient.testEvents().failed().count()).as("without the switch, examples are aborted, nothing fails").isZero();
  }

  private static ModelClient openAi(OpenAiCompatibleServer server, Map<String, String> extra) {
    Map<String, String> values = new java.util.HashMap<>(Map.of("promptunit.openai.base-url", server.baseUrl(), "promptunit.retry-backoff-millis", "1"));
    values.putAll(extra);
    io.promptunit.config.Configuration settings = io.promptunit.config.Configuration.of(values);
    return new ModelClient(new io.promptunit.model.ModelResolver(settings).resolve("openai:gpt-4o-mini", "test"), "openai:gpt-4o-mini",
        RetryPolicy.from(settings));
  }
}
