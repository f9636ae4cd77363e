package io.promptunit.jupiter;

import static io.promptunit.jupiter.PromptAssertions.assertThat;
import static io.promptunit.jupiter.PromptAssertions.assertThatOutput;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promptunit.config.Configuration;
import io.promptunit.jupiter.fixtures.RouterFixture;
import io.promptunit.jupiter.fixtures.RouterModel;
import io.promptunit.suite.InvalidSuiteException;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The AssertJ assertions: what they accept, and failure messages that say what differed and where. */
class PromptAssertionsTest {

  /** password-reset (line 3, test) and invoice-vat (line 2, dev) are routed wrongly. */
  static Evaluation evaluation;

  @BeforeAll
  static void evaluate() {
    RouterModel.install(false, "reset my password", "VAT");
    try (PromptEvaluator evaluator = PromptEvaluator.builder(RouterFixture.class)
        .configuration(Configuration.of(Map.of("promptunit.cache", "off", "promptunit.concurrency", "2"))).build()) {
      evaluation = evaluator.evaluate("prompts/router.prompt", "prompts/router.jsonl");
    }
  }

  @Test
  void passRatesAreAssertedOverallPerSplitAndPerTag() {
    assertThatCode(() -> {
      assertThat(evaluation).hasPassRateAtLeast(0.66);
      assertThat(evaluation).onSplit("train").allExamplesPass();
      assertThat(evaluation).onTag("refund").hasPassRateAtLeast(1.0);
      assertThat(evaluation).onSplit("test").hasPassRateAtLeast(0.6);
    }).doesNotThrowAnyException();
  }

  @Test
  void aPassRateBelowTheMinimumListsEachFailingExampleWithFileLineInputExpectedAndActual() {
    assertThatThrownBy(() -> assertThat(evaluation).as("router prompt").hasPassRateAtLeast(0.9))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("[router prompt] ")
        .hasMessageContaining("Expecting the pass rate of")
        .hasMessageContaining("  src/test/resources/prompts/router.prompt on src/test/resources/prompts/router.jsonl")
        .hasMessageContaining("to be at least 90.0%")
        .hasMessageContaining("but it was 66.7% (4 of 6 examples passed).")
        .hasMessageContaining("✘ invoice-vat (src/test/resources/prompts/router.jsonl:2) [dev]")
        .hasMessageContaining("Invoice shows the wrong VAT number")
        .hasMessageContaining("✘ password-reset (src/test/resources/prompts/router.jsonl:3) [test]")
        .hasMessageContainingAll("expected:", "\"account\"", "actual:", "normalized equality")
        .satisfies(error -> org.assertj.core.api.Assertions.assertThat(error.getMessage()).doesNotContain("refund-1"));
  }

