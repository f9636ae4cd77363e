package io.promptunit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.promptunit.Example;
import io.promptunit.Split;
import io.promptunit.check.Checks;
import io.promptunit.check.Conversation;
import io.promptunit.eval.Evaluator;
import io.promptunit.eval.ExampleResult;
import io.promptunit.check.JudgeModels;
import io.promptunit.model.RetryPolicy;
import io.promptunit.model.ModelClient;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Keeps the example suites honest without a model: their files load, every split is used, and an
 * oracle that answers each example's expected value passes every check (so the labels agree with
 * the schema and the custom checks). Uses PromptUnit as a plain Java library.
 */
class ExampleSuitesTest {

  static Stream<Class<?>> suites() {
    return Stream.of(SupportRouterPromptTest.class, ContactExtractionPromptTest.class, TicketPriorityPromptTest.class);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void theSuiteLoadsWithAtLeast25ExamplesInEverySplit(Class<?> anchor) {
    Suite suite = SuiteLoader.load(anchor);

    assertThat(suite.examples()).hasSizeGreaterThanOrEqualTo(25);
    assertThat(suite.examples()).extracting(e -> e.split().orElseThrow()).contains(Split.TRAIN, Split.DEV, Split.TEST);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void anOracleAnsweringTheExpectedValuesPassesEveryExample(Class<?> anchor) {
    Suite suite = SuiteLoader.load(anchor);
    Map<String, String> answers = new HashMap<>();
    for (Example example : suite.examples()) {
      answers.put(Conversation.render(suite, example).user(), example.expected());
    }
    ChatModel oracle = new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        String user = ((UserMessage) request.messages().get(request.messages().size() - 1)).singleText();
        return ChatResponse.builder().aiMessage(AiMessage.from(answers.get(user))).build();
      }
    };
    Evaluator evaluator = new Evaluator(suite, Checks.of(suite, JudgeModels.unavailable()), new ModelClient(oracle, "oracle", new RetryPolicy(0, 1)));

    for (Example example : suite.examples()) {
      ExampleResult result = evaluator.evaluate(example);
      assertThat(result.status()).as("%s with %s", example.location(), result.attempts()).isEqualTo(ExampleResult.Status.PASSED);
    }
  }

  @Test
  void withoutAModelEveryExampleAndTheOptimizationAreReportedAborted() {
    // every example, plus one test standing for the priority suite's optimization ("optimize (PROTEGI): not run")
    long examples = suites().mapToLong(anchor -> SuiteLoader.load(anchor).examples().size()).sum() + 1;

    runWithoutAModel().testEvents().assertStatistics(stats -> stats.started(examples).aborted(examples));
  }

  @Test
  void theRunWithoutAModelLeavesTheMainRunsReportAndConsoleAlone() throws IOException {
    byte[] before = Files.exists(NestedRun.MAIN_REPORT) ? Files.readAllBytes(NestedRun.MAIN_REPORT) : null;
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
    try {
      runWithoutAModel();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }

    assertThat(console.toString(StandardCharsets.UTF_8)).as("the main run's console").doesNotContain("[PromptUnit]");
    if (before == null) {
      assertThat(NestedRun.MAIN_REPORT).doesNotExist();
    } else {
      assertThat(Files.readAllBytes(NestedRun.MAIN_REPORT)).as("the main run's report").isEqualTo(before);
    }
  }

  /** The example suites run with no model, as a test of what that looks like (not the main run's result). */
  private static EngineExecutionResults runWithoutAModel() {
    // the suites that take their model from the configuration (the model matrix example brings its own)
    return NestedRun.of().execute("promptunit", Map.of("promptunit.model", "", "promptunit.embedded", "false"),
        suites().map(org.junit.platform.engine.discovery.DiscoverySelectors::selectClass)
            .toArray(org.junit.platform.engine.DiscoverySelector[]::new));
  }
}
