package io.promptunit.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.promptunit.Example;
import io.promptunit.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading examples files: JSON Lines and CSV, with every problem told as file:line. */
class ExampleFilesTest {

  private static final Set<String> INPUT_ONLY = Set.of("input");

  @TempDir
  Path directory;

  /** What reading one file produced. */
  private record Read(List<Example> examples, List<SuiteProblem> problems) {

    Example only() {
      assertThat(problems).isEmpty();
      assertThat(examples).hasSize(1);
      return examples.get(0);
    }

    SuiteProblem onlyProblem() {
      assertThat(problems).hasSize(1);
      return problems.get(0);
    }
  }

  private Read read(String fileName, String content, Set<String> variables) {
    try {
      Path file = directory.resolve(fileName);
      Files.writeString(file, content, StandardCharsets.UTF_8);
      List<SuiteProblem> problems = new ArrayList<>();
      List<Example> examples = SuiteLoader.readExamples(new Resource(fileName, file.toUri().toURL()), variables, problems);
      return new Read(examples, problems);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Read jsonl(String content) {
    return read("x.jsonl", content, INPUT_ONLY);
  }

  private Read jsonl(String content, Set<String> variables) {
    return read("x.jsonl", content, variables);
  }

  private Read csv(String content) {
    return read("x.csv", content, INPUT_ONLY);
  }

  @Nested
  class JsonLines {

    @Test
    void blankLinesAndCommentsAreSkippedAndLineNumbersKept() {
      Read read = jsonl("""
          // routing examples
          {"id": "a", "input": "refund me", "expected": "billing"}

            // an indented comment
          {"id": "b", "input": "app crashes", "expected": "technical"}
          """);

      assertThat(read.problems()).isEmpty();
      assertThat(read.examples()).extracting(Example::id, Example::line).containsExactly(
          tuple("a", 2), tuple("b", 5));
      assertThat(read.examples().get(1).location()).isEqualTo("x.jsonl:5");
    }

    @Test
    void aByteOrderMarkOnTheFirstLineIsIgnored() {
      Example example = jsonl("\uFEFF{\"id\": \"a\", \"input\": \"refund me\", \"expected\": \"billing\"}\n").only();

      assertThat(example.id()).isEqualTo("a");
      assertThat(example.line()).isEqualTo(1);
    }

    @Test
    void aLineThatIsJsonButNotAnObjectIsAProblemOnItsLine() {
      Read read = jsonl("""
          {"id": "a", "input": "refund me", "expected": "billing"}
          ["not", "an", "object"]
          """);

      assertThat(read.examples()).extracting(Example::id).containsExactly("a");
      assertThat(read.onlyProblem().describe()).startsWith("x.jsonl:2: the line is JSON but not an object");
    }

    @Test
    void badJsonIsAProblemOnItsLine() {
      SuiteProblem problem = jsonl("{\"input\": \"refund me\", \"expected\": \n").onlyProblem();

      assertThat(problem.location()).isEqualTo("x.jsonl:1");
      assertThat(problem.message()).startsWith("bad JSON");
    }

    @Test
    void aTextInputIsTheInputVariable() {
      Example example = jsonl("{\"input\": \"refund me\", \"expected\": \"billing\"}").only();

      assertThat(example.variables()).isEqualTo(Map.of("input", "refund me"));
      assertThat(example.input()).isEqualTo("refund me");
    }

    @Test
    void anObjectInputProvidesOneVariablePerField() {
      Example example = jsonl("{\"input\": {\"subject\": \"Site down\", \"body\": \"All users get 502\"}, \"expected\": \"P2\"}",
          Set.of("subject", "body")).only();

      assertThat(example.variables()).isEqualTo(Map.of("subject", "Site down", "body", "All users get 502"));
    }

    @Test
    void anExtraFieldIsAVariableWhenTheTemplateUsesItAndMetadataOtherwise() {
      Example example = jsonl("{\"input\": \"Hallo\", \"language\": \"de\", \"source\": \"zendesk\", \"expected\": \"greeting\"}",
          Set.of("input", "language")).only();

      assertThat(example.variables()).isEqualTo(Map.of("input", "Hallo", "language", "de"));
      assertThat(example.metadata()).isEqualTo(Map.of("source", "zendesk"));
    }

    @Test
    void anExplicitMetadataObjectBecomesMetadataAsPlainJavaValues() {
      Example example = jsonl("{\"input\": \"x\", \"expected\": \"y\", \"metadata\": {\"priority\": 2, \"owner\": \"ann\", \"flags\": [true]}}").only();

      assertThat(example.metadata()).isEqualTo(Map.of("priority", 2, "owner", "ann", "flags", List.of(true)));
    }

    @Test
    void aTextExpectedValueIsKeptAsItIs() {
      Example example = jsonl("{\"input\": \"x\", \"expected\": \" billing \"}").only();

      assertThat(example.expected()).isEqualTo(" billing ");
      assertThat(example.expectedIsJson()).isFalse();
    }

    @Test
    void aJsonExpectedValueIsFlaggedAndGivenAsCompactJsonText() {
      Example example = jsonl("{\"input\": \"x\", \"expected\": {\"team\": \"billing\",  \"urgent\": false}}").only();

      assertThat(example.expectedIsJson()).isTrue();
      assertThat(example.expected()).isEqualTo("{\"team\":\"billing\",\"urgent\":false}");
    }

    @Test
    void aNumberExpectedValueIsJsonToo() {
      Example example = jsonl("{\"input\": \"x\", \"expected\": 42}").only();

      assertThat(example.expectedIsJson()).isTrue();
      assertThat(example.expected()).isEqualTo("42");
    }

    @Test
    void tagsAreReadFromAnArray() {
      Example example = jsonl("{\"input\": \"x\", \"expected\": \"y\", \"tags\": [\"refund\", \"money\"]}").only();

      assertThat(example.tags()).containsExactly("refund", "money");
    }

    @Test
    void theSplitIsRead() {
      Example example = jsonl("{\"input\": \"x\", \"expected\": \"y\", \"split\": \"Dev\"}").only();

      assertThat(example.split()).contains(Split.DEV);
    }

    @Test
    void anUnknownSplitIsAProblemNamingTheLine() {
      Read read = jsonl("""
          {"input": "a", "expected": "y", "split": "train"}
          {"input": "b", "expected": "y", "split": "holdout"}
          """);

      SuiteProblem problem = read.onlyProblem();
      assertThat(problem.location()).isEqualTo("x.jsonl:2");
      assertThat(problem.message()).isEqualTo("unknown split \"holdout\"");
      assertThat(read.examples()).hasSize(1);
    }

    @Test
    void anIdContainingASlashIsRejected() {
      SuiteProblem problem = jsonl("{\"id\": \"refund/1\", \"input\": \"x\", \"expected\": \"y\"}").onlyProblem();

      assertThat(problem.location()).isEqualTo("x.jsonl:1");
      assertThat(problem.message()).contains("\"refund/1\"").contains("'/'");
    }

    @Test
    void aMissingTemplateVariableIsAProblemNamingTheVariable() {
      SuiteProblem problem = jsonl("{\"input\": \"x\", \"expected\": \"y\"}", Set.of("input", "language")).onlyProblem();

      assertThat(problem.message()).contains("{{language}}");
    }

    @Test
    void aNullInputIsAProblemOnItsLineNeverTheTextNull() {
      Read read = jsonl("""
          {"id": "a", "input": "refund me", "expected": "billing"}
          {"id": "b", "input": null, "expected": "billing"}
          """);

      assertThat(read.examples()).extracting(Example::id).containsExactly("a");
      SuiteProblem problem = read.onlyProblem();
      assertThat(problem.location()).isEqualTo("x.jsonl:2");
      assertThat(problem.message()).isEqualTo("\"input\" is null");
      assertThat(problem.fix()).contains("\"input\": \"\"");
    }

    @Test
    void aNullVariableInsideTheInputObjectOrAsAFieldIsAProblem() {
      Read read = jsonl("""
          {"input": {"subject": null, "body": "502"}, "expected": "P2"}
          {"subject": "Site down", "body": null, "expected": "P2"}
          """, Set.of("subject", "body"));

      assertThat(read.examples()).isEmpty();
      assertThat(read.problems()).extracting(SuiteProblem::describe).satisfiesExactly(
          first -> assertThat(first).startsWith("x.jsonl:1: the variable \"subject\" is null"),
          second -> assertThat(second).startsWith("x.jsonl:2: the variable \"body\" is null"));
    }

    @Test
    void aKeyGivenTwiceIsAProblemOnItsLineNeverTheLastValue() {
      Read read = jsonl("""
          {"id": "a", "input": "refund me", "expected": "technical", "expected": "billing"}
          {"id": "b", "input": {"input": "x", "input": "y"}, "expected": "billing"}
          """);

      assertThat(read.examples()).isEmpty();
      assertThat(read.problems()).extracting(SuiteProblem::location).containsExactly("x.jsonl:1", "x.jsonl:2");
      assertThat(read.problems().get(0).message()).startsWith("the field \"expected\" is given twice");
      assertThat(read.problems().get(1).message()).startsWith("the field \"input\" is given twice");
      assertThat(read.problems().get(0).fix()).contains("keep one");
    }

    @Test
    void anIdThatIsAnObjectOrAnArrayIsAProblemNotAHash() {
      Read read = jsonl("""
          {"id": {"n": 1}, "input": "x", "expected": "y"}
          {"id": ["r", 2], "input": "z", "expected": "y"}
          {"id": 7, "input": "w", "expected": "y"}
          """);

      assertThat(read.examples()).extracting(Example::id).containsExactly("7");
      assertThat(read.problems()).extracting(SuiteProblem::describe).satisfiesExactly(
          first -> assertThat(first).startsWith("x.jsonl:1: the id is an object"),
          second -> assertThat(second).startsWith("x.jsonl:2: the id is an array"));
    }

    @Test
    void aLineNestedDeeperThanJacksonAllowsIsAProblemOnItsLine() {
      String deep = "[".repeat(1_001) + "]".repeat(1_001);
      Read read = jsonl("{\"id\": \"a\", \"input\": \"x\", \"expected\": \"y\"}\n"
          + "{\"id\": \"b\", \"input\": \"x\", \"expected\": " + deep + "}\n");

      assertThat(read.examples()).extracting(Example::id).containsExactly("a");
      SuiteProblem problem = read.onlyProblem();
      assertThat(problem.location()).isEqualTo("x.jsonl:2");
      assertThat(problem.message()).contains("nested").contains("1000");
    }

    @Test
    void aStringLongerThanJacksonAllowsIsAProblemOnItsLine() {
      String huge = "a".repeat(25_000_000);
      SuiteProblem problem = jsonl("{\"input\": \"" + huge + "\", \"expected\": \"y\"}\n").onlyProblem();

      assertThat(problem.location()).isEqualTo("x.jsonl:1");
      assertThat(problem.message()).contains("characters");
      assertThat(problem.describe()).hasSizeLessThan(1_000);
    }

    @Test
    void aNumberLongerThanJacksonAllowsIsAProblemOnItsLine() {
      SuiteProblem problem = jsonl("{\"input\": \"x\", \"expected\": " + "9".repeat(1_500) + "}\n").onlyProblem();

      assertThat(problem.location()).isEqualTo("x.jsonl:1");
      assertThat(problem.message()).contains("digits");
    }

    @Test
    void textAfterTheObjectOnALineIsAProblem() {
      Read read = jsonl("{\"id\": \"a\", \"input\": \"x\", \"expected\": \"y\"} {\"id\": \"b\", \"input\": \"z\", \"expected\": \"w\"}\n");

      assertThat(read.problems()).extracting(SuiteProblem::location).containsExactly("x.jsonl:1");
    }
  }

  @Nested
  class ContentHashIds {

    private static final String LINE = "{\"input\": \"Invoice shows the wrong VAT number\", \"expected\": \"billing\"}";

    @Test
    void anExampleWithoutIdGetsAShortHashId() {
      assertThat(jsonl(LINE).only().id()).matches("h[0-9a-f]{12}");
    }

    @Test
    void theIdIsStableAcrossReads() {
      assertThat(jsonl(LINE).only().id()).isEqualTo(jsonl(LINE).only().id());
    }

    @Test
    void theIdIsStableAcrossRunsAndVersions() {
      // Ids name tests in reports, reruns and cassettes: the hash of {input, expected} must never change.
      assertThat(jsonl(LINE).only().id()).isEqualTo("h2d6ff2d01535");
    }

    @Test
    void theIdDoesNotDependOnTheLine() {
      Example first = jsonl(LINE).only();
      Example moved = jsonl("// moved down\n\n" + LINE).only();

      assertThat(moved.line()).isEqualTo(3);
      assertThat(moved.id()).isEqualTo(first.id());
    }

    @Test
    void theIdDependsOnTheContent() {
      assertThat(jsonl(LINE.replace("billing", "account")).only().id()).isNotEqualTo(jsonl(LINE).only().id());
    }
  }

  @Nested
  class Csv {

    @Test
    void theHeaderNamesTheFieldsAndRowsStartOnLineTwo() {
      Example example = csv("id,input,expected,split\nr1,refund me,billing,train\n").only();

      assertThat(example.id()).isEqualTo("r1");
      assertThat(example.input()).isEqualTo("refund me");
      assertThat(example.expected()).isEqualTo("billing");
      assertThat(example.split()).contains(Split.TRAIN);
      assertThat(example.line()).isEqualTo(2);
    }

    @Test
    void aQuotedCellMayContainCommas() {
      Example example = csv("id,input,expected\nr1,\"Hello, world\",greeting\n").only();

      assertThat(example.input()).isEqualTo("Hello, world");
    }

    @Test
    void aDoubledQuoteInAQuotedCellIsOneQuote() {
      Example example = csv("id,input,expected\nr1,\"He said \"\"hi\"\"\",greeting\n").only();

      assertThat(example.input()).isEqualTo("He said \"hi\"");
    }

    @Test
    void aQuotedCellMaySpanLinesAndTheExampleKeepsTheLineWhereItsRecordStarts() {
      Read read = csv("""
          id,input,expected
          a,one line,x
          b,"first line
          second line",y
          c,after,z
          """);

      assertThat(read.problems()).isEmpty();
      assertThat(read.examples()).extracting(Example::line).containsExactly(2, 3, 5);
      assertThat(read.examples().get(1).input()).isEqualTo("first line\nsecond line");
    }

    @Test
    void aRowWithTheWrongNumberOfColumnsIsAProblemNamingItsLine() {
      Read read = csv("""
          id,input,expected
          a,fine,x
          b,Hello, world,y
          """);

      SuiteProblem problem = read.onlyProblem();
      assertThat(problem.location()).isEqualTo("x.csv:3");
      assertThat(problem.message()).isEqualTo("the row has 4 fields but the header has 3");
      assertThat(read.examples()).extracting(Example::id).containsExactly("a");
    }

    @Test
    void aWrongRowAfterAMultiLineCellIsNamedByItsOwnLine() {
      SuiteProblem problem = csv("id,input,expected\na,\"two\nlines\",x\nb,short\n").onlyProblem();

      assertThat(problem.location()).isEqualTo("x.csv:4");
    }

    @Test
    void anUnclosedQuoteIsAProblemNamingTheLineWhereItOpens() {
      Read read = csv("""
          id,input,expected
          a,fine,x
          b,"never closed,y
          c,more,z
          """);

      SuiteProblem problem = read.onlyProblem();
      assertThat(problem.location()).isEqualTo("x.csv:3");
      assertThat(problem.message()).contains("never closed");
    }

    @Test
    void aColumnNamedTwiceIsAProblemOfTheHeaderNeverTheLastValue() {
      Read read = csv("""
          id,input,expected,expected
          r1,refund me,technical,billing
          """);

      assertThat(read.examples()).isEmpty();
      SuiteProblem problem = read.onlyProblem();
      assertThat(problem.location()).isEqualTo("x.csv:1");
      assertThat(problem.message()).isEqualTo("the header names the column \"expected\" twice (columns 3 and 4)");
    }

    @Test
    void textAfterTheClosingQuoteOfACellIsAProblemOnItsLine() {
      Read read = csv("""
          id,input,expected
          r1,refund me,"billing" ajunk
          r2,"a, b" ,billing
          """);

      SuiteProblem problem = read.onlyProblem();
      assertThat(problem.location()).isEqualTo("x.csv:2");
      assertThat(problem.message()).contains("after the closing quote").contains("ajunk");
      assertThat(read.examples()).extracting(Example::id, Example::input).containsExactly(tuple("r2", "a, b"));
    }

    @Test
    void anEmptyFileIsAProblem() {
      SuiteProblem problem = csv("").onlyProblem();

      assertThat(problem.message()).isEqualTo("the CSV file is empty");
      assertThat(problem.fix()).contains("header row");
    }

    @Test
    void tagsAreSeparatedBySemicolons() {
      Example example = csv("id,input,expected,tags\nr1,refund me,billing,refund; money;\n").only();

      assertThat(example.tags()).containsExactly("refund", "money");
    }

    @Test
    void anEmptyTagsCellMeansNoTags() {
      assertThat(csv("id,input,expected,tags\nr1,refund me,billing,\n").only().tags()).isEmpty();
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsIgnored() {
      Example example = csv("\uFEFFid,input,expected\nr1,refund me,billing\n").only();

      assertThat(example.id()).isEqualTo("r1");
    }

    @Test
    void otherColumnsAreVariablesWhenTheTemplateUsesThemAndMetadataOtherwise() {
      Example example = read("x.csv", "review,product,expected,source\nGreat,blender,positive,shop\n", Set.of("review", "product")).only();

      assertThat(example.variables()).isEqualTo(Map.of("review", "Great", "product", "blender"));
      assertThat(example.metadata()).isEqualTo(Map.of("source", "shop"));
    }
  }

  @Test
  void anUnknownFileExtensionIsAProblem() {
    SuiteProblem problem = read("x.yaml", "input: x\n", INPUT_ONLY).onlyProblem();

    assertThat(problem.message()).isEqualTo("unknown examples format");
  }

  @Test
  void aFileWithoutExamplesIsAProblem() {
    SuiteProblem problem = jsonl("// nothing yet\n\n").onlyProblem();

    assertThat(problem.message()).isEqualTo("the file has no examples");
  }
}
