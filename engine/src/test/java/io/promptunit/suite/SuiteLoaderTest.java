package io.promptunit.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.promptunit.fixtures.valid.RouterSuite;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The template and system files and the paths of a suite, checked when it loads: each problem names
 * the user's file under src/test/resources, its line, and what to do.
 */
class SuiteLoaderTest {

  private static final String CATALOGUE = "fixtures/catalogue/";
  private static final String SOURCE = "src/test/resources/" + CATALOGUE;
  private static final String TICKETS = "fixtures/audit/tickets.jsonl";

  private static List<SuiteProblem> problems(String prompt, String system, String examples) {
    return problems(prompt, Optional.empty(), system, examples);
  }

  private static List<SuiteProblem> problems(String prompt, Optional<String> text, String system, String examples) {
    SuiteDeclaration declaration = new SuiteDeclaration(RouterSuite.class, "com.acme.RouterTest", "@PromptTest",
        prompt, text, system, examples, SuiteOptions.defaults());
    InvalidSuiteException thrown = catchThrowableOfType(InvalidSuiteException.class,
        () -> SuiteLoader.load(declaration));
    assertThat(thrown).as("the suite does not load").isNotNull();
    return thrown.problems();
  }

  @Test
  void anEmptyTemplateIsAProblemNamingItsFile() {
    assertThat(problems(CATALOGUE + "empty.prompt", "", CATALOGUE + "no-input.jsonl"))
        .extracting(SuiteProblem::location, SuiteProblem::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(SOURCE + "empty.prompt:1", "the template is empty"));
  }

  @Test
  void aTemplateOfWhitespaceOnlyIsEmptyToo() {
    assertThat(problems(CATALOGUE + "blank.prompt", "", CATALOGUE + "no-input.jsonl"))
        .singleElement().satisfies(problem -> {
          assertThat(problem.location()).isEqualTo(SOURCE + "blank.prompt:1");
          assertThat(problem.message()).startsWith("the template is empty");
          assertThat(problem.fix()).contains("{{input}}");
        });
  }

  @Test
  void aTemplateGivenAsBlankTextIsEmpty() {
    assertThat(problems("inline router", Optional.of(" \n "), "", TICKETS))
        .extracting(SuiteProblem::describe).singleElement().asString().startsWith("inline router:1: the template is empty");
  }

  @Test
  void anEmptySystemFileIsAProblemNamingItsFileNotAnErrorOfEachExample() {
    assertThat(problems("fixtures/audit/router.prompt", CATALOGUE + "empty.system", TICKETS))
        .extracting(SuiteProblem::describe).singleElement().asString()
        .startsWith(SOURCE + "empty.system:1: the system template is empty");
    assertThat(problems("fixtures/audit/router.prompt", CATALOGUE + "blank.system", TICKETS))
        .extracting(SuiteProblem::location).containsExactly(SOURCE + "blank.system:1");
  }

  @Test
  void aPromptPathThatIsADirectoryIsAProblemNamingTheFolderInSrcTestResources() {
    SuiteProblem problem = problems(CATALOGUE + "prompt-dir", "", TICKETS).get(0);

    assertThat(problem.location()).isEqualTo(SOURCE + "prompt-dir");
    assertThat(problem.message()).isEqualTo("@PromptTest(prompt = \"" + CATALOGUE
        + "prompt-dir\") names a directory, not a file");
    assertThat(problem.fix()).contains(CATALOGUE + "prompt-dir/{{input}}");
  }

  @Test
  void anExamplesPathThatIsADirectoryIsAProblemNotBadJson() {
    assertThat(problems("fixtures/audit/router.prompt", "", CATALOGUE + "examples-dir"))
        .singleElement().satisfies(problem -> {
          assertThat(problem.location()).isEqualTo(SOURCE + "examples-dir");
          assertThat(problem.message()).contains("names a directory, not a file");
          assertThat(problem.fix()).contains("examples = \"" + CATALOGUE + "examples-dir/tickets.jsonl\"");
        });
  }

  @Test
  void aVariableWithoutANameIsAProblemOfTheTemplateNotOfTheExamples() {
    assertThat(problems(CATALOGUE + "no-name.prompt", "", TICKETS))
        .singleElement().satisfies(problem -> {
          assertThat(problem.location()).isEqualTo(SOURCE + "no-name.prompt:2");
          assertThat(problem.message()).isEqualTo("the variable \"{{ }}\" has no name");
          assertThat(problem.fix()).contains("{{input}}");
        });
    assertThat(problems(CATALOGUE + "no-name.prompt", Optional.of("Ticket: {{}}"), "", TICKETS))
        .extracting(SuiteProblem::location).containsExactly(CATALOGUE + "no-name.prompt:1");
  }

  @Test
  void aVariableWithABraceTooManyIsAProblemOfTheTemplate() {
    assertThat(problems(CATALOGUE + "triple-brace.prompt", "", TICKETS))
        .singleElement().satisfies(problem -> {
          assertThat(problem.location()).isEqualTo(SOURCE + "triple-brace.prompt:2");
          assertThat(problem.message()).contains("{{{input}}}");
          assertThat(problem.fix()).contains("{{input}}");
        });
  }

  @Test
  void aSystemTemplateIsCheckedLikeThePrompt() {
    assertThat(problems("fixtures/audit/router.prompt", CATALOGUE + "no-name.system", TICKETS))
        .extracting(SuiteProblem::location).containsExactly(SOURCE + "no-name.system:1");
  }

  @Test
  void aPathWithBackslashesOrTheSourceFolderSaysHowToWriteAClasspathPath() {
    assertThat(problems("fixtures/audit/router.prompt", "", "fixtures\\audit\\tickets.jsonl"))
        .singleElement().satisfies(problem -> assertThat(problem.fix()).contains("/").contains(TICKETS));
    assertThat(problems("fixtures/audit/router.prompt", "", "src/test/resources/" + TICKETS))
        .singleElement().satisfies(problem -> assertThat(problem.fix())
            .contains("examples = \"" + TICKETS + "\"").doesNotContain("create src/test/resources/src/"));
  }

  @Test
  void anExampleWhoseValuesLeaveAMessageWithoutTextIsAProblemOfItsLine() {
    assertThat(problems(CATALOGUE + "only-input.prompt", "", CATALOGUE + "blank-input.jsonl"))
        .singleElement().satisfies(problem -> {
          assertThat(problem.location()).isEqualTo(SOURCE + "blank-input.jsonl:2");
          assertThat(problem.message()).startsWith("the prompt for this example has no text");
        });
    assertThat(problems("fixtures/audit/router.prompt", CATALOGUE + "only-input.prompt", CATALOGUE + "blank-input.jsonl"))
        .singleElement().satisfies(problem -> {
          assertThat(problem.location()).isEqualTo(SOURCE + "blank-input.jsonl:2");
          assertThat(problem.message()).startsWith("the system message for this example has no text");
        });
  }
}