  @Test
  void aSplitAssertionNamesItsSplitAndListsOnlyItsFailures() {
    assertThatThrownBy(() -> assertThat(evaluation).onSplit("test").hasPassRateAtLeast(0.9))
        .hasMessageContaining("router.jsonl (split test)")
        .hasMessageContaining("but it was 66.7% (2 of 3 examples passed)")
        .hasMessageContaining("password-reset (src/test/resources/prompts/router.jsonl:3)")
        .satisfies(error -> org.assertj.core.api.Assertions.assertThat(error.getMessage()).doesNotContain("invoice-vat"));
    assertThatThrownBy(() -> assertThat(evaluation).onTag("shipping").hasPassRateAtLeast(0.5))
        .hasMessageContaining("Expecting examples in")
        .hasMessageContaining("(tag shipping)")
        .hasMessageContaining("but there are none");
    assertThatThrownBy(() -> assertThat(evaluation).onSplit("holdout"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown split \"holdout\"");
  }

  @Test
  void namedExamplesPassOrFailAndAWrongExpectationShowsTheExample() {
    assertThat(evaluation).example("refund-1").passes();
    assertThat(evaluation).example("password-reset").fails();

    assertThatThrownBy(() -> assertThat(evaluation).example("password-reset").passes())
        .hasMessageContaining("Expecting example password-reset to pass")
        .hasMessageContaining("but it failed:")
        .hasMessageContaining("src/test/resources/prompts/router.jsonl:3");
    assertThatThrownBy(() -> assertThat(evaluation).example("refund-1").fails())
        .hasMessageContaining("Expecting example refund-1 to fail")
        .hasMessageContaining("but it passed");
    assertThatThrownBy(() -> assertThat(evaluation).example("refund-9").passes())
        .hasMessageContaining("Expecting an example with id")
        .hasMessageContaining("\"refund-9\"")
        .hasMessageContaining("its examples are: refund-1, invoice-vat, password-reset, app-crash, refund-2, site-down");
  }

  @Test
  void theFailuresAreAListAssertWhoseElementsSayWhereAndWhat() {
    assertThat(evaluation).failures().hasSize(2).extracting(ScoredExample::id).containsExactly("invoice-vat", "password-reset");

    assertThatThrownBy(() -> assertThat(evaluation).failures().isEmpty())
        .hasMessageContaining("[failing examples of src/test/resources/prompts/router.prompt on src/test/resources/prompts/router.jsonl]")
        .hasMessageContaining("invoice-vat (src/test/resources/prompts/router.jsonl:2): expected \"billing\", got \"");
  }

  @Test
  void anExamplesOutputIsAssertedWithAssertJsStringAssertions() {
    assertThat(evaluation).example("app-crash").output().containsIgnoringCase("technical").doesNotContainIgnoringCase("billing");

    assertThatThrownBy(() -> assertThat(evaluation).example("app-crash").output().isEqualTo("billing"))
        .hasMessageContaining("[output of app-crash (src/test/resources/prompts/router.jsonl:4)]");
  }

  @Test
  void jsonOutputsAreCheckedAgainstASchemaFieldsAndValuesAsTheJsonChecksDo() {
    String contact = "```json\n{\"name\": \"Bob Lee\", \"email\": null, \"age\": 41}\n```";

    assertThatOutput(contact).isJson().matchesJsonSchema("prompts/contact.schema.json").hasJsonFields("name", "email")
        .isJsonEqualTo("{\"name\": \"Bob Lee\", \"age\": 41.0}", "name", "age");

    assertThatThrownBy(() -> assertThatOutput("{\"name\": 7}").matchesJsonSchema("prompts/contact.schema.json"))
        .hasMessageContaining("to pass JSON Schema prompts/contact.schema.json")
        .hasMessageContaining("the output violates the schema")
        .hasMessageContaining("email");
    assertThatThrownBy(() -> assertThatOutput("{\"name\": \"Bob\"}").hasJsonFields("name", "email"))
        .hasMessageContaining("but these are missing: [email]");
    assertThatThrownBy(() -> assertThatOutput("Sure! Here it is: {}").isJson())
        .hasMessageContaining("Expecting the output to be JSON");
    assertThatThrownBy(() -> assertThatOutput(contact).isJsonEqualTo("{\"name\": \"Bob Li\"}", "name"))
        .hasMessageContaining("fields differ: name");
    assertThatThrownBy(() -> assertThatOutput("{}").matchesJsonSchema("prompts/none.schema.json"))
        .isInstanceOf(InvalidSuiteException.class)
        .hasMessageContaining("create src/test/resources/prompts/none.schema.json");
  }

  @Test
  void similarityUsesTheRealBundledEmbeddingModelParaphrasesPassUnrelatedAnswersFail() {
    assertThatOutput("Power-cycle your router, then add the camera again from the app.")
        .isSimilarTo("Restart the router and re-add the camera in the app.")
        .isNotSimilarTo("Our bakery opens at 7 am on weekdays.", 0.3);
    assertThatOutput("Logging into my account doesn't work.").isSimilarTo("I cannot log in to my account.", 0.8);

    assertThatThrownBy(() -> assertThatOutput("The capital of France is Paris.")
        .isSimilarTo("Your refund has been issued and should arrive within 5 business days."))
        .hasMessageContaining("to pass similarity of at least 0.70")
        .hasMessageContaining("below the threshold 0.70 (cosine of all-MiniLM-L6-v2 embeddings)")
        .hasMessageContaining("expected: Your refund has been issued");
  }

  @Test
  void isNotSimilarToTakesTheSameDefaultThresholdAsIsSimilarTo() {
    assertThatOutput("The capital of France is Paris.")
        .isNotSimilarTo("Your refund has been issued and should arrive within 5 business days.");

    assertThatThrownBy(() -> assertThatOutput("Logging into my account doesn't work.")
        .isNotSimilarTo("I cannot log in to my account."))
        .hasMessageContaining("not to mean the same as")
        .hasMessageContaining("at least the threshold 0.70 (cosine of all-MiniLM-L6-v2 embeddings)");
  }
}
