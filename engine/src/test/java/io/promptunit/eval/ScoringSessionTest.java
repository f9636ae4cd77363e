package io.promptunit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promptunit.Example;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.model.Budget;
import io.promptunit.model.RetryPolicy;
import io.promptunit.model.ModelClient;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The suite's session: one request shape, answers remembered (errors not), nothing left waiting when it closes. */
class ScoringSessionTest {

  private final Suite suite = SuiteLoader.load(TicketsSuite.class);
  private final RetryPolicy call = new RetryPolicy(0, 1);

  @Test
  void aRememberingSessionAsksForEachPairOnceEvenWhenAskedTwiceAtOnce() {
    ScriptedChatModel task = Tickets.taskModel();
    try (ScoringSession session = ScoringSession.builder(suite, new ModelClient(task, "task", call)).concurrency(4).remember(true).build()) {
      Example example = suite.examples().get(0);
      CompletableFuture<ExampleResult> first = session.evaluate(suite.prompt().text(), example);
      CompletableFuture<ExampleResult> second = session.evaluate(suite.prompt().text(), example);

      assertThat(second).isSameAs(first);
      first.join();
      assertThat(session.known(suite.prompt().text(), example)).isPresent();
      assertThat(task.calls()).isEqualTo(1);
    }
  }

  @Test
  void anErrorIsNotRememberedSoALaterEvaluationAsksAgain() {
    AtomicInteger calls = new AtomicInteger();
    ScriptedChatModel flaky = new ScriptedChatModel(request -> {
      if (calls.incrementAndGet() == 1) {
        throw new dev.langchain4j.exception.InternalServerException("overloaded");
      }
      return Tickets.taskAnswer(ScriptedChatModel.userMessage(request));
    });
    try (ScoringSession session = ScoringSession.builder(suite, new ModelClient(flaky, "task", call)).concurrency(1).remember(true).build()) {
      Example example = suite.examples().get(0);

      assertThat(session.evaluate(suite.prompt().text(), example).join().status()).isEqualTo(ExampleResult.Status.ERROR);
      assertThat(session.known(suite.prompt().text(), example)).isEmpty();
      assertThat(session.evaluate(suite.prompt().text(), example).join().status()).isNotEqualTo(ExampleResult.Status.ERROR);
    }
  }

  /** A budget changes what is reserved, never what is asked: a budgeted run shares the cassette entries of any other run. */
  @Test
  void scoringUnderABudgetAsksWhatAnUnbudgetedRunAsks() {
    ScriptedChatModel uncapped = Tickets.taskModel();
    try (ScoringSession session = ScoringSession.builder(suite, new ModelClient(uncapped, "task", call)).concurrency(1).build()) {
      session.budgeted(Budget.unlimited(), 64).evaluate(suite.prompt().text(), suite.examples().get(0)).join();
    }
    ScriptedChatModel capped = Tickets.taskModel();
    try (ScoringSession session = ScoringSession.builder(suite, new ModelClient(capped, "task", call)).concurrency(1)
        .outputCap(java.util.Optional.of(512)).build()) {
      session.budgeted(Budget.unlimited(), 64).evaluate(suite.prompt().text(), suite.examples().get(0)).join();
    }

    assertThat(uncapped.requests()).singleElement().satisfies(r -> assertThat(r.parameters().maxOutputTokens()).isNull());
    assertThat(capped.requests()).singleElement().satisfies(r -> assertThat(r.parameters().maxOutputTokens()).isEqualTo(512));
  }

  @Test
  void closingFailsWhatNeverRanInsteadOfLeavingItWaiting() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ScriptedChatModel slow = new ScriptedChatModel(request -> {
      started.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "P3";
    });
    ScoringSession session = ScoringSession.builder(suite, new ModelClient(slow, "task", call)).concurrency(1).remember(true).build();
    List<CompletableFuture<ExampleResult>> futures = suite.examples().subList(0, 6).stream()
        .map(example -> session.evaluate(suite.prompt().text(), example)).toList();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    session.close();
    release.countDown();

    for (CompletableFuture<ExampleResult> future : futures) {
      try {
        future.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).hasMessageContaining("was closed before this example ran");
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("an evaluation was left waiting after close", e);
      }
    }
    assertThatThrownBy(() -> session.evaluate(suite.prompt().text(), suite.examples().get(7)).join()).hasMessageContaining("is closed");
  }

  @Test
  void aRunStartedWholeProceedsBeyondItsWindowWithoutItsCollector() throws Exception {
    // the models of a matrix are collected one after another: a later model's run must not wait for its collector
    Example template = suite.examples().get(0);
    java.util.List<Example> many = new java.util.ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      many.add(new Example("e" + i, Map.of("input", "ticket " + i), "P3", false, template.split(), List.of(),
          Map.of(), template.file(), i + 1));
    }
    ScriptedChatModel task = new ScriptedChatModel(request -> "P3");
    try (ScoringSession session = ScoringSession.builder(suite, new ModelClient(task, "task", call)).concurrency(8)
        .build()) {
      SuiteRun whole = new SuiteRun(session, many);
      whole.startAll();

      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (task.calls() < 5000 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      // a window (4,096 at this concurrency) would have stopped short of 5,000 until results were collected
      assertThat(task.calls()).as("every example of the whole run answered, none collected").isEqualTo(5000);
      assertThat(whole.await(many.get(4999)).status()).isEqualTo(ExampleResult.Status.PASSED);
    }
  }
}
