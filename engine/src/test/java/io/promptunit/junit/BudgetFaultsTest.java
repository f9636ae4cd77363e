package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.testing.Models;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * An optimization's budget through the engine when the provider misbehaves: a crossed cap is reported with the true
 * total in the console, the verdict, {@code summary.md} and {@code history.json}; the wall-time cap ends the run at
 * its deadline, calls still running included.
 */
class BudgetFaultsTest {

  @TempDir
  Path output;

  private final PrintStream originalOut = System.out;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @BeforeEach
  void captureConsole() {
    System.setOut(new PrintStream(console, true));
  }

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    Models.clear();
  }

  private static boolean optimizerCall(ChatRequest request) {
    return ScriptedChatModel.systemMessage(request).contains("expert prompt engineer");
  }

  private static ChatResponse answer(String text, int outputTokens) {
    return ChatResponse.builder().aiMessage(AiMessage.from(text)).tokenUsage(new TokenUsage(40, outputTokens)).build();
  }

  private EngineExecutionResults run(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(extra);
    settings.put("promptunit.output-dir", output.toString());
    settings.put("promptunit.concurrency", "32");
    settings.put("promptunit.progress-seconds", "0");
    return EngineRuns.run(settings, selectClass(TicketsSuite.class));
  }

  private static String verdictMessage(EngineExecutionResults results) {
    Event verdict = results.testEvents().finished().stream()
        .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("[verdict:")).findFirst().orElseThrow();
    return verdict.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage();
  }

  private Path folder() {
    return output.resolve(TicketsSuite.class.getName()).resolve("protegi");
  }

  @Test
  @Timeout(120)
  void finding12_aCrossedTokenCapIsReportedWithTheTrueTotalInTheConsoleVerdictSummaryAndHistory() throws IOException {
    // a provider that ignores max_tokens: 40,000 output tokens reported for every call capped at 512
    Models.use(new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        String user = ScriptedChatModel.userMessage(request);
        return answer(optimizerCall(request) ? Tickets.optimizerAnswer(user) : Tickets.taskAnswer(user), 40_000);
      }
    });

    EngineExecutionResults results = run(Map.of("promptunit.optimize.maxTokens", "10000"));

    JsonNode history = new ObjectMapper().readTree(folder().resolve("history.json").toFile());
    long total = history.at("/spend/inputTokens").asLong() + history.at("/spend/outputTokens").asLong();
    assertThat(total).as("one call's overrun at most: the first call ran alone").isLessThanOrEqualTo(40 + 40_000 + 10_000);
    String crossed = "above the token cap of 10000 by " + (total - 10_000);
    assertThat(verdictMessage(results)).contains("Budget crossed", total + " tokens", crossed);
    assertThat(console.toString()).contains("Budget crossed", total + " tokens", crossed);
    assertThat(history.get("stopDetail").asText()).contains(total + " tokens", crossed);
    assertThat(history.get("budgetCrossed").asText()).contains(total + " tokens", crossed,
        "answered with up to 40000 output tokens where 512 were asked for");
    assertThat(Files.readString(folder().resolve("summary.md"))).contains("Budget crossed", total + " tokens", crossed);
  }

  @Test
  @Timeout(120)
  void finding13_optimizerCallsStillRunningAtMaxSecondsAreCancelledAndTheVerdictSaysSo() throws IOException {
    AtomicInteger interrupted = new AtomicInteger();
    Models.use(new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        String user = ScriptedChatModel.userMessage(request);
        if (!optimizerCall(request)) {
          return answer(Tickets.taskAnswer(user), 1);
        }
        try {
          // a call that would take a minute
          new CountDownLatch(1).await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          interrupted.incrementAndGet();
          throw new RuntimeException("interrupted", e);
        }
        return answer(Tickets.optimizerAnswer(user), 20);
      }
    });

    EngineExecutionResults results = run(Map.of("promptunit.optimize.maxSeconds", "1"));

    assertThat(interrupted.get()).as("the optimizer calls running at the deadline were cancelled").isPositive();
    String verdict = verdictMessage(results);
    assertThat(verdict).contains("wall-time cap of 1 s", "cancelled");
    assertThat(Files.readString(folder().resolve("summary.md"))).contains("wall-time cap of 1 s", "cancelled");
  }
}
