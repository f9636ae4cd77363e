package io.promptunit.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.promptunit.Example;
import io.promptunit.suite.InvalidSuiteException;
import io.promptunit.suite.SuiteProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in checks applied to one output outside a suite — by AssertJ assertions and plain-Java
 * callers — with the very code of the {@code @Expect...} annotations, so that an assertion and a
 * suite never disagree about the same output.
 *
 * <pre>{@code
 * Optional<CheckFailure> failure = OutputChecks.jsonSchema(getClass().getClassLoader(), "prompts/contact.schema.json")
 *     .check(OutputChecks.expecting(""), null, output);
 * }</pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class OutputChecks {

  private OutputChecks() {}

  /**
   * {@code @ExpectJsonSchema(path)}: the output is JSON valid against the schema at the classpath {@code path}.
   *
   * @throws InvalidSuiteException when the schema is missing or not a JSON Schema, naming the file and what to do
   */
  public static OutputCheck jsonSchema(ClassLoader loader, String path) {
    List<SuiteProblem> problems = new ArrayList<>();
    Optional<OutputCheck> check = Checks.schemaCheck(loader, path, "the JSON Schema assertion", problems);
    if (check.isEmpty()) {
      throw new InvalidSuiteException(problems);
    }
    return check.get();
  }

  /** {@code @ExpectJson(fields)}: the output is JSON equal to the expected JSON (only {@code fields} when given). */
  public static OutputCheck jsonEquality(List<String> fields) {
    return new JsonChecks.Equality(fields);
  }

  /** {@code @ExpectSimilar(threshold)} with {@code model}. */
  public static OutputCheck similarity(double threshold, EmbeddingModel model, String modelName) {
    return new SimilarityCheck(threshold, () -> model, modelName);
  }

  /** The output as JSON, as every JSON check reads it (a Markdown code fence around it is tolerated). */
  public static Optional<JsonNode> json(String output) {
    return JsonChecks.parse(output);
  }

  /** A stand-in example for checking one output against {@code expected} outside an examples file. */
  public static Example expecting(String expected) {
    return new Example("output", Map.of(), expected, false, Optional.empty(), List.of(), Map.of(), "(assertion)", 0);
  }
}
