package com.acme;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.Example;
import io.promptunit.jupiter.ExamplesSource;
import org.junit.jupiter.params.ParameterizedTest;

/** The examples as arguments, without the extension. */
class RouterLabelsTest {

  @ParameterizedTest
  @ExamplesSource("prompts/router.jsonl")
  void labelsAreTeams(Example example) {
    assertThat(example.expected()).as(example.id()).isIn("billing", "technical", "account");
  }
}
