package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.promptunit.fixtures.valid.ConfiguredModelSuite;
import io.promptunit.model.ModelCallException;
import io.promptunit.testing.OpenAiCompatibleServer;
import io.promptunit.testing.OpenAiCompatibleServer.Reply;
import io.promptunit.testing.Routers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Retries in the one place they happen, against a real HTTP server: Retry-After, server errors, timeouts. */
class RetryTest {

  private OpenAiCompatibleServer server;

  @BeforeEach
  void start() {
    server = OpenAiCompatibleServer.start(request -> Reply.text(Routers.route(request.lastUserMessage())));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private EngineExecutionResults run(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "promptunit.model", "openai:test-model",
        "promptunit.openai.base-url", server.baseUrl(),
        "promptunit.concurrency", "1"));
    settings.putAll(extra);
    return EngineRuns.run(settings, selectClass(ConfiguredModelSuite.class));
  }

  @Test
  void aRateLimitIsRetriedNoSoonerThanItsRetryAfter() {
    server.enqueue(Reply.rateLimited(1));
    long start = System.nanoTime();

    EngineExecutionResults results = run(Map.of());

    results.testEvents().assertStatistics(stats -> stats.succeeded(5));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(server.requestCount()).isEqualTo(6);
  }

  @Test
  void serverErrorsAreRetriedWithBackoff() {
    server.enqueue(Reply.serverError(), Reply.serverError());

    EngineExecutionResults results = run(Map.of("promptunit.max-retries", "2"));

    results.testEvents().assertStatistics(stats -> stats.succeeded(5));
    assertThat(server.requestCount()).isEqualTo(7);
  }

  @Test
  void aCallThatTimesOutIsRetriedThenReportedAsATimeout() {
    server.respondWith(request -> request.lastUserMessage().contains("password")
        ? Reply.text("account").after(Duration.ofSeconds(3))
        : Reply.text(Routers.route(request.lastUserMessage())));

    EngineExecutionResults results = run(Map.of("promptunit.timeout-seconds", "1", "promptunit.max-retries", "1"));

    results.testEvents().assertThatEvents().haveExactly(1, event(test("password"), finishedWithFailure(
        instanceOf(ModelCallException.class), message(m -> m.contains("timed out after 2 attempts") && m.contains("promptunit.timeout-seconds")))));
    results.testEvents().assertStatistics(stats -> stats.succeeded(4).failed(1));
  }
}
