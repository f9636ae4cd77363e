package io.promptunit.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** JSON Lines: one JSON object per line; blank lines and lines starting with {@code //} are skipped. */
final class JsonlFormat implements ExampleFormat {

  /** A second value on a line is an error, not silently dropped. */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        problems.accept(new SuiteProblem(file, lineNumber,
            "bad JSON at column " + e.getLocation().getColumnNr() + " (" + e.getOriginalMessage() + ")",
            "make the line one complete JSON object, e.g. {\"input\": \"...\", \"expected\": \"...\"}"));
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
}
