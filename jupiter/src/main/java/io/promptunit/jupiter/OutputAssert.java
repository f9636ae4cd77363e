package io.promptunit.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.promptunit.ExpectSimilar;
import io.promptunit.check.CheckFailure;
import io.promptunit.check.OutputChecks;
import io.promptunit.check.Similarity;
import io.promptunit.model.EmbeddingModels;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractStringAssert;

/**
 * AssertJ assertions on a model's output: all of AssertJ's string assertions, plus JSON and meaning,
 * judged by the same code as {@code @ExpectJson}, {@code @ExpectJsonSchema} and {@code @ExpectSimilar}
 * (JSON may be wrapped in a Markdown code fence).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class OutputAssert extends AbstractStringAssert<OutputAssert> {

  private EmbeddingModel embeddings;
  private String embeddingsName = EmbeddingModels.BUNDLED_NAME;

  OutputAssert(String actual) {
    super(actual, OutputAssert.class);
  }

  /** The output is JSON. */
  public OutputAssert isJson() {
    isNotNull();
    if (OutputChecks.json(actual).isEmpty()) {
      failWithMessage("%s", "%nExpecting the output to be JSON%nbut it is not:%n  %s".formatted(actual));
    }
    return myself;
  }

  /**
   * The output is JSON valid against the JSON Schema at classpath {@code schemaPath} (e.g.
   * {@code prompts/contact.schema.json}).
   */
  public OutputAssert matchesJsonSchema(String schemaPath) {
    isNotNull();
    ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
        ? Thread.currentThread().getContextClassLoader()
        : OutputAssert.class.getClassLoader();
    fail(OutputChecks.jsonSchema(loader, schemaPath).check(OutputChecks.expecting(""), null, actual));
    return myself;
  }

  /** The output is a JSON object with every one of these top-level fields. */
  public OutputAssert hasJsonFields(String... fields) {
    isJson();
    JsonNode node = OutputChecks.json(actual).orElseThrow();
    List<String> missing = Arrays.stream(fields).filter(field -> !node.has(field)).toList();
    if (!node.isObject() || !missing.isEmpty()) {
      failWithMessage("%s", "%nExpecting the output JSON%n  %s%nto have the fields %s%nbut %s".formatted(node,
          Arrays.toString(fields), node.isObject() ? "these are missing: " + missing : "it is not an object"));
    }
    return myself;
  }

  /**
   * The output is JSON equal to {@code expectedJson} (numbers by value), or equal in {@code onlyFields}
   * when given — as {@code @ExpectJson(fields)}.
   */
  public OutputAssert isJsonEqualTo(String expectedJson, String... onlyFields) {
    isNotNull();
    fail(OutputChecks.jsonEquality(List.of(onlyFields)).check(OutputChecks.expecting(expectedJson), null, actual));
    return myself;
  }

  /** Compare meanings with {@code model} instead of the bundled all-MiniLM-L6-v2. */
  public OutputAssert usingEmbeddingModel(EmbeddingModel model, String name) {
    this.embeddings = model;
    this.embeddingsName = name;
    return myself;
  }

  /**
   * The output means about the same as {@code expected}: cosine similarity at least
   * {@value ExpectSimilar#DEFAULT_THRESHOLD}.
   */
  public OutputAssert isSimilarTo(String expected) {
    return isSimilarTo(expected, ExpectSimilar.DEFAULT_THRESHOLD);
  }

  /**
   * The output's embedding has a cosine similarity of at least {@code threshold} with {@code expected}'s, as
   * {@code @ExpectSimilar}.
   */
  public OutputAssert isSimilarTo(String expected, double threshold) {
    isNotNull();
    fail(OutputChecks.similarity(threshold, model(), embeddingsName)
        .check(OutputChecks.expecting(expected), null, actual));
    return myself;
  }

  /**
   * The output does not mean the same as {@code other}: cosine similarity below
   * {@value ExpectSimilar#DEFAULT_THRESHOLD}, the threshold {@link #isSimilarTo(String)} passes at.
   */
  public OutputAssert isNotSimilarTo(String other) {
    return isNotSimilarTo(other, ExpectSimilar.DEFAULT_THRESHOLD);
  }

  /** The output does not mean the same as {@code other}: cosine similarity below {@code threshold}. */
  public OutputAssert isNotSimilarTo(String other, double threshold) {
    isNotNull();
    double score = Similarity.between(model(), other, actual);
    if (score >= threshold) {
      failWithMessage("%s", String.format(Locale.ROOT,
          "%nExpecting the output%n  \"%s\"%nnot to mean the same as%n  \"%s\"%n"
              + "but their similarity is %.2f, at least the threshold %.2f (cosine of %s embeddings)",
          actual, other, score, threshold, embeddingsName));
    }
    return myself;
  }

  private EmbeddingModel model() {
    return embeddings != null ? embeddings : EmbeddingModels.bundled();
  }

  private void fail(Optional<CheckFailure> failure) {
    failure.ifPresent(f -> failWithMessage("%s",
        "%nExpecting the output%n  %s%nto pass %s%nbut %s.%nexpected: %s%nactual:   %s".formatted(
        indent(actual), f.check(), f.reason(), indent(f.expected()), indent(f.actual()))));
  }

  private static String indent(String text) {
    return Arrays.stream(text.split("\n", -1)).collect(Collectors.joining(System.lineSeparator() + "  "));
  }
}
