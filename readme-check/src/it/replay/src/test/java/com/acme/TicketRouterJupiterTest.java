package com.acme;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.jupiter.Evaluation;
import io.promptunit.jupiter.PromptAssertions;
import io.promptunit.jupiter.PromptEvaluator;
import org.junit.jupiter.api.Test;

/**
 * The suite's files evaluated from a Jupiter test. The evaluator's anchor is the suite's class, so
 * it has the suite's model, checks and cassette ({@code src/test/cassettes/com.acme.TicketRouterPromptTest.jsonl}):
 * replaying, it must answer every example from that cassette without a model call.
 */
class TicketRouterJupiterTest {

  @Test
  void everyExamplePassesFromTheSuitesCassette() {
    try (PromptEvaluator evaluator = PromptEvaluator.builder(TicketRouterPromptTest.class).build()) {
      Evaluation evaluation = evaluator.evaluate("prompts/ticket-router.prompt", "prompts/ticket-router.jsonl");

      assertThat(evaluation.examples()).hasSize(6);
      PromptAssertions.assertThat(evaluation).allExamplesPass();
      assertThat(evaluation.spend().calls()).as("model calls").isZero();
      assertThat(evaluation.cachedAnswers()).as("answers from the cassette").isEqualTo(6);
    }
  }
}
