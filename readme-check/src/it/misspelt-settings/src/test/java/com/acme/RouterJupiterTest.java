package com.acme;

import static io.promptunit.jupiter.PromptAssertions.assertThat;

import io.promptunit.jupiter.PromptEvaluator;
import io.promptunit.jupiter.PromptUnitExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PromptUnitExtension.class)
class RouterJupiterTest {

  @Test
  void routesTickets(PromptEvaluator evaluator) {
    assertThat(evaluator.evaluate("prompts/router.prompt", "prompts/router.jsonl")).allExamplesPass();
  }
}
