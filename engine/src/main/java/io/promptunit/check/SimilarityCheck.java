package io.promptunit.check;

import io.promptunit.check.Conversation;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.promptunit.Example;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code @ExpectSimilar}: the output's embedding is at least {@code threshold} cosine-similar to the expected value's.
 */
final class SimilarityCheck implements OutputCheck {

  private final double threshold;
  private final Supplier<EmbeddingModel> model;
  private final String modelName;

  /** @param model asked for on the first check only (the bundled model loads once per JVM, when a check needs it) */
  SimilarityCheck(double threshold, Supplier<EmbeddingModel> model, String modelName) {
    this.threshold = threshold;
    this.model = model;
    this.modelName = modelName;
  }

  @Override
  public String name() {
    return String.format(Locale.ROOT, "similarity of at least %.2f", threshold);
  }

  @Override
  public Optional<CheckFailure> check(Example example, Conversation conversation, String output) {
    double score = Similarity.between(model.get(), example.expected(), output);
    return score >= threshold
        ? Optional.empty()
        : Optional.of(new CheckFailure(name(), String.format(Locale.ROOT,
            "the output's meaning is too far from the expected value: similarity %.2f, "
                + "below the threshold %.2f (cosine of %s embeddings)",
            score, threshold, modelName), example.expected(), output));
  }
}
