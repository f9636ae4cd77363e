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

  private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
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

    Map<String, Object> variables = new LinkedHashMap<>();
    Map<String, Object> metadata = new LinkedHashMap<>();
    JsonNode input = fields.get("input");
    if (input != null) {
      if (input.isObject()) {
        input.fields().forEachRemaining(e -> variables.put(e.getKey(), text(e.getValue())));
      } else {
        variables.put("input", text(input));
      }
    }
    fields.forEach((name, value) -> {
      if (RESERVED.contains(name)) {
        return;
      }
      if (templateVariables.contains(name) && !variables.containsKey(name)) {
        variables.put(name, text(value));
      } else {
        metadata.put(name, plain(value));
      }
    });
    JsonNode explicitMetadata = fields.get("metadata");
    if (explicitMetadata != null && explicitMetadata.isObject()) {
      explicitMetadata.fields().forEachRemaining(e -> metadata.put(e.getKey(), plain(e.getValue())));
    }

    for (String variable : templateVariables) {
      if (!variables.containsKey(variable)) {
        found.add(new SuiteProblem(file, line, "the template uses {{" + variable + "}} but this example does not provide it",
            "add \"" + variable + "\" to the example (as a field, or inside \"input\": {...}); the template needs " + templateNames));
      }
    }

    JsonNode expectedNode = fields.get("expected");
    String expected = null;
    boolean expectedIsJson = false;
    if (expectedNode == null) {
      found.add(new SuiteProblem(file, line, "the example has no \"expected\" value",
          "add the output the prompt should produce, e.g. \"expected\": \"billing\" (or a JSON object)"));
    } else if (expectedNode.isNull()) {
      found.add(new SuiteProblem(file, line, "\"expected\" is null",
          "write the output the prompt should produce, e.g. \"expected\": \"billing\"; for an empty answer write \"expected\": \"\""));
    } else if (expectedNode.isTextual()) {
      expected = expectedNode.textValue();
    } else {
      expected = expectedNode.toString();
      expectedIsJson = true;
    }

    Optional<Split> split = Optional.empty();
    JsonNode splitNode = fields.get("split");
    if (splitNode != null && !splitNode.isNull() && !splitNode.asText().isBlank()) {
      split = Split.parse(splitNode.asText());
      if (split.isEmpty()) {
        found.add(new SuiteProblem(file, line, "unknown split \"" + splitNode.asText() + "\"",
            "use \"train\", \"dev\" or \"test\", or leave the split out"));
      }
    }

    List<String> tags = tags(fields.get("tags"));

    String id;
    JsonNode idNode = fields.get("id");
    if (idNode != null && !idNode.isNull() && !idNode.asText().isBlank()) {
      id = idNode.asText().strip();
      if (id.contains("/") || id.contains("[") || id.contains("]")) {
        found.add(new SuiteProblem(file, line, "the id \"" + id + "\" contains '/', '[' or ']'",
            "use letters, digits, '-', '_', '.' or ':' in ids"));
      }
    } else {
      id = contentHash(variables, expected);
    }

    if (!found.isEmpty()) {
      found.forEach(problems);
      return Optional.empty();
    }
    return Optional.of(new Example(id, variables, expected, expectedIsJson, split, tags, metadata, file, line));
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

  /** Template values are text: strings as they are, other JSON values as compact JSON. */
  private static String text(JsonNode value) {
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
