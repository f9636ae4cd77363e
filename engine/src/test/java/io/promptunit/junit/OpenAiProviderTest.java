package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.promptunit.fixtures.valid.ConfiguredModelSuite;
import io.promptunit.model.ModelCallException;
import io.promptunit.testing.OpenAiCompatibleServer;
import io.promptunit.testing.OpenAiCompatibleServer.Reply;
import io.promptunit.testing.Routers;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The {@code openai:} provider, end to end over HTTP against an OpenAI-compatible server on 127.0.0.1. */
class OpenAiProviderTest {

  private OpenAiCompatibleServer server;

  @BeforeEach
  void startServer() {
    server = OpenAiCompatibleServer.start(request -> Reply.text(Routers.route(request.lastUserMessage())));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private EngineExecutionResults run() {
    return EngineRuns.run(Map.of(
        "promptunit.model", "openai:qwen2.5:0.5b",
        "promptunit.openai.base-url", server.baseUrl(),
        "promptunit.max-retries", "2"), selectClass(ConfiguredModelSuite.class));
  }

  @Test
  void examplesAreScoredThroughTheHttpProviderAndTokenUsageComesBack() {
    EngineExecutionResults results = run();

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(server.requests()).hasSize(5).allSatisfy(request -> {
      assertThat(request.model()).isEqualTo("qwen2.5:0.5b");
      assertThat(request.temperature()).isEqualTo(0.0);
    });
    long reportedInput = results.allEvents().reportingEntryPublished().stream()
        .filter(e -> e.getTestDescriptor().isTest())
        .mapToLong(e -> Long.parseLong(e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("promptunit.inputTokens")))
        .sum();
    assertThat(reportedInput).isEqualTo(server.promptTokens());
    assertThat(suiteEntries(results)).containsEntry("promptunit.calls", String.valueOf(server.requestCount()))
        .containsEntry("promptunit.inputTokens", String.valueOf(server.promptTokens()))
        .containsEntry("promptunit.outputTokens", String.valueOf(server.completionTokens()));
  }

  private static Map<String, String> suiteEntries(EngineExecutionResults results) {
    return results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .filter(entries -> entries.containsKey("promptunit.passRate"))
        .findFirst().orElseThrow();
  }

  @Test
  void aRateLimitFollowedBySuccessPasses() {
    server.enqueue(Reply.rateLimited(0));

    EngineExecutionResults results = run();

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    assertThat(server.requestCount()).isEqualTo(6);
    // the rejected attempt counts as a call, with no tokens
    assertThat(suiteEntries(results)).containsEntry("promptunit.calls", "6")
        .containsEntry("promptunit.inputTokens", String.valueOf(server.promptTokens()));
  }

  @Test
  void anUnauthorizedKeyGivesAClearErrorPerExampleWithoutLeakingTheKey() {
    server.respondWith(request -> Reply.unauthorized());

    EngineExecutionResults results = run();

    results.testEvents().assertStatistics(stats -> stats.started(5).failed(5));
    results.testEvents().assertThatEvents().haveExactly(1, event(test("refund"), finishedWithFailure(
        instanceOf(ModelCallException.class),
        message(m -> m.startsWith("Model openai:qwen2.5:0.5b authentication failed: ")
            && m.contains("Incorrect API key provided") && m.contains("OPENAI_API_KEY") && !m.contains("sk-fake")))));
    // a 401 is not worth retrying
    assertThat(server.requestCount()).isEqualTo(5);
  }

  @Test
  void persistentServerErrorsAreRetriedThenReportedAsErrors() {
    server.respondWith(request -> request.lastUserMessage().contains("password") ? Reply.serverError() : Reply.text(Routers.route(request.lastUserMessage())));

    EngineExecutionResults results = run();

    results.testEvents().assertThatEvents()
        .haveExactly(1, event(test("password"), finishedWithFailure(instanceOf(ModelCallException.class),
            message(m -> m.contains("provider error after 3 attempts")))))
        .haveExactly(4, finishedSuccessfully());
    assertThat(server.requestCount()).isEqualTo(4 + 3);
  }

  @Test
  void noKeyIsNeededForALocalServer() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("OPENAI_API_KEY") == null, "OPENAI_API_KEY is set in this environment");
    run();

    assertThat(server.authorizationHeaders()).allSatisfy(header -> assertThat(header).isEqualTo("Bearer not-needed"));
  }
}
