package io.promptunit.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.promptunit.Example;
import io.promptunit.Split;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns file records into {@link Example}s. Field rules: {@code id}, {@code expected},
 * {@code split}, {@code tags} and {@code metadata} are reserved; {@code input} is either text
 * (bound to {@code {{input}}}) or an object of template variables; any other field is a template
 * variable when the template uses it, otherwise metadata.
 */
final class ExampleFactory {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final Set<String> RESERVED = Set.of("id", "input", "expected", "split", "tags", "metadata");

  private final String file;
  private final Set<String> templateVariables;
  private final String templateNames;

  ExampleFactory(String file, Set<String> templateVariables, String templateNames) {
    this.file = file;
    this.templateVariables = templateVariables;
    this.templateNames = templateNames;
  }

  Optional<Example> create(ExampleRecord record, Consumer<SuiteProblem> problems) {
    Map<String, JsonNode> fields = record.fields();
    int line = record.line();
    List<SuiteProblem> found = new ArrayList<>();
    Map<String, Object> variables = variables(fields);
    Map<String, Object> metadata = metadata(fields);
    for (String variable : templateVariables) {
      if (!variables.containsKey(variable)) {
        found.add(new SuiteProblem(file, line, "the template uses {{" + variable
            + "}} but this example does not provide it",
            "add \"" + variable + "\" to the example (as a field, or inside \"input\": {...}); the template needs "
                + templateNames));
      }
    }
    nullVariables(fields.get("input"), variables, line, found);
    Expected expected = expected(fields.get("expected"), line, found);
    Optional<Split> split = split(fields.get("split"), line, found);
    String id = id(fields.get("id"), variables, expected.text(), line, found);
    if (!found.isEmpty()) {
      found.forEach(problems);
      return Optional.empty();
    }
    return Optional.of(new Example(id, variables, expected.text(), expected.json(), split, tags(fields.get("tags")),
        metadata, file, line));
  }

  /**
   * {@code input} (text for {@code {{input}}}, or an object of variables), then the template's variables given as
   * fields.
   */
  private Map<String, Object> variables(Map<String, JsonNode> fields) {
    Map<String, Object> variables = new LinkedHashMap<>();
    JsonNode input = fields.get("input");
    if (input != null && input.isObject()) {
      input.fields().forEachRemaining(e -> variables.put(e.getKey(), text(e.getValue())));
    } else if (input != null) {
      variables.put("input", text(input));
    }
    fields.forEach((name, value) -> {
      if (!RESERVED.contains(name) && templateVariables.contains(name) && !variables.containsKey(name)) {
        variables.put(name, text(value));
      }
    });
    return variables;
  }

  /**
   * A variable given as JSON {@code null} would reach the model as the text "null": a problem of its
   * line, like a missing one.
   */
  private void nullVariables(JsonNode input, Map<String, Object> variables, int line, List<SuiteProblem> found) {
    variables.forEach((name, value) -> {
      if (value != null) {
        return;
      }
      boolean plainInput = name.equals("input") && input != null && input.isNull();
      found.add(plainInput
          ? new SuiteProblem(file, line, "\"input\" is null",
              "write the input the prompt gets, e.g. \"input\": \"I was charged twice\"; for an empty input write "
                  + "\"input\": \"\"")
          : new SuiteProblem(file, line, "the variable \"" + name + "\" is null",
              "give \"" + name + "\" a value; for an empty one write \"" + name + "\": \"\""));
    });
  }

  /**
   * Every non-reserved field not taken as a variable (one the {@code input} object already gives
   * stays metadata), and the fields of an explicit {@code metadata} object.
   */
  private Map<String, Object> metadata(Map<String, JsonNode> fields) {
    JsonNode input = fields.get("input");
    Set<String> fromInput = new java.util.HashSet<>();
    if (input != null && input.isObject()) {
      input.fieldNames().forEachRemaining(fromInput::add);
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    fields.forEach((name, value) -> {
      boolean takenAsVariable = templateVariables.contains(name) && !fromInput.contains(name);
      if (!RESERVED.contains(name) && !takenAsVariable) {
        metadata.put(name, plain(value));
      }
    });
    JsonNode explicit = fields.get("metadata");
    if (explicit != null && explicit.isObject()) {
      explicit.fields().forEachRemaining(e -> metadata.put(e.getKey(), plain(e.getValue())));
    }
    return metadata;
  }

  /** The expected output: a string as it is, any other JSON value as JSON text (compared as JSON). */
  private record Expected(String text, boolean json) {}

  private Expected expected(JsonNode node, int line, List<SuiteProblem> found) {
    if (node == null) {
      found.add(new SuiteProblem(file, line, "the example has no \"expected\" value",
          "add the output the prompt should produce, e.g. \"expected\": \"billing\" (or a JSON object)"));
      return new Expected(null, false);
    }
    if (node.isNull()) {
      found.add(new SuiteProblem(file, line, "\"expected\" is null",
          "write the output the prompt should produce, e.g. \"expected\": \"billing\"; "
              + "for an empty answer write \"expected\": \"\""));
      return new Expected(null, false);
    }
    return node.isTextual() ? new Expected(node.textValue(), false) : new Expected(node.toString(), true);
  }

  private Optional<Split> split(JsonNode node, int line, List<SuiteProblem> found) {
    if (node == null || node.isNull() || node.asText().isBlank()) {
      return Optional.empty();
    }
    Optional<Split> split = Split.parse(node.asText());
    if (split.isEmpty()) {
      found.add(new SuiteProblem(file, line, "unknown split \"" + node.asText() + "\"",
          "use \"train\", \"dev\" or \"test\", or leave the split out"));
    }
    return split;
  }

  /** The given id, or a hash of the example's content (never its position). */
  private String id(JsonNode node, Map<String, Object> variables, String expected, int line, List<SuiteProblem> found) {
    if (node != null && node.isContainerNode()) {
      found.add(new SuiteProblem(file, line, "the id is " + (node.isObject() ? "an object" : "an array"),
          "write the id as text, e.g. \"id\": \"refund-1\", or leave it out for an id made from the content"));
      return "";
    }
    if (node == null || node.isNull() || node.asText().isBlank()) {
      return contentHash(variables, expected);
    }
    String id = node.asText().strip();
    if (id.contains("/") || id.contains("[") || id.contains("]")) {
      found.add(new SuiteProblem(file, line, "the id \"" + id + "\" contains '/', '[' or ']'",
          "use letters, digits, '-', '_', '.' or ':' in ids"));
    }
    return id;
  }

  private static List<String> tags(JsonNode node) {
    List<String> tags = new ArrayList<>();
    if (node == null || node.isNull()) {
      return tags;
    }
    if (node.isArray()) {
      node.forEach(tag -> tags.add(tag.asText()));
    } else {
      for (String tag : node.asText().split("[;|,]")) {
        if (!tag.isBlank()) {
          tags.add(tag.strip());
        }
      }
    }
    return tags;
  }

  /** Template values are text: strings as they are, other JSON values as compact JSON; null stays null. */
  private static String text(JsonNode value) {
    if (value.isNull()) {
      return null;
    }
    return value.isTextual() ? value.textValue() : value.toString();
  }

  private static Object plain(JsonNode value) {
    Object converted = JSON.convertValue(value, Object.class);
    return converted == null ? "null" : converted;
  }

  /** A stable id from what the example says (its variables and expected value), never from its position. */
  static String contentHash(Map<String, Object> variables, String expected) {
    try {
      String canonical = JSON.writeValueAsString(List.of(new TreeMap<>(variables), String.valueOf(expected)));
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return "h" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
