package io.promptunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Budgets against providers that do not behave: one that ignores the output cap (answers far longer than a call
 * asked for) at high concurrency, and calls still running when the wall-time cap passes.
 */
class BudgetTest {

  private static final String MODEL = "openai:gpt-4o-mini";
  private static final long OUTPUT = 4_000;
  private static final int CAP = 512;

  /**
   * A provider that ignores {@code max_tokens}: every answer reports 4,000 output tokens. Each call waits at a gate
   * the test opens one call at a time, so the calls the budget lets start are all on the wire together.
   */
  private static final class IgnoresTheCap implements ChatModel {
    final Semaphore gate = new Semaphore(0);
    final AtomicInteger waiting = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicLong reportedTokens = new AtomicLong();

    @Override
    public ChatResponse doChat(ChatRequest request) {
      waiting.incrementAndGet();
      try {
        gate.acquireUninterruptibly();
      } finally {
        waiting.decrementAndGet();
      }
      calls.incrementAndGet();
      reportedTokens.addAndGet(50 + OUTPUT);
      return ChatResponse.builder().aiMessage(AiMessage.from("a very long answer"))
          .tokenUsage(new TokenUsage(50, (int) OUTPUT)).build();
    }
  }

  private static ChatRequest request(String text) {
    return ChatRequest.builder().messages(List.of(UserMessage.from(text))).maxOutputTokens(CAP).build();
  }

  /** Threads that call {@code model} until the budget refuses them. */
  private static List<Thread> callers(int count, ChatModel model) {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int caller = i;
      Thread thread = new Thread(() -> {
        try {
          for (int call = 0; ; call++) {
            model.chat(request("ticket " + caller + "-" + call));
          }
        } catch (BudgetExhaustedException refused) {
          // this caller is done
        }
      }, "caller-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
    return threads;
  }

  /** Every caller is parked (at the provider's gate or waiting for the budget) or done. */
  private static boolean settled(List<Thread> callers) {
    return callers.stream().allMatch(t -> t.getState() == Thread.State.WAITING
        || t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.TERMINATED);
  }

  /** Lets the calls through one at a time, each only once every caller has done what it can without an answer. */
  private static void answerOneAtATime(List<Thread> callers, IgnoresTheCap provider) throws InterruptedException {
    while (callers.stream().anyMatch(Thread::isAlive)) {
      while (!settled(callers) || provider.gate.availablePermits() > 0) {
        Thread.sleep(1);
      }
      if (provider.waiting.get() > 0) {
        provider.gate.release();
      } else if (callers.stream().anyMatch(Thread::isAlive)) {
        Thread.sleep(1);
      }
    }
  }

  @Test
  @Timeout(120)
  void finding12_aProviderThatIgnoresTheOutputCapCrossesTheTokenCapByAtMostOneCallAtConcurrency32()
      throws InterruptedException {
    Budget budget = new Budget(new Budget.Caps(Long.MAX_VALUE, 20_000, Double.POSITIVE_INFINITY, 3_600));
    IgnoresTheCap provider = new IgnoresTheCap();
    MeteredChatModel metered = new MeteredChatModel(provider, MODEL, budget, Optional.empty(), CAP);

    List<Thread> callers = callers(32, metered);
    answerOneAtATime(callers, provider);

    Spend spent = budget.spent();
    assertThat(spent.tokens()).as("the budget counts what the provider reported").isEqualTo(provider.reportedTokens.get());
    assertThat(spent.tokens()).as("the token cap, crossed by one call's overrun at most")
        .isLessThanOrEqualTo(20_000 + (OUTPUT - CAP));
    assertThat(provider.calls.get()).as("calls were made until the cap").isGreaterThanOrEqualTo(4);
  }

  @Test
  @Timeout(120)
  void finding12_aCrossedCapIsReportedWithTheTrueTotalAndWhatTheProviderDid() throws InterruptedException {
    Budget budget = new Budget(new Budget.Caps(Long.MAX_VALUE, 3_000, Double.POSITIVE_INFINITY, 3_600));
    IgnoresTheCap provider = new IgnoresTheCap();
    MeteredChatModel metered = new MeteredChatModel(provider, MODEL, budget, Optional.empty(), CAP);

    List<Thread> callers = callers(8, metered);
    answerOneAtATime(callers, provider);

    long total = provider.reportedTokens.get();
    assertThat(budget.spent().tokens()).isEqualTo(total);
    assertThat(total).as("one call: every other waited for its answer, then did not fit").isEqualTo(50 + OUTPUT);
    assertThat(budget.overrun()).hasValueSatisfying(text -> assertThat(text)
        .contains(total + " tokens", "above the token cap of 3000 by " + (total - 3_000),
            MODEL + " answered with up to 4000 output tokens where 512 were asked for"));
    assertThatThrownBy(() -> metered.chat(request("one more"))).isInstanceOf(BudgetExhaustedException.class)
        .hasMessageStartingWith("Budget crossed").hasMessageContaining(total + " tokens");
  }

  /** A call that takes as long as it is let: it ends only when interrupted (or after a minute). */
  private static final class Slow implements ChatModel {
    final CountDownLatch started = new CountDownLatch(1);
    final AtomicBoolean interrupted = new AtomicBoolean();

    @Override
    public ChatResponse doChat(ChatRequest request) {
      started.countDown();
      try {
        new CountDownLatch(1).await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted.set(true);
        throw new RuntimeException("the request was interrupted", e);
      }
      return ChatResponse.builder().aiMessage(AiMessage.from("late")).tokenUsage(new TokenUsage(5, 1)).build();
    }
  }

  @Test
  @Timeout(120)
  void finding13_aCallStillRunningAtTheWallTimeCapIsCancelled() throws InterruptedException {
    Budget budget = new Budget(new Budget.Caps(Long.MAX_VALUE, Long.MAX_VALUE, Double.POSITIVE_INFINITY, 1));
    Slow provider = new Slow();
    MeteredChatModel metered = new MeteredChatModel(provider, MODEL, budget, Optional.empty(), CAP);
    budget.start();

    assertThatThrownBy(() -> metered.chat(request("slow")))
        .isInstanceOf(BudgetExhaustedException.class)
        .hasMessageContaining("wall-time cap of 1 s")
        .hasMessageContaining("cancelled");
    assertThat(provider.interrupted).as("the call was interrupted at the deadline").isTrue();
    assertThat(Thread.currentThread().isInterrupted()).as("the caller's thread is usable again").isFalse();
    assertThat(budget.spent().calls()).as("a cancelled call still counts as a call").isEqualTo(1);
    assertThatThrownBy(() -> metered.chat(request("after"))).isInstanceOf(BudgetExhaustedException.class)
        .hasMessageContaining("wall-time cap of 1 s");
  }
}
