package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.promptunit.fixtures.provider.EmptyAnswerSuite;
import io.promptunit.fixtures.valid.ConfiguredModelSuite;
import io.promptunit.model.ModelCallException;
import io.promptunit.testing.LocalHttp;
import io.promptunit.testing.OpenAiBatchServer;
import io.promptunit.testing.OpenAiCompatibleServer;
import io.promptunit.testing.OpenAiCompatibleServer.Reply;
import io.promptunit.testing.Routers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What a provider, or something that is not one, can answer that is not an answer: a filtered reply, an
 * answer too long to hold, escape sequences, a server that does not implement the API, one that is not
 * running, a base URL without its scheme. Each against a server on 127.0.0.1 (or a port nothing listens on).
 */
class ProviderFaultsTest {

  private static EngineExecutionResults run(String baseUrl, Class<?> suite, String... extra) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "promptunit.model", "openai:test-model",
        "promptunit.openai.base-url", baseUrl,
        "promptunit.concurrency", "1",
        "promptunit.max-retries", "2"));
    for (int i = 0; i < extra.length; i += 2) {
      settings.put(extra[i], extra[i + 1]);
    }
    return EngineRuns.run(settings, selectClass(suite));
  }

  private static Throwable thrown(EngineExecutionResults results, String example) {
    return results.testEvents().finished().stream()
        .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("[example:" + example + "]"))
        .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable()
            .orElseThrow(() -> new AssertionError(example + " did not fail")))
        .findFirst().orElseThrow(() -> new AssertionError("no example " + example));
  }

  private static List<String> failureMessages(EngineExecutionResults results) {
    return results.testEvents().failed().stream().map(e -> e.getRequiredPayload(TestExecutionResult.class)
        .getThrowable().orElseThrow().getMessage()).toList();
  }

  private static Map<String, String> suiteEntries(EngineExecutionResults results) {
    return results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .filter(entries -> entries.containsKey("promptunit.passRate"))
        .findFirst().orElseThrow();
  }

  private static String completion(String contentJson, String finishReason) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"test-model\",\"choices\":"
        + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + contentJson + "},\"finish_reason\":\""
        + finishReason + "\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":0,\"total_tokens\":20}}";
  }

  @Test
  void aBaseUrlWithoutItsApiPathIsNamedWhenTheServerAnswersNotFound() {
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(request -> Reply.text("billing"))) {
      String root = "http://127.0.0.1:" + server.port();

      EngineExecutionResults results = run(root, ConfiguredModelSuite.class);

      assertThat(failureMessages(results)).isNotEmpty().allSatisfy(message -> assertThat(message)
          .contains("from " + root, "promptunit.openai.base-url needs its API path, e.g. " + root + "/v1"));
    }
  }

  @Test
  void finding6_aFilteredAnswerIsAnErrorOfItsExampleEvenWhenAnEmptyAnswerWasExpected() {
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(request ->
        Reply.raw(completion(request.lastUserMessage().contains("refund") ? "\"\"" : "null", "content_filter")))) {

      EngineExecutionResults results = run(server.baseUrl(), EmptyAnswerSuite.class);

      results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(0).failed(2));
      for (String example : List.of("silence", "refund")) {
        assertThat(thrown(results, example)).isInstanceOfSatisfying(ModelCallException.class, e -> {
          assertThat(e.kind()).isEqualTo(ModelCallException.Kind.CONTENT_FILTER);
          assertThat(e.getMessage()).contains("Model openai:test-model blocked by the provider's content filter");
        });
      }
      assertThat(server.requestCount()).as("a filtered answer is not retried").isEqualTo(2);
    }
  }

  @Test
  void finding6_inBatchModeAFilteredAnswerIsAnErrorNotARecordedEmptyAnswer(@TempDir Path cassettes) throws IOException {
    try (OpenAiBatchServer server = OpenAiBatchServer.start(body -> new OpenAiBatchServer.Outcome.Answer(
        OpenAiBatchServer.lastUserText(body).contains("refund") ? "" : null, "content_filter"))) {

      EngineExecutionResults results = run(server.baseUrl(), EmptyAnswerSuite.class, "promptunit.cache", "read-write",
          "promptunit.cache-dir", cassettes.toString(), "promptunit.batch", "true", "promptunit.batch.poll-millis", "1",
          "promptunit.progress-seconds", "0");

      results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(0).failed(2));
      assertThat(failureMessages(results)).allSatisfy(message -> assertThat(message)
          .contains("blocked by the provider's content filter"));
      Path cassette = cassettes.resolve(EmptyAnswerSuite.class.getName() + ".jsonl");
      assertThat(Files.exists(cassette) ? Files.readString(cassette) : "").as("nothing recorded").isBlank();
    }
  }

  @Test
  void finding6_aRefusalIsAnErrorOfItsExample() {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = LocalHttp.start(exchange -> {
      exchange.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      LocalHttp.reply(exchange, 200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"claude-3-5-haiku-latest\",\"content\":[],\"stop_reason\":\"refusal\","
          + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"output_tokens\":0}}");
    });
    try {
      EngineExecutionResults results = EngineRuns.run(Map.of("promptunit.model", "anthropic:claude-3-5-haiku-latest",
          "promptunit.anthropic.base-url", LocalHttp.root(server) + "/v1"), selectClass(EmptyAnswerSuite.class));

      results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(0).failed(2));
      assertThat(thrown(results, "silence")).isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(
          e.getMessage()).contains("blocked by the provider's content filter: the model refused to answer"));
      assertThat(requests).hasValue(2);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void finding11_escapeSequencesAndCarriageReturnsOfAnAnswerNeverReachTheConsoleRaw() {
    String answer = "\u001b[2K\u001b[32m\u2714 all examples passed\u001b[0m\rbilling";
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(request -> Reply.text(answer))) {
      System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
      EngineExecutionResults results;
      try {
        results = run(server.baseUrl(), ConfiguredModelSuite.class);
      } finally {
        System.setOut(originalOut);
      }

      assertThat(failureMessages(results)).hasSize(5).allSatisfy(message -> assertThat(message)
          .doesNotContain("\u001b", "\r").contains("\\u001B[2K\\u001B[32m\u2714 all examples passed\\u001B[0m\\rbilling"));
      String printed = console.toString(StandardCharsets.UTF_8);
      assertThat(printed).contains("\u2718 refund", "\\u001B[2K").doesNotContain("\u001b", "\r");
    }
  }

  @Test
  void finding11_escapeSequencesInAnErrorFromTheServerAreShownEscaped() {
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(
        request -> Reply.error(400, "bad request \u001b]0;owned\u0007 \u009b2J"))) {

      EngineExecutionResults results = run(server.baseUrl(), ConfiguredModelSuite.class);

      assertThat(failureMessages(results)).hasSize(5).allSatisfy(message -> assertThat(message)
          .doesNotContain("\u001b", "\u0007", "\u009b").contains("bad request \\u001B]0;owned\\u0007 \\u009B2J"));
    }
  }

  /** A chat completion whose content is {@code size} letters, streamed without holding it in memory. */
  private static void hugeCompletion(HttpExchange exchange, int size) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"test-model\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"")
          .getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "a".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
      for (int written = 0; written < size; written += chunk.length) {
        out.write(chunk);
      }
      out.write(("\"},\"finish_reason\":\"length\"}],"
          + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":6000000,\"total_tokens\":6000040}}")
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void finding16_anOverLongAnswerIsOneClearErrorNotRetriedWithItsTokensCounted() {
    AtomicInteger hugeAnswers = new AtomicInteger();
    HttpServer server = LocalHttp.start(exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (body.contains("password")) {
        hugeAnswers.incrementAndGet();
        hugeCompletion(exchange, 24 << 20);
      } else {
        LocalHttp.reply(exchange, 200, completion("\"" + Routers.route(body.replace("\\n", "\n")) + "\"", "stop")
            .replace("\"completion_tokens\":0,\"total_tokens\":20", "\"completion_tokens\":1,\"total_tokens\":21"));
      }
    });
    try {
      EngineExecutionResults results = run(LocalHttp.root(server) + "/v1", ConfiguredModelSuite.class);

      assertThat(thrown(results, "password")).isInstanceOfSatisfying(ModelCallException.class, e -> {
        assertThat(e.kind()).isEqualTo(ModelCallException.Kind.TOO_LONG);
        assertThat(e.getMessage()).startsWith("Model openai:test-model answered with more than PromptUnit accepts")
            .contains("16 MB", "not retried", "6000000 output tokens");
      });
      assertThat(hugeAnswers).as("not retried").hasValue(1);
      results.testEvents().assertStatistics(stats -> stats.succeeded(4).failed(1));
      assertThat(suiteEntries(results)).containsEntry("promptunit.calls", "5")
          .containsEntry("promptunit.inputTokens", String.valueOf(4 * 20 + 40))
          .containsEntry("promptunit.outputTokens", String.valueOf(4 + 6_000_000));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aDeadEndpointStopsAfterOneCallsWorthOfRefusalsInsteadOfTryingEveryExample() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/v1";

    EngineExecutionResults results = run(url, ConfiguredModelSuite.class, "promptunit.max-retries", "3");

    results.testEvents().assertStatistics(stats -> stats.started(5).failed(5));
    // one call's worth of refusals (max-retries + 1) stops the rest; with one call slot the session runs two
    // examples at once, so one attempt may already be waiting for the slot when the fourth refusal comes
    assertThat(Integer.parseInt(suiteEntries(results).get("promptunit.calls"))).as("calls, of 20 before")
        .isBetween(4, 4 + 1);
    // an example waiting to retry holds no call slot, so which example made which attempt may vary
    assertThat(failureMessages(results)).allSatisfy(message -> assertThat(message)
        .contains("Model openai:test-model connection failed", url, "promptunit.openai.base-url")
        .containsAnyOf(": connection refused", "not tried, as 4 attempts in a row could not connect",
            "not tried again, as 4 attempts in a row could not connect"));
  }

  @Test
  void aServerThatDoesNotImplementTheApiIsNotRetriedAndIsNamed() {
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(
        request -> Reply.error(501, "<html><body>501 Not Implemented</body></html>"))) {

      EngineExecutionResults results = run(server.baseUrl(), ConfiguredModelSuite.class);

      assertThat(server.requestCount()).as("one request per example").isEqualTo(5);
      assertThat(failureMessages(results)).hasSize(5).allSatisfy(message -> assertThat(message)
          .contains("501 Not Implemented", server.baseUrl(), "promptunit.openai.base-url")
          .doesNotContain("after 3 attempts"));
    }
  }

  @Test
  void aBaseUrlWithoutItsSchemeIsAConfigurationProblemNamingTheSetting() {
    for (String url : List.of("localhost:11434/v1", "127.0.0.1:11434/v1", "ftp://example.com/v1", "http://")) {
      List<DiscoveryIssue> issues = EngineRuns.discoveryIssues(Map.of("promptunit.model", "openai:test-model",
          "promptunit.openai.base-url", url), selectClass(ConfiguredModelSuite.class));

      assertThat(issues).as(url).singleElement().satisfies(issue -> {
        assertThat(issue.severity()).isEqualTo(DiscoveryIssue.Severity.ERROR);
        assertThat(issue.message()).startsWith("Setting promptunit.openai.base-url=" + url + " (")
            .contains("is not accepted", "http://", "https://");
      });
    }
  }

  @Test
  void aCustomKeyVariableIsAKnownSettingAndNamesAVariable() {
    assertThat(EngineRuns.discoveryIssues(Map.of("promptunit.openai.api-key-env", "GATEWAY_KEY",
        "promptunit.gemini.api-key-env", "GEMINI_GATEWAY_KEY"), selectClass(ConfiguredModelSuite.class))).isEmpty();
    assertThat(EngineRuns.discoveryIssues(Map.of("promptunit.openai.api-key-env", "sk-abcdef1234567890abcdef"),
        selectClass(ConfiguredModelSuite.class))).singleElement().satisfies(issue -> assertThat(issue.message())
            .startsWith("Setting promptunit.openai.api-key-env=[redacted] (")
            .contains("the name of an environment variable").doesNotContain("sk-abcdef"));
  }
}
