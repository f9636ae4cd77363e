package com.acme;

import static io.promptunit.jupiter.PromptAssertions.assertThat;

import io.promptunit.Example;
import io.promptunit.jupiter.ExamplesSource;
import io.promptunit.jupiter.PromptEvaluator;
import io.promptunit.jupiter.PromptUnitExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

@ExtendWith(PromptUnitExtension.class)
class RouterJupiterTest {

  @BeforeAll
  static void printTheJUnitVersion() {
    System.out.println("running on JUnit Jupiter " + Test.class.getPackage().getImplementationVersion());
  }

  @Test
  void routesTickets(PromptEvaluator evaluator) {
    assertThat(evaluator.evaluate("prompts/router.prompt", "prompts/router.jsonl")).allExamplesPass();
  }

  @ParameterizedTest
  @ExamplesSource("prompts/router.jsonl")
  void labelsAreTeams(Example example) {
    org.assertj.core.api.Assertions.assertThat(example.expected()).as(example.id()).isIn("billing", "technical", "account");
  }
}
