package io.promptunit.check;

import io.promptunit.check.Conversation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import io.promptunit.Example;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The checks that read the output as JSON. */
final class JsonChecks {

  /** Text after the JSON value ("... Hope this helps!") makes an output invalid JSON. */
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern FENCE = Pattern.compile("^```[a-zA-Z0-9_-]*\\s*\\n(.*?)\\n?```\\s*$", Pattern.DOTALL);

  /** Numbers compare by value (1 equals 1.0); everything else as Jackson does. */
  private static final Comparator<JsonNode> NUMERIC_AWARE = (a, b) -> {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.equals(b) ? 0 : 1;
  };

  private JsonChecks() {}

  /** The output as JSON, tolerating a Markdown code fence around it. */
  static Optional<JsonNode> parse(String output) {
    String text = output.strip();
    Matcher fence = FENCE.matcher(text);
    if (fence.matches()) {
      text = fence.group(1).strip();
    }
    try {
      JsonNode node = JSON.readTree(text);
      return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  static String pretty(JsonNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return node.toString();
    }
  }

  static final class Equality implements OutputCheck {
    private final List<String> fields;

    Equality(List<String> fields) {
      this.fields = List.copyOf(fields);
    }

    @Override
    public String name() {
      return fields.isEmpty() ? "JSON equality" : "JSON equality of " + String.join(", ", fields);
    }

    @Override
    public Optional<CheckFailure> check(Example example, Conversation conversation, String output) {
      Optional<JsonNode> expected = parse(example.expected());
      if (expected.isEmpty()) {
        return Optional.of(new CheckFailure(name(), "the expected value of " + example.location()
            + " is not JSON; write it as a JSON value in the examples file", example.expected(), output));
      }
      Optional<JsonNode> actual = parse(output);
      if (actual.isEmpty()) {
        return Optional.of(new CheckFailure(name(), "the output is not valid JSON", pretty(expected.get()), output));
      }
      if (fields.isEmpty()) {
        return expected.get().equals(NUMERIC_AWARE, actual.get())
            ? Optional.empty()
            : Optional.of(new CheckFailure(name(), "the output JSON differs from the expected JSON",
                pretty(expected.get()), pretty(actual.get())));
      }
      List<String> differing = fields.stream()
          .filter(field -> !expected.get().path(field).equals(NUMERIC_AWARE, actual.get().path(field)))
          .collect(Collectors.toList());
      if (differing.isEmpty()) {
        return Optional.empty();
      }
      String detail = differing.stream()
          .map(f -> f + (actual.get().path(f) instanceof MissingNode ? " (missing)" : ""))
          .collect(Collectors.joining(", "));
      return Optional.of(new CheckFailure(name(), "fields differ: " + detail,
          pretty(project(expected.get(), fields)), pretty(project(actual.get(), fields))));
    }

    private static JsonNode project(JsonNode node, List<String> fields) {
      com.fasterxml.jackson.databind.node.ObjectNode projection = JSON.createObjectNode();
      for (String field : fields) {
        if (node.has(field)) {
          projection.set(field, node.get(field));
        }
      }
      return projection;
    }
  }

  static final class SchemaValidity implements OutputCheck {
    private final String schemaPath;
    private final JsonSchema schema;

    SchemaValidity(String schemaPath, JsonNode schemaNode) {
      this.schemaPath = schemaPath;
      SpecVersion.VersionFlag version = SpecVersionDetector.detectOptionalVersion(schemaNode, false)
          .orElse(SpecVersion.VersionFlag.V202012);
      JsonSchemaFactory factory = JsonSchemaFactory.getInstance(version);
      // A schema that is JSON but not a schema ({"type": 17}) would fail every example confusingly:
      // check it against its meta-schema (bundled with the validator, no network) once, up front.
      Set<ValidationMessage> invalid = factory.getSchema(com.networknt.schema.SchemaLocation.of(version.getId()))
          .validate(schemaNode);
      if (!invalid.isEmpty()) {
        throw new IllegalArgumentException("it is not a valid JSON Schema: "
            + invalid.stream().map(ValidationMessage::getMessage).sorted().limit(5).collect(Collectors.joining("; ")));
      }
      this.schema = factory.getSchema(schemaNode);
    }

    @Override
    public String name() {
      return "JSON Schema " + schemaPath;
    }

    @Override
    public Optional<CheckFailure> check(Example example, Conversation conversation, String output) {
      Optional<JsonNode> actual = parse(output);
      if (actual.isEmpty()) {
        return Optional.of(new CheckFailure(name(), "the output is not valid JSON",
            "JSON valid against " + schemaPath, output));
      }
      Set<ValidationMessage> errors = schema.validate(actual.get());
      if (errors.isEmpty()) {
        return Optional.empty();
      }
      String listed = errors.stream().map(ValidationMessage::getMessage).sorted().limit(5)
          .collect(Collectors.joining("; "));
      return Optional.of(new CheckFailure(name(), "the output violates the schema: " + listed,
          "JSON valid against " + schemaPath, pretty(actual.get())));
    }
  }
}
