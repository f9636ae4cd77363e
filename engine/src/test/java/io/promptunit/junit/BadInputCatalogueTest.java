package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.promptunit.fixtures.audit.GoodSuite;
import io.promptunit.fixtures.audit.LatinOneSuite;
import io.promptunit.fixtures.audit.NoExpectedColumnSuite;
import io.promptunit.fixtures.audit.NotASchemaSuite;
import io.promptunit.fixtures.audit.NullExpectedSuite;
import io.promptunit.fixtures.audit.UnclosedVariableSuite;
import io.promptunit.fixtures.broken.BadCheckSuite;
import io.promptunit.fixtures.broken.BadJsonSuite;
import io.promptunit.fixtures.broken.DuplicateIdSuite;
import io.promptunit.fixtures.broken.MissingExpectedSuite;
import io.promptunit.fixtures.broken.MissingFileSuite;
import io.promptunit.fixtures.broken.MissingVariableSuite;
import io.promptunit.fixtures.catalogue.UnknownSplitSuite;
import io.promptunit.fixtures.catalogue.SlashInIdSuite;
import io.promptunit.fixtures.catalogue.NotAnObjectSuite;
import io.promptunit.fixtures.catalogue.TrailingTextSuite;
import io.promptunit.fixtures.catalogue.MissingFieldSuite;
import io.promptunit.fixtures.catalogue.CsvColumnsSuite;
import io.promptunit.fixtures.catalogue.CsvUnclosedQuoteSuite;
import io.promptunit.fixtures.catalogue.CsvEmptySuite;
import io.promptunit.fixtures.catalogue.JsonlEmptySuite;
import io.promptunit.fixtures.catalogue.UnknownFormatSuite;
import io.promptunit.fixtures.catalogue.MissingPromptSuite;
import io.promptunit.fixtures.catalogue.MissingSystemSuite;
import io.promptunit.fixtures.catalogue.UnclosedInSystemSuite;
import io.promptunit.fixtures.catalogue.InvalidUtf8PromptSuite;
import io.promptunit.fixtures.catalogue.NoVariableSuite;
import io.promptunit.fixtures.catalogue.BadRegexSuite;
import io.promptunit.fixtures.catalogue.WrongCheckSignatureSuite;
import io.promptunit.fixtures.catalogue.NegativeToleranceSuite;
import io.promptunit.fixtures.catalogue.EmptyRubricSuite;
import io.promptunit.fixtures.catalogue.ZeroRepeatsSuite;
import io.promptunit.fixtures.catalogue.TooManyMinPassesSuite;
import io.promptunit.fixtures.catalogue.ZeroPassRateSuite;
import io.promptunit.fixtures.catalogue.HotTemperatureSuite;
import io.promptunit.fixtures.catalogue.MissingSchemaSuite;
import io.promptunit.fixtures.catalogue.SchemaNotJsonSuite;
import io.promptunit.fixtures.catalogue.SchemaNotASchemaSuite;
import io.promptunit.fixtures.catalogue.DuplicateIdsSuite;
import io.promptunit.fixtures.catalogue.UnknownProviderSuite;
import io.promptunit.fixtures.catalogue.ExpectedValueCases;
import io.promptunit.fixtures.catalogue.MoreCases;
import io.promptunit.fixtures.catalogue.OversizeCases;
import io.promptunit.fixtures.catalogue.WrongPassCases;
import io.promptunit.testing.Models;
import io.promptunit.testing.Routers;
import io.promptunit.testing.ScriptedChatModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * Every kind of bad input we know of, each run through the engine beside a good suite: the broken
 * suite says what is wrong, where (the user's file as it sits in src/test/resources, and its line)
 * and what to do; none of its examples is reported passed; the good suite still passes.
 */
class BadInputCatalogueTest {

  private final ScriptedChatModel model = ScriptedChatModel.answering(Routers::route);

  @BeforeEach
  void useModel() {
    Models.use(model);
  }

  @AfterEach
  void clear() {
    Models.clear();
  }

  /** Where the test writes the file too large to commit: a 25-million-character string on line 2. */
  private static Path longString;

  @BeforeAll
  static void writeLongStringFile() throws Exception {
    Path catalogue = Path.of(BadInputCatalogueTest.class.getResource("/fixtures/catalogue").toURI());
    longString = catalogue.resolve("generated/long-string.jsonl");
    Files.createDirectories(longString.getParent());
    Files.writeString(longString, "{\"id\": \"r1\", \"input\": \"I was charged twice\", \"expected\": \"billing\"}\n"
        + "{\"id\": \"long\", \"input\": \"" + "a".repeat(25_000_000) + "\", \"expected\": \"sales\"}\n");
  }

  @AfterAll
  static void deleteLongStringFile() throws Exception {
    Files.deleteIfExists(longString);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(BadJsonSuite.class, List.of("src/test/resources/fixtures/bad-json.jsonl:3: bad JSON at column", "Fix:")),
        Arguments.of(MissingExpectedSuite.class, List.of("src/test/resources/fixtures/missing-expected.jsonl:2: the example has no \"expected\" value")),
        Arguments.of(DuplicateIdSuite.class, List.of("src/test/resources/fixtures/duplicate-ids.jsonl:3: duplicate id")),
        Arguments.of(MissingFileSuite.class, List.of("@PromptTest(examples = \"fixtures/no-such-file.jsonl\") not found",
            "create src/test/resources/fixtures/no-such-file.jsonl")),
        Arguments.of(MissingVariableSuite.class, List.of("src/test/resources/fixtures/missing-variable.jsonl:2: the template uses {{context}}")),
        Arguments.of(BadCheckSuite.class, List.of("@ExpectRegex(\"(unclosed\") is not a valid pattern", "unsupported signature")),
        Arguments.of(UnclosedVariableSuite.class, List.of("src/test/resources/fixtures/audit/unclosed.prompt:2", "not closed with }}")),
        Arguments.of(LatinOneSuite.class, List.of("src/test/resources/fixtures/audit/latin1.jsonl:2", "not valid UTF-8")),
        Arguments.of(NotASchemaSuite.class, List.of("src/test/resources/fixtures/audit/not-a-schema.json:1", "not a valid JSON Schema")),
        Arguments.of(NoExpectedColumnSuite.class, List.of("src/test/resources/fixtures/audit/no-expected.csv:1", "no \"expected\" column")),
        Arguments.of(NullExpectedSuite.class, List.of("src/test/resources/fixtures/audit/null-expected.jsonl:2", "\"expected\" is null")),
        Arguments.of(UnknownSplitSuite.class, List.of("src/test/resources/fixtures/catalogue/unknown-split.jsonl:2", "unknown split \"holdout\"")),
        Arguments.of(SlashInIdSuite.class, List.of("src/test/resources/fixtures/catalogue/slash-id.jsonl:1", "contains '/'")),
        Arguments.of(NotAnObjectSuite.class, List.of("src/test/resources/fixtures/catalogue/array-line.jsonl:2", "not an object")),
        Arguments.of(TrailingTextSuite.class, List.of("src/test/resources/fixtures/catalogue/trailing.jsonl:1", "bad JSON")),
        Arguments.of(MissingFieldSuite.class, List.of("src/test/resources/fixtures/catalogue/missing-id-field.jsonl:1", "no \"expected\"")),
        Arguments.of(CsvColumnsSuite.class, List.of("src/test/resources/fixtures/catalogue/columns.csv:3", "the row has 2 fields but the header has 3")),
        Arguments.of(CsvUnclosedQuoteSuite.class, List.of("src/test/resources/fixtures/catalogue/quote.csv:2", "never closed")),
        Arguments.of(CsvEmptySuite.class, List.of("src/test/resources/fixtures/catalogue/empty.csv:1", "the CSV file is empty")),
        Arguments.of(JsonlEmptySuite.class, List.of("src/test/resources/fixtures/catalogue/empty.jsonl", "the file has no examples")),
        Arguments.of(UnknownFormatSuite.class, List.of("src/test/resources/fixtures/catalogue/examples.txt", "unknown examples format")),
        Arguments.of(MissingPromptSuite.class, List.of("@PromptTest(prompt = \"fixtures/catalogue/no-such.prompt\") not found", "create src/test/resources/fixtures/catalogue/no-such.prompt")),
        Arguments.of(MissingSystemSuite.class, List.of("@PromptTest(system = \"fixtures/catalogue/no-such.system\") not found")),
        Arguments.of(UnclosedInSystemSuite.class, List.of("src/test/resources/fixtures/catalogue/unclosed.system:1", "not closed with }}")),
        Arguments.of(InvalidUtf8PromptSuite.class, List.of("src/test/resources/fixtures/catalogue/latin1.prompt:2", "not valid UTF-8")),
        Arguments.of(NoVariableSuite.class, List.of("src/test/resources/fixtures/catalogue/constant.prompt", "no {{variable}}")),
        Arguments.of(BadRegexSuite.class, List.of("@ExpectRegex(\"[unclosed\") is not a valid pattern")),
        Arguments.of(WrongCheckSignatureSuite.class, List.of("@Check method WrongCheckSignatureSuite.count() has an unsupported signature")),
        Arguments.of(NegativeToleranceSuite.class, List.of("@ExpectNumber(tolerance = -1.0) is not a finite number of 0 or more")),
        Arguments.of(io.promptunit.fixtures.catalogue.NaNToleranceSuite.class, List.of("@ExpectNumber(tolerance = NaN) is not a finite number of 0 or more")),
        Arguments.of(EmptyRubricSuite.class, List.of("@ExpectJudge(rubric) is empty")),
        Arguments.of(ZeroRepeatsSuite.class, List.of("@PromptTest(repeats = 0) must be at least 1")),
        Arguments.of(TooManyMinPassesSuite.class, List.of("@PromptTest(minPasses = 5) must be between 1 and repeats (3)")),
        Arguments.of(ZeroPassRateSuite.class, List.of("@PromptTest(minPassRate = 0.0) must be in (0, 1]")),
        Arguments.of(HotTemperatureSuite.class, List.of("@PromptTest(temperature = 5.0) must be in [0, 2]")),
        Arguments.of(MissingSchemaSuite.class, List.of("@ExpectJsonSchema(\"fixtures/catalogue/no-such.schema.json\") not found")),
        Arguments.of(SchemaNotJsonSuite.class, List.of("src/test/resources/fixtures/catalogue/broken.schema.json:2", "not valid JSON")),
        Arguments.of(SchemaNotASchemaSuite.class, List.of("src/test/resources/fixtures/catalogue/wrong.schema.json:1", "not a valid JSON Schema")),
        Arguments.of(DuplicateIdsSuite.class, List.of("src/test/resources/fixtures/catalogue/dupes.jsonl:2", "duplicate id \"r1\" (first used on line 1)")),
        Arguments.of(UnknownProviderSuite.class, List.of("Unknown model provider", "foo:bar")),
        Arguments.of(WrongPassCases.NullInput.class, List.of("src/test/resources/fixtures/catalogue/null-input.jsonl:2", "\"input\" is null")),
        Arguments.of(WrongPassCases.NullVariable.class, List.of("src/test/resources/fixtures/catalogue/null-variable.jsonl:1", "the variable \"context\" is null")),
        Arguments.of(WrongPassCases.DuplicateExpectedKey.class, List.of("src/test/resources/fixtures/catalogue/dup-expected.jsonl:1", "the field \"expected\" is given twice")),
        Arguments.of(WrongPassCases.DuplicateInputKey.class, List.of("src/test/resources/fixtures/catalogue/dup-input.jsonl:1", "the field \"input\" is given twice")),
        Arguments.of(WrongPassCases.CsvTwoExpectedColumns.class, List.of("src/test/resources/fixtures/catalogue/two-expected.csv:1", "the header names the column \"expected\" twice")),
        Arguments.of(WrongPassCases.CsvTextAfterQuote.class, List.of("src/test/resources/fixtures/catalogue/junk-after-quote.csv:2", "after the closing quote")),
        Arguments.of(WrongPassCases.EmptyPrompt.class, List.of("src/test/resources/fixtures/catalogue/empty.prompt:1", "the template is empty")),
        Arguments.of(WrongPassCases.BlankPrompt.class, List.of("src/test/resources/fixtures/catalogue/blank.prompt:1", "the template is empty")),
        Arguments.of(WrongPassCases.PromptIsDirectory.class, List.of("src/test/resources/fixtures/catalogue/prompt-dir: @PromptTest(prompt = \"fixtures/catalogue/prompt-dir\") names a directory, not a file")),
        Arguments.of(WrongPassCases.ExamplesIsDirectory.class, List.of("src/test/resources/fixtures/catalogue/examples-dir: @PromptTest(examples = \"fixtures/catalogue/examples-dir\") names a directory", "fixtures/catalogue/examples-dir/tickets.jsonl")),
        Arguments.of(WrongPassCases.SystemIsDirectory.class, List.of("@PromptTest(system = \"fixtures/catalogue/prompt-dir\") names a directory")),
        Arguments.of(WrongPassCases.SchemaIsDirectory.class, List.of("@ExpectJsonSchema(\"fixtures/catalogue/examples-dir\") names a directory")),
        Arguments.of(WrongPassCases.EmptySystem.class, List.of("src/test/resources/fixtures/catalogue/empty.system:1", "the system template is empty")),
        Arguments.of(WrongPassCases.BlankSystem.class, List.of("src/test/resources/fixtures/catalogue/blank.system:1", "the system template is empty")),
        Arguments.of(WrongPassCases.BlankRendering.class, List.of("src/test/resources/fixtures/catalogue/blank-input.jsonl:2", "the prompt for this example has no text")),
        Arguments.of(OversizeCases.DeepNesting.class, List.of("src/test/resources/fixtures/catalogue/deep.jsonl:2", "nested")),
        Arguments.of(OversizeCases.LongNumber.class, List.of("src/test/resources/fixtures/catalogue/long-number.jsonl:2", "digits")),
        Arguments.of(OversizeCases.LongFieldName.class, List.of("src/test/resources/fixtures/catalogue/long-name.jsonl:2", "field name")),
        Arguments.of(OversizeCases.LongString.class, List.of("fixtures/catalogue/generated/long-string.jsonl:2", "characters")),
        Arguments.of(OversizeCases.CheckClassCannotInitialize.class, List.of("cannot create an instance of CheckClassCannotInitialize")),
        Arguments.of(OversizeCases.FactoryClassCannotInitialize.class, List.of("FactoryClassCannotInitialize: the suite cannot be loaded")),
        Arguments.of(ExpectedValueCases.BadRegexExpected.class, List.of("src/test/resources/fixtures/catalogue/bad-regex-expected.jsonl:2", "is not a valid regular expression")),
        Arguments.of(ExpectedValueCases.NotJsonExpected.class, List.of("src/test/resources/fixtures/catalogue/not-json-expected.jsonl:2", "is not JSON, which @ExpectJson needs")),
        Arguments.of(ExpectedValueCases.NoNumberExpected.class, List.of("src/test/resources/fixtures/catalogue/no-number-expected.jsonl:2", "has no number, which @ExpectNumber needs")),
        Arguments.of(ExpectedValueCases.VariableWithoutName.class, List.of("src/test/resources/fixtures/catalogue/no-name.prompt:2", "has no name")),
        Arguments.of(ExpectedValueCases.TripleBraces.class, List.of("src/test/resources/fixtures/catalogue/triple-brace.prompt:2", "{{{input}}}")),
        Arguments.of(ExpectedValueCases.VariableWithoutNameInSystem.class, List.of("src/test/resources/fixtures/catalogue/no-name.system:1", "has no name")),
        Arguments.of(ExpectedValueCases.ObjectId.class, List.of("src/test/resources/fixtures/catalogue/object-id.jsonl:2", "the id is an object")),
        Arguments.of(ExpectedValueCases.ArrayId.class, List.of("src/test/resources/fixtures/catalogue/array-id.jsonl:2", "the id is an array")),
        Arguments.of(MoreCases.NumberSplit.class, List.of("src/test/resources/fixtures/catalogue/number-split.jsonl:2", "unknown split \"3\"")),
        Arguments.of(MoreCases.PrettyPrintedJson.class, List.of("src/test/resources/fixtures/catalogue/pretty.jsonl:1", "bad JSON")),
        Arguments.of(MoreCases.JsonArrayFile.class, List.of("src/test/resources/fixtures/catalogue/examples.json", "unknown examples format", "a JSON array of examples is not read")),
        Arguments.of(MoreCases.SemicolonCsv.class, List.of("src/test/resources/fixtures/catalogue/semicolons.csv:1", "no \"expected\" column", "this file uses semicolons")),
        Arguments.of(MoreCases.CsvHeaderOnly.class, List.of("src/test/resources/fixtures/catalogue/header-only.csv", "the file has no examples")),
        Arguments.of(MoreCases.CommentsOnly.class, List.of("src/test/resources/fixtures/catalogue/comments.jsonl", "the file has no examples")),
        Arguments.of(MoreCases.CsvLatinOne.class, List.of("src/test/resources/fixtures/catalogue/latin1.csv:2", "not valid UTF-8")),
        Arguments.of(MoreCases.SystemLatinOne.class, List.of("src/test/resources/fixtures/catalogue/latin1.system:1", "not valid UTF-8")),
        Arguments.of(MoreCases.CsvMissingVariable.class, List.of("src/test/resources/fixtures/catalogue/missing-variable.csv:2", "the template uses {{context}}")),
        Arguments.of(MoreCases.CsvDuplicateIds.class, List.of("src/test/resources/fixtures/catalogue/dupes.csv:3", "duplicate id \"r1\" (first used on line 2)")),
        Arguments.of(MoreCases.DuplicateContent.class, List.of("src/test/resources/fixtures/catalogue/same-content.jsonl:2", "duplicate id", "give both an \"id\"")),
        Arguments.of(MoreCases.EmptyInputObject.class, List.of("src/test/resources/fixtures/catalogue/empty-input.jsonl:2", "the template uses {{input}}")),
        Arguments.of(MoreCases.TrailingComma.class, List.of("src/test/resources/fixtures/catalogue/trailing-comma.jsonl:1", "bad JSON")),
        Arguments.of(MoreCases.SingleQuotes.class, List.of("src/test/resources/fixtures/catalogue/single-quotes.jsonl:1", "bad JSON")),
        Arguments.of(MoreCases.ControlCharacter.class, List.of("src/test/resources/fixtures/catalogue/control-char.jsonl:1", "bad JSON")),
        Arguments.of(MoreCases.BackslashPath.class, List.of("@PromptTest(examples = \"fixtures\\audit\\tickets.jsonl\") not found", "fixtures/audit/tickets.jsonl")),
        Arguments.of(MoreCases.SourceFolderPath.class, List.of("not found on the classpath", "examples = \"fixtures/audit/tickets.jsonl\"")),
        Arguments.of(MoreCases.SwappedFiles.class, List.of("src/test/resources/fixtures/audit/router.prompt", "unknown examples format")),
        Arguments.of(MoreCases.EmptyExamplesPath.class, List.of("@PromptTest(examples) is empty")),
        Arguments.of(MoreCases.EmptySchemaPath.class, List.of("@ExpectJsonSchema(\"\") is empty")),
        Arguments.of(MoreCases.SimilarityAboveOne.class, List.of("@ExpectSimilar(threshold = 2.0) must be in (-1, 1]")),
        Arguments.of(MoreCases.NegativeConcurrency.class, List.of("@PromptTest(concurrency = -1) must be from 0 to")),
        Arguments.of(MoreCases.CheckWithoutConstructor.class, List.of("cannot create an instance of CheckWithoutConstructor")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputIsAClearErrorNeverAPassAndNeverStopsAnotherSuite(Class<?> broken, List<String> fragments) {
    EngineExecutionResults results = EngineRuns.run(selectClass(broken), selectClass(GoodSuite.class));

    List<Event> brokenEvents = results.allEvents().finished().stream()
        .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("[suite:" + broken.getName() + "]")).toList();
    assertThat(brokenEvents).as("no example of a broken suite passes")
        .noneMatch(e -> e.getTestDescriptor().isTest() && status(e) == TestExecutionResult.Status.SUCCESSFUL);
    String messages = brokenEvents.stream().map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable())
        .flatMap(java.util.Optional::stream).map(Throwable::getMessage).collect(Collectors.joining("\n"));
    assertThat(messages).as("what the user is told").contains(fragments);
    long goodPassed = results.testEvents().succeeded().stream()
        .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("[suite:" + GoodSuite.class.getName() + "]")).count();
    assertThat(goodPassed).as("the good suite in the same run").isEqualTo(2);
  }

  @org.junit.jupiter.api.Test
  void everyBrokenSuiteInOneRunStopsNoOtherSuite() {
    List<Class<?>> broken = cases().<Class<?>>map(arguments -> (Class<?>) arguments.get()[0]).toList();
    List<DiscoverySelector> selectors = new java.util.ArrayList<>();
    broken.forEach(anchor -> selectors.add(selectClass(anchor)));
    selectors.add(selectClass(GoodSuite.class));

    EngineExecutionResults results = EngineRuns.run(selectors.toArray(new DiscoverySelector[0]));

    assertThat(results.testEvents().succeeded().stream().map(e -> e.getTestDescriptor().getUniqueId().toString()))
        .as("only the good suite's examples pass").hasSize(2)
        .allMatch(id -> id.contains("[suite:" + GoodSuite.class.getName() + "]"));
    assertThat(broken).as("every broken suite reports a failure").allSatisfy(anchor -> assertThat(results.testEvents()
        .failed().stream().map(e -> e.getTestDescriptor().getUniqueId().toString()))
        .anyMatch(id -> id.contains("[suite:" + anchor.getName() + "]")));
  }

  private static TestExecutionResult.Status status(Event event) {
    return event.getRequiredPayload(TestExecutionResult.class).getStatus();
  }
}
