package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.RateLimitException;
import io.promptunit.fixtures.valid.BoundedSuite;
import io.promptunit.fixtures.valid.ConfiguredModelSuite;
import io.promptunit.fixtures.valid.ExtractionSuite;
import io.promptunit.fixtures.valid.RepeatedSuite;
import io.promptunit.fixtures.valid.RouterSuite;
import io.promptunit.fixtures.valid.TolerantSuite;
import io.promptunit.model.ModelCallException;
import io.promptunit.model.ModelConfigurationException;
import io.promptunit.testing.Models;
import io.promptunit.testing.Routers;
import io.promptunit.testing.ScriptedChatModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;
import org.opentest4j.AssertionFailedError;

class ExecutionTest {

  @AfterEach
  void clearModel() {
    Models.clear();
  }

  @Test
  void examplesTheModelAnswersRightPassAndTheOthersFailWithInputExpectedAndActual() {
    Models.use(ScriptedChatModel.answering(prompt -> prompt.contains("password") ? "billing" : Routers.route(prompt)));

    EngineExecutionResults results = EngineRuns.run(selectClass(RouterSuite.class));

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(4).failed(1).aborted(0));
    Throwable failure = failureOf(results, "password");
    assertThat(failure).isInstanceOf(AssertionFailedError.class);
    AssertionFailedError assertion = (AssertionFailedError) failure;
    assertThat(assertion.getExpected().getStringRepresentation()).isEqualTo("account");
    assertThat(assertion.getActual().getStringRepresentation()).isEqualTo("billing");
    assertThat(assertion.getMessage())
        .startsWith("failed normalized equality at src/test/resources/fixtures/router.jsonl:4")
        .contains("input:", "I cannot reset my password", "expected: account", "actual:   billing");
    // the trace is the example's line, nothing of the engine's
    assertThat(assertion.getStackTrace()).singleElement().satisfies(frame -> {
      assertThat(frame.getFileName()).isEqualTo("router.jsonl");
      assertThat(frame.getLineNumber()).isEqualTo(4);
    });
    assertThat(assertion.getStackTrace()).noneMatch(frame -> frame.getClassName().startsWith("io.promptunit"));
  }

  @Test
  void examplesCarryTheirTagsAndSplitAsJUnitTagsSoTagFiltersSelectThem() {
    Models.use(Routers.model());

    EngineExecutionResults refunds = EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID).selectors(selectClass(RouterSuite.class))
        .filters(org.junit.platform.launcher.TagFilter.includeTags("refund"))
        .configurationParameters(Map.of("promptunit.cache", "off", "promptunit.embedded", "false")).execute();
    EngineExecutionResults tests = EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID).selectors(selectClass(RouterSuite.class))
        .filters(org.junit.platform.launcher.TagFilter.includeTags("split-test"))
        .configurationParameters(Map.of("promptunit.cache", "off", "promptunit.embedded", "false")).execute();

    assertThat(refunds.testEvents().started().stream().map(e -> e.getTestDescriptor().getUniqueId().getLastSegment().getValue()))
        .containsExactly("refund");
    assertThat(tests.testEvents().started().count()).isEqualTo(2);
  }

  @Test
  void theSystemMessageAndRenderedTemplateReachTheModelAtTemperatureZero() {
    ScriptedChatModel model = Routers.model();
    Models.use(model);

    EngineRuns.run(selectClass(RouterSuite.class));

    assertThat(model.requests()).hasSize(5).allSatisfy(request -> {
      assertThat(ScriptedChatModel.systemMessage(request)).isEqualTo("You are the triage desk of a software company.");
      assertThat(ScriptedChatModel.userMessage(request)).startsWith("Route the support ticket").doesNotContain("{{");
      assertThat(request.parameters().temperature()).isEqualTo(0.0);
    });
  }

  @Test
  void aModelErrorIsReportedAsAnErrorNamingTheExampleAndTheProvidersMessageAndTheOthersStillRun() {
    Models.use(ScriptedChatModel.answering(prompt -> {
      if (prompt.contains("crashes")) {
        throw new AuthenticationException("Incorrect API key provided: sk-abc123456789. You can find your API key at ...");
      }
      return Routers.route(prompt);
    }));

    EngineExecutionResults results = EngineRuns.run(selectClass(RouterSuite.class));

    results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(4).failed(1));
    Throwable error = failureOf(results, "crash");
    assertThat(error).isInstanceOf(ModelCallException.class).isNotInstanceOf(AssertionError.class);
    assertThat(error.getMessage()).contains("authentication failed", "Incorrect API key provided", "OPENAI_API_KEY")
        .doesNotContain("sk-abc123456789");
  }

  @Test
  void rateLimitsAreRetriedAndAnExhaustedRetryIsAnError() {
    AtomicInteger calls = new AtomicInteger();
    Models.use(ScriptedChatModel.answering(prompt -> {
      if (prompt.contains("crashes")) {
        throw new RateLimitException("Rate limit reached for requests");
      }
      if (prompt.contains("password") && calls.incrementAndGet() == 1) {
        throw new RateLimitException("Rate limit reached, try again");
      }
      return Routers.route(prompt);
    }));

    EngineExecutionResults results = EngineRuns.run(Map.of("promptunit.max-retries", "2"), selectClass(RouterSuite.class));

    results.testEvents().assertThatEvents()
        .haveExactly(1, event(test("password"), finishedSuccessfully()))
        .haveExactly(1, event(test("crash"), finishedWithFailure(instanceOf(ModelCallException.class),
            message(m -> m.contains("rate limited after 3 attempts")))));
  }

  @Test
  void withNoModelConfiguredEveryExampleIsAbortedWithTheSameInstructions() {
    EngineExecutionResults results = EngineRuns.run(Map.of("promptunit.model", ""), selectClass(ConfiguredModelSuite.class));

    results.testEvents().assertStatistics(stats -> stats.started(5).aborted(5).succeeded(0).failed(0));
    results.testEvents().aborted().stream().forEach(event ->
        assertThat(event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
            .hasMessage(ModelConfigurationException.NO_MODEL_MESSAGE));
    results.containerEvents().assertStatistics(stats -> stats.failed(0));
    assertThat(ModelConfigurationException.NO_MODEL_MESSAGE).contains("promptunit.model", "PROMPTUNIT_MODEL", "@ModelFactory");
  }

  @Test
  void anExampleWhoseCheckCannotRunIsAnErrorAndCountsAgainstThePassRate() {
    Models.use(Routers.model());

    EngineExecutionResults results = EngineRuns.run(selectClass(io.promptunit.fixtures.valid.MisjudgedSuite.class));

    results.testEvents().assertStatistics(stats -> stats.started(6).failed(6).aborted(0));
    results.testEvents().assertThatEvents().haveExactly(5, finishedWithFailure(message(m -> m.contains("Unknown model provider \"acme\""))));
    results.testEvents().assertThatEvents().haveExactly(1, event(test("pass-rate"),
        finishedWithFailure(message(m -> m.contains("passed 0 of 5 examples")))));
  }

  @Test
  void eachExamplePublishesLatencyAndTokenUsage() {
    Models.use(Routers.model());

    EngineExecutionResults results = EngineRuns.run(selectClass(RouterSuite.class));

    List<Map<String, String>> entries = results.allEvents().reportingEntryPublished()
        .filter(event -> event.getTestDescriptor().isTest())
        .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .toList();
    assertThat(entries).hasSize(5).allSatisfy(entry -> {
      assertThat(entry).containsKeys("promptunit.latencyMs", "promptunit.inputTokens", "promptunit.outputTokens");
      assertThat(Long.parseLong(entry.get("promptunit.inputTokens"))).isPositive();
      assertThat(entry.get("promptunit.outputTokens")).isEqualTo("1");
    });
  }

  @Test
  void modelCallsRunConcurrentlyUpToTheSuitesBoundAndNeverBeyond() throws InterruptedException {
    CountDownLatch bothInFlight = new CountDownLatch(2);
    ScriptedChatModel model = ScriptedChatModel.answering(prompt -> {
      bothInFlight.countDown();
      try {
        bothInFlight.await(5, TimeUnit.SECONDS);
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Routers.route(prompt);
    });
    Models.use(model);

    EngineExecutionResults results = EngineRuns.run(selectClass(BoundedSuite.class));

    results.testEvents().assertStatistics(stats -> stats.succeeded(5));
    assertThat(model.maxInFlight()).isEqualTo(2);
  }

  @Test
  void theConfiguredConcurrencyBoundsSuitesThatDoNotSetTheirOwn() {
    ScriptedChatModel model = ScriptedChatModel.answering(prompt -> {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Routers.route(prompt);
    });
    Models.use(model);

    EngineRuns.run(Map.of("promptunit.concurrency", "1"), selectClass(RouterSuite.class));

    assertThat(model.maxInFlight()).isEqualTo(1);
    assertThat(model.calls()).isEqualTo(5);
  }

  @Test
  void repeatsPassAnExampleWhenEnoughRunsPassAndStopOnceTheVerdictIsKnown() {
    AtomicInteger passwordRuns = new AtomicInteger();
    AtomicInteger crashRuns = new AtomicInteger();
    ScriptedChatModel model = ScriptedChatModel.answering(prompt -> {
      if (prompt.contains("password")) {
        return passwordRuns.incrementAndGet() == 1 ? "billing" : "account"; // fails once, then passes twice
      }
      if (prompt.contains("crashes")) {
        return crashRuns.incrementAndGet() == 1 ? "technical" : "billing"; // passes once, then fails twice
      }
      return Routers.route(prompt);
    });
    Models.use(model);

    EngineExecutionResults results = EngineRuns.run(selectClass(RepeatedSuite.class));

    results.testEvents().assertThatEvents()
        .haveExactly(1, event(test("password"), finishedSuccessfully()))
        .haveExactly(1, event(test("crash"), finishedWithFailure(message(m -> m.contains("1 of 3 runs passed, 2 needed")))));
    assertThat(passwordRuns).hasValue(3);
    assertThat(crashRuns).hasValue(3);
    // three examples pass their first two runs, so a third run is never made for them
    assertThat(model.calls()).isEqualTo(3 * 2 + 3 + 3);
    assertThat(model.requests()).allSatisfy(r -> assertThat(r.parameters().temperature()).isEqualTo(0.7));
  }

  @Test
  void failuresToleratedByThePassRateAreReportedAbortedAndTheSuiteCarriesTheVerdict() {
    Models.use(ScriptedChatModel.answering(prompt -> prompt.contains("password") ? "billing" : Routers.route(prompt)));

    EngineExecutionResults passing = EngineRuns.run(selectClass(TolerantSuite.class));

    passing.testEvents().assertStatistics(stats -> stats.succeeded(5).aborted(1).failed(0));
    passing.testEvents().assertThatEvents().haveExactly(1, event(test("password"),
        abortedWithReason(message(m -> m.startsWith("FAILED, but tolerated by the suite's minPassRate") && m.contains("expected: account")))));
    passing.containerEvents().assertStatistics(stats -> stats.failed(0));

    Models.use(ScriptedChatModel.answering(prompt -> "sales"));
    EngineExecutionResults failing = EngineRuns.run(selectClass(TolerantSuite.class));

    failing.testEvents().assertStatistics(stats -> stats.succeeded(0).aborted(5).failed(1));
    failing.testEvents().assertThatEvents().haveExactly(1, event(test("pass-rate"), displayName("pass rate at least 60.0% (minPassRate)"),
        finishedWithFailure(message(m -> m.contains("passed 0 of 5 examples (0.0%), below its required pass rate of 60.0%")))));
    failing.containerEvents().assertStatistics(stats -> stats.failed(0));
  }

  @Test
  void jsonChecksCompareSelectedFieldsValidateTheSchemaAndRunCustomChecks() {
    Models.use(ScriptedChatModel.answering(prompt -> prompt.contains("Ana")
        ? "```json\n{\"email\": \"ana@example.com\", \"name\": \"Ana Souza\", \"phone\": \"n/a\"}\n```"
        : "{\"name\": \"bob Lee\", \"email\": null, \"phone\": 5550100}"));

    EngineExecutionResults results = EngineRuns.run(selectClass(ExtractionSuite.class));

    results.testEvents().assertThatEvents()
        .haveExactly(1, event(test("ana"), finishedSuccessfully()))
        .haveExactly(1, event(test("bob"), finishedWithFailure(message(m -> m.contains("JSON equality of name, email")
            && m.contains("fields differ: name") && m.contains("JSON Schema fixtures/contact.schema.json")
            && m.contains("nameIsCapitalized()")))));
  }

  private static Throwable failureOf(EngineExecutionResults results, String exampleId) {
    Event finished = results.testEvents().finished().stream()
        .filter(e -> e.getTestDescriptor().getUniqueId().getLastSegment().getValue().equals(exampleId))
        .findFirst()
        .orElseThrow();
    assertThat(finished.getType()).isEqualTo(EventType.FINISHED);
    return finished.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
  }
}
