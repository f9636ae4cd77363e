package io.promptunit.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promptunit.Example;
import io.promptunit.fixtures.valid.RouterSuite;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Suites declared in code (the Jupiter integration, plain Java) load exactly as @PromptTest suites do. */
class SuiteDeclarationTest {

  private static SuiteDeclaration declared(String prompt, Optional<String> text, String examples) {
    return new SuiteDeclaration(RouterSuite.class, "com.acme.RouterTest", "PromptEvaluator", prompt, text, "fixtures/router.system", examples,
        SuiteOptions.defaults());
  }

  @Test
  void aDeclaredSuiteHasTheAnnotatedSuitesExamplesAndItsOwnName() {
    Suite annotated = SuiteLoader.load(RouterSuite.class);

    Suite declared = SuiteLoader.load(declared("fixtures/router.prompt", Optional.empty(), "fixtures/router.jsonl"));

    assertThat(declared.name()).isEqualTo("com.acme.RouterTest");
    assertThat(declared.examples()).isEqualTo(annotated.examples());
    assertThat(declared.prompt().text()).isEqualTo(annotated.prompt().text());
    assertThat(declared.system()).map(Template::text).isEqualTo(annotated.system().map(Template::text));
  }

  @Test
  void aTemplateGivenAsTextIsCheckedLikeAFile() {
    Suite inline = SuiteLoader.load(declared("inline router", Optional.of("Route: {{input}}\n"), "fixtures/router.jsonl"));

    assertThat(inline.prompt().text()).isEqualTo("Route: {{input}}");
    assertThatThrownBy(() -> SuiteLoader.load(declared("inline router", Optional.of("Route: {{input}"), "fixtures/router.jsonl")))
        .isInstanceOf(InvalidSuiteException.class)
        .hasMessageContaining("inline router");
  }

  @Test
  void problemsNameWhatDeclaredTheFiles() {
    assertThatThrownBy(() -> SuiteLoader.load(declared("fixtures/none.prompt", Optional.empty(), "fixtures/router.jsonl")))
        .isInstanceOf(InvalidSuiteException.class)
        .hasMessageContaining("PromptEvaluator(prompt = \"fixtures/none.prompt\") not found on the classpath")
        .hasMessageContaining("create src/test/resources/fixtures/none.prompt");
  }

  @Test
  void anExamplesFileReadWithoutATemplateKeepsInputAsVariablesAndOtherFieldsAsMetadata() {
    List<Example> examples = SuiteLoader.readExamples(getClass().getClassLoader(), "fixtures/tickets.jsonl", "@ExamplesSource", "TicketsTest.rates()");

    assertThat(examples).isNotEmpty().allSatisfy(example -> assertThat(example.location()).startsWith("src/test/resources/fixtures/tickets.jsonl:"));
    assertThat(examples.get(0).variables()).isNotEmpty();
    assertThatThrownBy(() -> SuiteLoader.readExamples(getClass().getClassLoader(), "fixtures/bad-json.jsonl", "@ExamplesSource", "T.m()"))
        .isInstanceOf(InvalidSuiteException.class)
        .hasMessageContaining("src/test/resources/fixtures/bad-json.jsonl:");
    assertThatThrownBy(() -> SuiteLoader.readExamples(getClass().getClassLoader(), "fixtures/none.jsonl", "@ExamplesSource", "T.m()"))
        .hasMessageStartingWith("T.m(): @ExamplesSource(value = \"fixtures/none.jsonl\") not found on the classpath");
  }
}
