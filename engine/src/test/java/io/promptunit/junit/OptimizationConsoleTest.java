package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.EventType.FINISHED;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.promptunit.fixtures.optimize.PassingTicketsSuite;
import io.promptunit.fixtures.optimize.TicketsPe2Suite;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.testing.Models;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What the optimization says on the console, in test names and in its files: a dry run named as one, a prompt that
 * already passes left alone, round tests with stable names, rejections counted by reason, an estimate that never
 * expects more than the caps allow.
 */
class OptimizationConsoleTest {

  @TempDir
  Path output;

  private final ScriptedChatModel task = Tickets.taskModel();
  private ScriptedChatModel optimizer = Tickets.optimizerModel();
  private final PrintStream originalOut = System.out;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    Models.clear();
  }

  private EngineExecutionResults run(Class<?> suite, Map<String, String> extra) {
    Models.use(new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        return ScriptedChatModel.systemMessage(request).contains("expert prompt engineer")
            ? optimizer.chat(request) : task.chat(request);
      }
    });
    Map<String, String> settings = new HashMap<>(extra);
    settings.put("promptunit.output-dir", output.toString());
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    try {
      return EngineRuns.run(settings, selectClass(suite));
    } finally {
      System.setOut(originalOut);
    }
  }

  private String console() {
    return console.toString(StandardCharsets.UTF_8);
  }

  private static List<String> entries(EngineExecutionResults results, String key) {
    return results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get(key))
        .filter(Objects::nonNull).toList();
  }

  @Test
  void aDryRunIsASkippedTestNamedDryRunAndTheConsoleSaysDryRun() {
    EngineExecutionResults results = run(TicketsSuite.class, Map.of("promptunit.optimize.dry-run", "true"));

    results.testEvents().assertThatEvents().haveExactly(1, event(test("dry-run"),
        skippedWithReason(reason -> reason.startsWith("Dry run (promptunit.optimize.dry-run=true): the optimization"
            + " spent nothing") && reason.contains("worst case "))));
    assertThat(results.testEvents().skipped().stream().map(e -> e.getTestDescriptor().getDisplayName()))
        .containsExactly("optimize (PROTEGI): dry run");
    results.containerEvents().assertThatEvents().haveExactly(1, event(container("optimization"),
        finishedSuccessfully()));
    assertThat(console()).contains("[PromptUnit] TicketsSuite: Dry run (promptunit.optimize.dry-run=true)");
    assertThat(optimizer.calls()).isZero();
  }

  @Test
  void theContainerIsNamedByTheStrategyTheSettingsChooseAndKeepsItsDeclaredId() {
    EngineExecutionResults results = run(TicketsSuite.class, Map.of("promptunit.optimize.dry-run", "true",
        "promptunit.optimize.strategy", "opro"));

    assertThat(results.containerEvents().started().stream().map(e -> e.getTestDescriptor())
        .filter(d -> d.getUniqueId().getLastSegment().getType().equals("optimization")))
        .singleElement().satisfies(container -> {
          assertThat(container.getDisplayName()).isEqualTo("optimize (OPRO)");
          assertThat(container.getUniqueId().getLastSegment().getValue()).isEqualTo("protegi");
        });
  }

  @Test
  void aPromptThatAlreadyPassesIsSaidToPassWithoutAnEstimateAndSpendsNothing() {
    EngineExecutionResults results = run(PassingTicketsSuite.class, Map.of());

    results.testEvents().assertThatEvents()
        .haveExactly(24, event(test("example"), finishedSuccessfully()))
        .haveExactly(1, event(test("already-passes"), finishedSuccessfully()))
        .doNotHave(event(test("verdict")))
        .doNotHave(event(test("round")));
    assertThat(results.testEvents().succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()))
        .contains("optimize (PROTEGI): the checked-in prompt already passes");
    assertThat(entries(results, ReportEntryKeys.VERDICT)).singleElement().asString()
        .startsWith("The checked-in prompt already passes the suite (dev 100%, held-out test 100%");
    assertThat(console()).contains("PassingTicketsSuite: The checked-in prompt already passes the suite")
        .doesNotContain("expected ").doesNotContain("worst case").doesNotContain("To apply it");
    assertThat(entries(results, ReportEntryKeys.ESTIMATE)).isEmpty();
    assertThat(optimizer.calls()).isZero();
    assertThat(task.calls()).isEqualTo(24);
  }

  /**
   * An optimizer model without a price, served over HTTP on 127.0.0.1 as {@code openai:optimizer}: warned about at the
   * end of the suite with its calls, and only when it made some (an optimization that spends nothing, a dry run).
   */
  @Test
  void anUnpricedOptimizerModelIsWarnedAboutOnlyWhenItMadeCalls() {
    try (io.promptunit.testing.OpenAiCompatibleServer server = io.promptunit.testing.OpenAiCompatibleServer.start(
        request -> io.promptunit.testing.OpenAiCompatibleServer.Reply.text(
            Tickets.optimizerAnswer(request.lastUserMessage())))) {
      Map<String, String> optimizerModel = Map.of("promptunit.optimizer.model", "openai:optimizer",
          "promptunit.openai.base-url", server.baseUrl());

      run(PassingTicketsSuite.class, optimizerModel);
      String alreadyPasses = console();
      console.reset();
      Map<String, String> dryRun = new HashMap<>(optimizerModel);
      dryRun.put("promptunit.optimize.dry-run", "true");
      run(TicketsSuite.class, dryRun);
      String dry = console();
      assertThat(server.requestCount()).as("the optimizer was not called").isZero();
      console.reset();
      run(TicketsSuite.class, optimizerModel);
      String optimized = console();

      assertThat(alreadyPasses).contains("no price is known for model PassingTicketsSuite.model(), so its 24 calls")
          .doesNotContain("no price is known for model openai:optimizer");
      assertThat(dry).contains("Dry run").doesNotContain("no price is known for model openai:optimizer");
      assertThat(server.requestCount()).isPositive();
      assertThat(optimized.split("no price is known for model openai:optimizer", -1)).hasSize(2);
      assertThat(optimized).contains("warning: no price is known for model openai:optimizer, so its "
          + server.requestCount() + " calls counted as $0");
      assertThat(optimized.indexOf("no price is known for model openai:optimizer"))
          .as("said once its calls are known, after the optimization")
          .isGreaterThan(optimized.indexOf("TicketsSuite protegi round 1/"));
    }
  }

  @Test
  void roundTestsHaveStableNamesAndTheirFiguresInReportEntries() {
    EngineExecutionResults results = run(TicketsSuite.class, Map.of());

    assertThat(results.testEvents().succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName())
        .filter(name -> name.startsWith("round"))).containsExactly("round 1", "round 2");
    assertThat(entries(results, ReportEntryKeys.ROUND_SUMMARY)).hasSize(2)
        .allSatisfy(summary -> assertThat(summary).startsWith("best c").contains("dev", "train", "calls", "tokens", "$"));
    assertThat(entries(results, ReportEntryKeys.ROUND_SELECTION)).hasSize(2);
    assertThat(console()).containsPattern("TicketsSuite protegi round 1/\\d+: best c\\d+ dev \\d+%")
        .doesNotContain("train —");
  }

  @Test
  void whenEveryProposalIsRejectedTheVerdictCountsTheRejectionsByReason() throws IOException {
    optimizer = Tickets.optimizerModel(answer -> "I would keep the prompt as it is.");

    EngineExecutionResults results = run(TicketsPe2Suite.class, Map.of());

    results.testEvents().assertThatEvents().haveExactly(1, event(test("verdict"), finishedWithFailure(message(m ->
        m.contains("Stopped: no better prompt for 3 rounds (patience 3); 12 proposals rejected, 0 accepted (12: the"
            + " optimizer's answer has no <prompt>...</prompt> block)")))));
    Path folder = output.resolve(TicketsPe2Suite.class.getName()).resolve("pe2");
    JsonNode history = new ObjectMapper().readTree(folder.resolve("history.json").toFile());
    assertThat(history.get("rejections")).hasSize(12);
    assertThat(history.get("rejectionsByReason").get("the optimizer's answer has no <prompt>...</prompt> block")
        .asInt()).isEqualTo(12);
    String summary = Files.readString(folder.resolve("summary.md"));
    assertThat(summary).contains("12 proposals rejected, 0 accepted", "nothing to apply")
        .doesNotContain("optimize.apply=true").doesNotContain("## Applying it");
  }

  @Test
  void theExpectedFigureNeverExceedsTheCapsAndSaysACapStopsTheRun() {
    EngineExecutionResults results = run(TicketsSuite.class, Map.of("promptunit.optimize.dry-run", "true",
        "promptunit.optimize.maxCalls", "30"));

    String estimate = entries(results, ReportEntryKeys.ESTIMATE).get(0);
    Matcher expected = Pattern.compile("^expected (\\d+) calls").matcher(estimate);
    Matcher worst = Pattern.compile("worst case (\\d+) calls").matcher(estimate);
    assertThat(expected.find() && worst.find()).as(estimate).isTrue();
    assertThat(Long.parseLong(expected.group(1))).isLessThanOrEqualTo(30).isLessThanOrEqualTo(
        Long.parseLong(worst.group(1)));
    assertThat(estimate).contains("the call cap of 30 calls stops the run in its first round (all 6 rounds would take ")
        .containsPattern("kept for the final held-out measurement");
    assertThat(results.allEvents().filter(e -> e.getType() == FINISHED).count()).isPositive();
  }
}
