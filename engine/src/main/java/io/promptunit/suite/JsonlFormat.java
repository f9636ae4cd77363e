package io.promptunit.suite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * JSON Lines: one JSON object per line; blank lines and lines starting with {@code //} are skipped. A
 * line is read strictly: a key given twice, a second value after the object, or a line beyond the
 * reader's limits ({@link #LIMITS}) is a problem of that line, never a silently chosen value.
 */
final class JsonlFormat implements ExampleFormat {

  /** How deep a line may nest, and how long its strings, numbers and field names may be. */
  static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
      .maxNestingDepth(1_000)
      .maxStringLength(20_000_000)
      .maxNumberLength(1_000)
      .maxNameLength(50_000)
      .build();

  /** A key given twice is an error (never the last value wins); so is a second value on a line. */
  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(LIMITS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static final String ONE_OBJECT = "make the line one complete JSON object, e.g. "
      + "{\"input\": \"...\", \"expected\": \"...\"}";

  @Override
  public void read(String file, BufferedReader reader, Consumer<ExampleRecord> records, Consumer<SuiteProblem> problems)
      throws IOException {
    int lineNumber = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      String text = lineNumber == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
      if (text.isBlank() || text.stripLeading().startsWith("//")) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        problems.accept(unreadable(file, lineNumber, e));
        continue;
      }
      if (node == null || !node.isObject()) {
        problems.accept(new SuiteProblem(file, lineNumber, "the line is JSON but not an object",
            "write each example as one JSON object, e.g. {\"input\": \"...\", \"expected\": \"...\"}"));
        continue;
      }
      Map<String, JsonNode> fields = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
      records.accept(new ExampleRecord(lineNumber, fields));
    }
  }

  /** Why a line cannot be read: a key given twice, a limit passed, or JSON that is not well-formed. */
  private static SuiteProblem unreadable(String file, int line, JsonProcessingException e) {
    if (e instanceof StreamConstraintsException) {
      return beyondLimits(file, line, e.getOriginalMessage());
    }
    String column = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
    if (e instanceof JsonParseException && e.getOriginalMessage().startsWith("Duplicate field")) {
      String name = duplicateName((JsonParseException) e);
      return new SuiteProblem(file, line, "the field \"" + name + "\" is given twice" + column,
          "keep one \"" + name + "\" in the object: with two, only one of the values could count");
    }
    return new SuiteProblem(file, line, "bad JSON" + column + " (" + e.getOriginalMessage() + ")", ONE_OBJECT);
  }

  /** The key the parser read twice: the name it was at when it stopped. */
  private static String duplicateName(JsonParseException e) {
    try {
      JsonParser parser = e.getProcessor();
      return parser != null && parser.currentName() != null ? parser.currentName() : "?";
    } catch (IOException unreadable) {
      return "?";
    }
  }

  /**
   * A line beyond {@link #LIMITS}. Jackson's exception carries no location and no kind but its
   * message, which starts with what was too large.
   */
  private static SuiteProblem beyondLimits(String file, int line, String reason) {
    String what;
    if (reason.startsWith("Document nesting depth")) {
      what = "the line is nested more than " + LIMITS.getMaxNestingDepth() + " levels deep";
    } else if (reason.startsWith("String value length")) {
      what = "a string on the line is longer than " + LIMITS.getMaxStringLength() + " characters";
    } else if (reason.startsWith("Number value length")) {
      what = "a number on the line has more than " + LIMITS.getMaxNumberLength() + " digits";
    } else if (reason.startsWith("Name length")) {
      what = "a field name on the line is longer than " + LIMITS.getMaxNameLength() + " characters";
    } else {
      what = "the line is too large to read (" + reason + ")";
    }
    return new SuiteProblem(file, line, what,
        "shorten the line: an example is read only within these limits, so that one file cannot stop the run");
  }
}
