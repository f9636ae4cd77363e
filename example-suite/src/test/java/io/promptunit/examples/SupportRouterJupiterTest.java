package io.promptunit.examples;

import static io.promptunit.jupiter.PromptAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import io.promptunit.Example;
import io.promptunit.ModelFactory;
import io.promptunit.jupiter.Evaluation;
import io.promptunit.jupiter.ExamplesSource;
import io.promptunit.jupiter.PromptEvaluator;
import io.promptunit.jupiter.PromptUnitExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The support-ticket router of {@link SupportRouterPromptTest}, scored from an ordinary JUnit Jupiter
 * test class: the same prompt, system message and examples file, with AssertJ assertions.
 *
 * <p>The model is {@link SupportDeskModel}, a scripted langchain4j {@code ChatModel}; its answers are
 * recorded in {@code src/test/cassettes/io.promptunit.examples.SupportRouterJupiterTest.jsonl}, so a
 * run answers from the cassette and makes no model call ({@code -Dpromptunit.cache=replay} never
 * calls one). Replace {@link #model()} with a real model and record once with
 * {@code -Dpromptunit.cache=record}.
 */
@ExtendWith(PromptUnitExtension.class)
class SupportRouterJupiterTest {

  static Evaluation evaluation;

  @ModelFactory
  static ChatModel model() {
    return new SupportDeskModel();
  }

  /** One evaluation for the class: every example through the model (or the cassette), checked like the suite's. */
  @BeforeAll
  static void evaluate(PromptEvaluator evaluator) {
    evaluation = evaluator.prompt("prompts/support-router.prompt")
        .system("prompts/support-router.system")
        .examples("prompts/support-router.jsonl")
        .evaluate();
  }

  @Test
  void theRouterPassesNineInTenHeldOutTickets() {
    assertThat(evaluation).onSplit("test").hasPassRateAtLeast(0.9);
    assertThat(evaluation).hasPassRateAtLeast(0.9);
  }

  @Test
  void multilingualTicketsAreRoutedLikeEnglishOnes() {
    assertThat(evaluation).onTag("non-english").allExamplesPass();
    assertThat(evaluation).example("abo-gekuendigt-abbuchung-de").passes();
  }

  @Test
  void withoutTheTieBreakRuleTwoTopicMessagesGoToTheFirstTopic() {
    // the known weakness, pinned down: if the prompt starts handling these, this test says so
    assertThat(evaluation).onTag("ambiguous").failures()
        .extracting(failure -> failure.id() + " -> " + failure.output())
        .containsExactly("charged-order-never-arrived -> Billing.", "arrived-yesterday-wont-pair -> shipping");
  }

  /** Each held-out ticket is its own test, named by its id and text: the IDE shows which ones fail. */
  @ParameterizedTest
  @ExamplesSource(value = "prompts/support-router.jsonl", split = "test", tags = {"non-english", "international", "integration"})
  void routesTheHeldOutTicketsOfForeignCustomers(Example example) {
    assertThat(evaluation).example(example.id()).passes();
  }

  /** A check of the examples file itself: every label is one of the five queues. */
  @ParameterizedTest
  @ExamplesSource("prompts/support-router.jsonl")
  void everyLabelIsAQueue(String id, String expected) {
    assertThat(expected).as(id).isIn("billing", "technical", "account", "shipping", "sales");
  }
}
