package io.promptunit.check;

import io.promptunit.check.Conversation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.promptunit.Check;
import io.promptunit.Example;
import io.promptunit.ExpectContains;
import io.promptunit.ExpectExact;
import io.promptunit.ExpectJudge;
import io.promptunit.PromptTest;
import io.promptunit.model.RetryPolicy;
import io.promptunit.model.ModelClient;
import io.promptunit.fixtures.catalogue.ExpectedValueCases;
import io.promptunit.suite.InvalidSuiteException;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteProblem;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.testing.ScriptedChatModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in checks one by one, and how {@link Checks#of} assembles a suite's checks from its anchor.
 *
 * <p>The anchors at the end of this class are valid suites on purpose: a classpath-root scan of
 * {@code target/test-classes} (see {@code DiscoveryTest}) finds them too. Their names must not end
 * in {@code Test}, or Surefire would run them as suites.
 */
class ChecksTest {

  private static final Conversation CONVERSATION = new Conversation(Optional.empty(), "Route this ticket: I was charged twice");

  private static Example example(String expected) {
    return new Example("charged-twice", Map.of("input", "I was charged twice"), expected, false, Optional.empty(),
        List.of(), Map.of(), "prompts/router.jsonl", 7);
  }

  private static Example jsonExample(String expectedJson) {
    return new Example("contact-1", Map.of("input", "Mail Ann at ann@example.com"), expectedJson, true, Optional.empty(),
        List.of(), Map.of(), "prompts/contacts.jsonl", 3);
  }

  private static Optional<CheckFailure> run(io.promptunit.check.OutputCheck check, Example example, String output) {
    return check.check(example, CONVERSATION, output);
  }

  @Nested
  class NormalizedEquality {

    private final io.promptunit.check.OutputCheck check = new TextChecks.Normalized();

    @ParameterizedTest(name = "[{index}] \"{0}\" equals billing")
    @ValueSource(strings = {
        "billing",
        "  billing \n",
        "Billing",
        "BILLING",
        "billing.",
        "billing!!",
        "billing?",
        "\"billing\"",
        "'billing'",
        "`billing`",
        "\"Billing.\"",
        "\"billing\".",
    })
    void ignoresCaseSurroundingWhitespaceTrailingPunctuationAndWrappingQuotes(String output) {
      assertThat(run(check, example("billing"), output)).isEmpty();
    }

    @Test
    void collapsesRepeatedWhitespaceInside() {
      assertThat(run(check, example("the billing team"), "The   billing\n\tteam")).isEmpty();
    }

    @Test
    void normalizesTheExpectedValueToo() {
      assertThat(run(check, example("  \"Billing.\" "), "billing")).isEmpty();
    }

    @Test
    void aGenuinelyDifferentAnswerFailsShowingExpectedAndActual() {
      Optional<CheckFailure> failure = run(check, example("billing"), "Technical.");

      assertThat(failure).hasValueSatisfying(f -> {
        assertThat(f.check()).isEqualTo("normalized equality");
        assertThat(f.expected()).isEqualTo("billing");
        assertThat(f.actual()).isEqualTo("Technical.");
      });
    }

    @Test
    void innerPunctuationStillMatters() {
      assertThat(run(check, example("billing"), "bill-ing")).isPresent();
      assertThat(run(check, example("billing"), "billing, technical")).isPresent();
    }
  }

  @Nested
  class ExactEquality {

    private final io.promptunit.check.OutputCheck check = new TextChecks.Exact();

    @Test
    void passesOnlyForTheSameCharacters() {
      assertThat(run(check, example("billing"), "billing")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Billing", " billing", "billing\n", "billing."})
    void failsOnAnyDifferenceOfCaseWhitespaceOrPunctuation(String output) {
      assertThat(run(check, example("billing"), output))
          .hasValueSatisfying(f -> assertThat(f.check()).isEqualTo("exact equality"));
    }
  }

  @Nested
  class EqualityIgnoringCase {

    private final io.promptunit.check.OutputCheck check = new TextChecks.IgnoringCase();

    @Test
    void ignoresCaseAndSurroundingWhitespace() {
      assertThat(run(check, example("Billing"), "  BILLING\n")).isEmpty();
    }

    @Test
    void doesNotIgnorePunctuationOrInnerWhitespace() {
      assertThat(run(check, example("billing"), "billing.")).isPresent();
      assertThat(run(check, example("the team"), "the  team")).isPresent();
    }
  }

  @Nested
  class Containment {

    @Test
    void passesWhenTheOutputContainsTheExpectedText() {
      assertThat(run(new TextChecks.Contains(false), example("billing"), "I would send this to billing.")).isEmpty();
    }

    @Test
    void isCaseSensitiveByDefault() {
      Optional<CheckFailure> failure = run(new TextChecks.Contains(false), example("billing"), "Send it to BILLING");

      assertThat(failure).hasValueSatisfying(f -> {
        assertThat(f.check()).isEqualTo("contains");
        assertThat(f.reason()).contains("does not contain \"billing\"");
      });
    }

    @Test
    void ignoreCaseAcceptsAnyCase() {
      io.promptunit.check.OutputCheck check = new TextChecks.Contains(true);

      assertThat(check.name()).isEqualTo("contains (ignoring case)");
      assertThat(run(check, example("Billing"), "Send it to BILLING")).isEmpty();
      assertThat(run(check, example("billing"), "Send it to technical")).isPresent();
    }
  }

  @Nested
  class RegularExpression {

    @Test
    void aFixedPatternMustMatchTheWholeTrimmedOutput() {
      io.promptunit.check.OutputCheck check = new TextChecks.Regex("P[123]");

      assertThat(run(check, example("ignored"), "  P2\n")).isEmpty();
      assertThat(run(check, example("ignored"), "P2 because it is urgent"))
          .hasValueSatisfying(f -> assertThat(f.reason()).contains("/P[123]/"));
    }

    @Test
    void aFixedPatternSpansLines() {
      io.promptunit.check.OutputCheck check = new TextChecks.Regex("Answer:.*yes");

      assertThat(run(check, example("ignored"), "Answer:\nI think yes")).isEmpty();
    }

    @Test
    void withoutAPatternTheExpectedValueIsThePattern() {
      io.promptunit.check.OutputCheck check = new TextChecks.Regex("");

      assertThat(run(check, example("\\d{3}-\\d{4}"), "555-1234")).isEmpty();
      assertThat(run(check, example("\\d{3}-\\d{4}"), "call 555-1234")).isPresent();
    }

    @Test
    void anInvalidExpectedPatternIsAFailureNamingTheExamplesFileAndLineNotAnException() {
      io.promptunit.check.OutputCheck check = new TextChecks.Regex("");

      Optional<CheckFailure> failure = run(check, example("([a-z"), "abc");

      assertThat(failure).hasValueSatisfying(f -> assertThat(f.reason())
          .contains("prompts/router.jsonl:7")
          .contains("not a valid regex"));
    }
  }

  @Nested
  class JsonEquality {

    private final io.promptunit.check.OutputCheck whole = new JsonChecks.Equality(List.of());

    @Test
    void equalJsonPasses() {
      assertThat(run(whole, jsonExample("{\"team\":\"billing\",\"urgent\":false}"), "{\"team\": \"billing\", \"urgent\": false}")).isEmpty();
    }

    @Test
    void keyOrderIsIrrelevant() {
      assertThat(run(whole, jsonExample("{\"team\":\"billing\",\"urgent\":false}"), "{\"urgent\":false,\"team\":\"billing\"}")).isEmpty();
    }

    @Test
    void numbersCompareByValueSoOneEqualsOnePointZero() {
      assertThat(run(whole, jsonExample("{\"amount\":1,\"items\":[2]}"), "{\"amount\":1.0,\"items\":[2.00]}")).isEmpty();
      assertThat(run(whole, jsonExample("1"), "1.0")).isEmpty();
    }

    @Test
    void aMarkdownCodeFenceAroundTheOutputIsTolerated() {
      assertThat(run(whole, jsonExample("{\"team\":\"billing\"}"), "```json\n{\"team\": \"billing\"}\n```")).isEmpty();
      assertThat(run(whole, jsonExample("{\"team\":\"billing\"}"), "```\n{\"team\": \"billing\"}```")).isEmpty();
    }

    @Test
    void aDifferentValueFailsWithBothSidesPrettyPrinted() {
      Optional<CheckFailure> failure = run(whole, jsonExample("{\"team\":\"billing\"}"), "{\"team\":\"technical\"}");

      assertThat(failure).hasValueSatisfying(f -> {
        assertThat(f.reason()).contains("differs");
        assertThat(f.expected()).contains("\"billing\"");
        assertThat(f.actual()).contains("\"technical\"");
      });
    }

    @Test
    void withFieldsOnlyThoseFieldsAreCompared() {
      io.promptunit.check.OutputCheck check = new JsonChecks.Equality(List.of("team"));

      assertThat(check.name()).isEqualTo("JSON equality of team");
      assertThat(run(check, jsonExample("{\"team\":\"billing\",\"urgent\":false}"), "{\"team\":\"billing\",\"urgent\":true,\"note\":\"x\"}"))
          .isEmpty();
    }

    @Test
    void aMissingFieldIsNamedInTheReason() {
      io.promptunit.check.OutputCheck check = new JsonChecks.Equality(List.of("team", "urgent"));

      Optional<CheckFailure> failure = run(check, jsonExample("{\"team\":\"billing\",\"urgent\":false}"), "{\"team\":\"billing\"}");

      assertThat(failure).hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo("fields differ: urgent (missing)"));
    }

    @Test
    void anOutputThatIsNotJsonFails() {
      Optional<CheckFailure> failure = run(whole, jsonExample("{\"team\":\"billing\"}"), "The team is billing.");

      assertThat(failure).hasValueSatisfying(f -> {
        assertThat(f.reason()).isEqualTo("the output is not valid JSON");
        assertThat(f.actual()).isEqualTo("The team is billing.");
      });
    }

    @Test
    void proseAfterTheJsonValueMakesTheOutputInvalidJson() {
      assertThat(run(whole, jsonExample("{\"team\":\"billing\"}"), "{\"team\": \"billing\"} Hope this helps!"))
          .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo("the output is not valid JSON"));
    }
  }

  @Nested
  class JsonSchemaValidity {

    private final io.promptunit.check.OutputCheck check = new JsonChecks.SchemaValidity("prompts/contact.schema.json", json("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "required": ["name", "email"],
          "properties": {
            "name": {"type": "string"},
            "email": {"type": ["string", "null"]}
          }
        }
        """));

    @Test
    void aValidOutputPasses() {
      assertThat(run(check, jsonExample("{}"), "{\"name\": \"Ann\", \"email\": null}")).isEmpty();
    }

    @Test
    void aViolationListsTheSchemaValidatorsMessages() {
      Optional<CheckFailure> failure = run(check, jsonExample("{}"), "{\"name\": 42}");

      assertThat(failure).hasValueSatisfying(f -> {
        assertThat(f.check()).isEqualTo("JSON Schema prompts/contact.schema.json");
        assertThat(f.reason()).startsWith("the output violates the schema: ")
            .contains("email")
            .contains("required")
            .contains("name")
            .contains("string");
      });
    }

    @Test
    void anOutputThatIsNotJsonFails() {
      assertThat(run(check, jsonExample("{}"), "name: Ann"))
          .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo("the output is not valid JSON"));
    }

    private static JsonNode json(String text) {
      try {
        return new ObjectMapper().readTree(text);
      } catch (Exception e) {
        throw new IllegalArgumentException(e);
      }
    }
  }

  @Nested
  class NumberWithinTolerance {

    @Test
    void comparesTheLastNumberInTheOutput() {
      NumberCheck check = new NumberCheck(0, false);

      assertThat(run(check, example("42"), "Of 3 boxes with 12 each, 6 were added: 42 in total.")).isEmpty();
      assertThat(run(check, example("42"), "42 boxes, then 43")).isPresent();
    }

    @Test
    void readsThousandsSeparators() {
      assertThat(run(new NumberCheck(0, false), example("1234.5"), "It costs $1,234.50")).isEmpty();
      assertThat(run(new NumberCheck(0, false), example("1,000,000"), "one million: 1000000")).isEmpty();
    }

    @Test
    void anAbsoluteToleranceBoundsTheDifference() {
      NumberCheck check = new NumberCheck(0.5, false);

      assertThat(run(check, example("10"), "10.5")).isEmpty();
      assertThat(run(check, example("10"), "9.6")).isEmpty();
      assertThat(run(check, example("10"), "10.6")).hasValueSatisfying(f -> {
        assertThat(f.reason()).startsWith("the output's number 10.6 is off by 0.");
        assertThat(f.expected()).isEqualTo("10");
        assertThat(f.actual()).isEqualTo("10.6");
      });
    }

    @Test
    void aRelativeToleranceIsAFractionOfTheExpectedValue() {
      NumberCheck check = new NumberCheck(0.1, true);

      assertThat(run(check, example("200"), "219")).isEmpty();
      assertThat(run(check, example("200"), "181")).isEmpty();
      assertThat(run(check, example("200"), "221")).isPresent();
    }

    @Test
    void anOutputWithoutANumberFails() {
      assertThat(run(new NumberCheck(1, false), example("12"), "about a dozen"))
          .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo("the output contains no number"));
    }

    @Test
    void theDifferenceIsReportedInDecimal() {
      assertThat(run(new NumberCheck(0.5, false), example("10"), "10.6"))
          .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo("the output's number 10.6 is off by 0.6"));
    }

    @Test
    void theDashOfARangeIsNotAMinusSign() {
      assertThat(run(new NumberCheck(0, false), example("7"), "Delivery takes 5-7 days")).isEmpty();
    }
  }

  @Nested
  class Judge {

    private static final String RUBRIC = "polite and names the refunded amount";

    private ScriptedChatModel judgeModel;

    private JudgeCheck judgeAnswering(String answer) {
      judgeModel = new ScriptedChatModel(request -> answer);
      ModelClient client = new ModelClient(judgeModel, "scripted-judge", new RetryPolicy(0, 1));
      return new JudgeCheck(RUBRIC, () -> client);
    }

    @Test
    void passWhenTheJudgeAnswersPass() {
      assertThat(run(judgeAnswering("PASS: polite and names 20 EUR"), example("We refunded 20 EUR."), "Sorry! We refunded 20 EUR."))
          .isEmpty();
    }

    @Test
    void failWhenTheJudgeAnswersFailWithItsReason() {
      Optional<CheckFailure> failure = run(judgeAnswering("FAIL: too rude"), example("We refunded 20 EUR."), "Refunded. Stop asking.");

      assertThat(failure).hasValueSatisfying(f -> {
        assertThat(f.check()).isEqualTo("judge");
        assertThat(f.reason()).contains("scripted-judge").contains(RUBRIC).endsWith(": too rude");
        assertThat(f.actual()).isEqualTo("Refunded. Stop asking.");
      });
    }

    @Test
    void anAnswerThatIsNeitherPassNorFailFailsShowingWhatTheJudgeSaid() {
      Optional<CheckFailure> failure = run(judgeAnswering("Looks fine to me."), example("We refunded 20 EUR."), "Sorry! We refunded 20 EUR.");

      assertThat(failure).hasValueSatisfying(f -> assertThat(f.reason())
          .contains("did not answer PASS or FAIL")
          .contains("Looks fine to me."));
    }

    @Test
    void theJudgeIsCalledOnceAtTemperatureZeroAndSeesRubricPromptReferenceAndOutput() {
      run(judgeAnswering("PASS: fine"), example("We refunded 20 EUR."), "Sorry! We refunded 20 EUR.");

      assertThat(judgeModel.calls()).isEqualTo(1);
      ChatRequest request = judgeModel.requests().get(0);
      assertThat(request.temperature()).isEqualTo(0.0);
      assertThat(ScriptedChatModel.userMessage(request))
          .contains(RUBRIC)
          .contains(CONVERSATION.user())
          .contains("We refunded 20 EUR.")
          .contains("Sorry! We refunded 20 EUR.");
    }

    @Test
    void aSentenceThatMerelyContainsTheWordPassIsNotAPassVerdict() {
      Optional<CheckFailure> failure = run(judgeAnswering("The output does not pass the rubric: it is too rude."),
          example("We refunded 20 EUR."), "Refunded. Stop asking.");

      assertThat(failure).isPresent();
    }
  }

  @Nested
  class ExpectedValuesCheckedAtLoad {

    private static final String FILES = "src/test/resources/fixtures/catalogue/";

    private SuiteProblem onlyProblem(Class<?> anchor) {
      Suite suite = SuiteLoader.load(anchor);
      InvalidSuiteException thrown = org.assertj.core.api.Assertions.catchThrowableOfType(InvalidSuiteException.class,
          () -> Checks.of(suite, JudgeModels.unavailable()));
      assertThat(thrown).as("a bad expected value is a problem of the suite, not a failure of the prompt").isNotNull();
      assertThat(thrown.problems()).hasSize(1);
      return thrown.problems().get(0);
    }

    @Test
    void anExpectedValueThatIsNotARegexUnderExpectRegexIsAProblemOfItsLine() {
      SuiteProblem problem = onlyProblem(ExpectedValueCases.BadRegexExpected.class);

      assertThat(problem.location()).isEqualTo(FILES + "bad-regex-expected.jsonl:2");
      assertThat(problem.message()).startsWith("the expected value \"[unclosed\" is not a valid regular expression");
      assertThat(problem.fix()).contains("@ExpectRegex");
    }

    @Test
    void anExpectedValueThatIsNotJsonUnderExpectJsonIsAProblemOfItsLine() {
      SuiteProblem problem = onlyProblem(ExpectedValueCases.NotJsonExpected.class);

      assertThat(problem.location()).isEqualTo(FILES + "not-json-expected.jsonl:2");
      assertThat(problem.message()).isEqualTo("the expected value \"team: billing\" is not JSON, which @ExpectJson needs");
    }

    @Test
    void anExpectedValueWithoutANumberUnderExpectNumberIsAProblemOfItsLine() {
      SuiteProblem problem = onlyProblem(ExpectedValueCases.NoNumberExpected.class);

      assertThat(problem.location()).isEqualTo(FILES + "no-number-expected.jsonl:2");
      assertThat(problem.message()).isEqualTo("the expected value \"about ten\" has no number, which @ExpectNumber needs");
    }
  }

  @Nested
  class AssembledFromTheAnchor {

    @Test
    void withNothingDeclaredTheDefaultIsNormalizedEquality() {
      List<io.promptunit.check.OutputCheck> checks = checksOf(DefaultAnchor.class);

      assertThat(checks).singleElement().isInstanceOf(TextChecks.Normalized.class);
    }

    @Test
    void declaredChecksReplaceTheDefault() {
      List<io.promptunit.check.OutputCheck> checks = checksOf(ExactAndContainsAnchor.class);

      assertThat(checks).extracting(io.promptunit.check.OutputCheck::name).containsExactlyInAnyOrder("exact equality", "contains (ignoring case)");
    }

    @Test
    void eachCheckDeclaresTheModelCallsItMakesTheJudgeOne() {
      List<io.promptunit.check.OutputCheck> checks = checksOf(JudgedAnchor.class);

      assertThat(checks).extracting(io.promptunit.check.OutputCheck::name, io.promptunit.check.OutputCheck::modelCalls)
          .containsExactly(tuple("exact equality", 0), tuple("judge", 1));
    }

    @Test
    void customChecksAloneAlsoReplaceTheDefault() {
      List<io.promptunit.check.OutputCheck> checks = checksOf(CustomChecksAnchor.class);

      assertThat(checks).extracting(io.promptunit.check.OutputCheck::name)
          .containsExactly("answerLengthMatches()", "crashes()", "isOneWord()", "startsWithCapital()");
    }

    @Test
    void aCustomCheckReturningFalseFails() {
      Optional<CheckFailure> failure = customCheck("isOneWord()").check(firstExample(), CONVERSATION, "billing team");

      assertThat(failure).hasValueSatisfying(f -> {
        assertThat(f.check()).isEqualTo("isOneWord()");
        assertThat(f.reason()).isEqualTo("isOneWord() returned false");
        assertThat(f.actual()).isEqualTo("billing team");
      });
      assertThat(customCheck("isOneWord()").check(firstExample(), CONVERSATION, "billing")).isEmpty();
    }

    @Test
    void aCustomCheckFailingAnAssertJAssertionFailsWithItsMessage() {
      Optional<CheckFailure> failure = customCheck("startsWithCapital()").check(firstExample(), CONVERSATION, "billing");

      assertThat(failure).hasValueSatisfying(f -> assertThat(f.reason()).contains("Expecting actual:").contains("\"billing\"").contains("\"B\""));
    }

    @Test
    void anAssertJEqualityFailureKeepsTheAssertionsExpectedAndActualForTheDiffView() {
      Example refund = firstExample();

      Optional<CheckFailure> failure = customCheck("answerLengthMatches()").check(refund, CONVERSATION, "technical");

      assertThat(failure).hasValueSatisfying(f -> {
        assertThat(f.reason()).contains("length of the answer to " + refund.id());
        assertThat(f.expected()).isEqualTo("7");
        assertThat(f.actual()).isEqualTo("9");
      });
    }

    @Test
    void aCustomCheckThrowingAnythingElseIsACheckErrorNotAFailure() {
      io.promptunit.check.OutputCheck crashes = customCheck("crashes()");

      assertThatThrownBy(() -> crashes.check(firstExample(), CONVERSATION, "billing"))
          .isInstanceOf(CheckError.class)
          .hasMessageContaining("CustomChecksAnchor.crashes()")
          .hasCauseInstanceOf(NullPointerException.class);
    }

    private io.promptunit.check.OutputCheck customCheck(String name) {
      return checksOf(CustomChecksAnchor.class).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private Example firstExample() {
      return SuiteLoader.load(CustomChecksAnchor.class).examples().get(0);
    }

    private List<io.promptunit.check.OutputCheck> checksOf(Class<?> anchor) {
      Suite suite = SuiteLoader.load(anchor);
      return Checks.of(suite, JudgeModels.unavailable());
    }
  }

  // Anchors: valid suites over the router fixture, so that a classpath scan that finds them loads them cleanly.

  @PromptTest(prompt = "fixtures/router.prompt", examples = "fixtures/router.jsonl")
  static class DefaultAnchor {}

  @PromptTest(prompt = "fixtures/router.prompt", examples = "fixtures/router.jsonl")
  @ExpectExact
  @ExpectContains(ignoreCase = true)
  static class ExactAndContainsAnchor {}

  @PromptTest(prompt = "fixtures/router.prompt", examples = "fixtures/router.jsonl")
  @ExpectExact
  @ExpectJudge(rubric = "names one team")
  static class JudgedAnchor {}

  @PromptTest(prompt = "fixtures/router.prompt", examples = "fixtures/router.jsonl")
  static class CustomChecksAnchor {

    @Check
    boolean isOneWord(String output) {
      return !output.strip().contains(" ");
    }

    @Check
    void startsWithCapital(String output) {
      assertThat(output).startsWith("B");
    }

    @Check
    void answerLengthMatches(Example example, String output) {
      assertThat(output.strip().length()).as("length of the answer to %s", example.id()).isEqualTo(example.expected().length());
    }

    @Check
    void crashes(String output) {
      throw new NullPointerException("a bug in the check itself");
    }
  }
}
