package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.promptunit.fixtures.valid.ConfiguredModelSuite;
import io.promptunit.model.Secrets;
import io.promptunit.testing.LocalHttp;
import io.promptunit.testing.Routers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The {@code gemini:} provider, end to end over HTTP against a server on 127.0.0.1 speaking Gemini's generateContent API. */
class GeminiProviderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresToSend = new AtomicInteger();

  @BeforeEach
  void start() {
    server = LocalHttp.start(exchange -> {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      paths.add(exchange.getRequestURI().getPath());
      bodies.add(body);
      if (failuresToSend.getAndDecrement() > 0) {
        LocalHttp.reply(exchange, 503, "{\"error\": {\"code\": 503, \"message\": \"overloaded\", \"status\": \"UNAVAILABLE\"}}");
      } else {
        String question = body.at("/contents/0/parts/0/text").asText();
        LocalHttp.reply(exchange, 200, JSON.writeValueAsString(Map.of(
            "candidates", List.of(Map.of("content", Map.of("role", "model", "parts", List.of(Map.of("text", Routers.route(question)))),
                "finishReason", "STOP", "index", 0)),
            "usageMetadata", Map.of("promptTokenCount", 30, "candidatesTokenCount", 2, "totalTokenCount", 32),
            "modelVersion", "gemini-2.5-flash")));
      }
    });
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private EngineExecutionResults run() {
    return EngineRuns.run(Map.of(
        "promptunit.model", "gemini:gemini-2.5-flash",
        "promptunit.gemini.base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1beta",
        "promptunit.max-retries", "2"), selectClass(ConfiguredModelSuite.class));
  }

  @Test
  void examplesAreScoredThroughGeminiWithTokensAndPrices() {
    EngineExecutionResults results = run();

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(paths).hasSize(5).allMatch(path -> path.equals("/v1beta/models/gemini-2.5-flash:generateContent"));
    assertThat(bodies).allSatisfy(body -> assertThat(body.at("/generationConfig/temperature").asDouble()).isEqualTo(0.0));
    Map<String, String> suite = results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .filter(entries -> entries.containsKey("promptunit.passRate")).findFirst().orElseThrow();
    assertThat(suite).containsEntry("promptunit.calls", "5").containsEntry("promptunit.inputTokens", "150").containsEntry("promptunit.outputTokens", "10");
    assertThat(Double.parseDouble(suite.get("promptunit.cost"))).as("priced from the provider table").isPositive();
  }

  @Test
  void aServerErrorIsRetriedByPromptUnitOnly() {
    failuresToSend.set(1);

    EngineExecutionResults results = run();

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(paths).hasSize(6);
  }

  @Test
  void aConnectionFailureNamesTheUrlTriedAndTheSetting() {
    int port = server.getAddress().getPort();
    server.stop(0);

    EngineExecutionResults results = run();

    assertThat(results.testEvents().failed().stream().map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage()))
        .isNotEmpty().allSatisfy(message -> assertThat(message)
            .contains("tried http://127.0.0.1:" + port + "/v1beta", "promptunit.gemini.base-url"));
  }

  @Test
  void geminiKeysAreRedacted() {
    String key = "AIza" + "SyD-0123456789abcdefghijklmnopqrstu";

    assertThat(Secrets.redact("the key " + key + " leaked")).isEqualTo("the key [redacted] leaked");
  }
}
