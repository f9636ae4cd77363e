package io.promptunit.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;

/**
 * How close two texts are in meaning: the cosine similarity of their embeddings, from -1 to 1
 * (1: the same direction). The one computation behind {@code @ExpectSimilar} and the AssertJ
 * similarity assertion.
 *
 * <pre>{@code
 * double score = Similarity.between(EmbeddingModels.bundled(),
 *     "The refund is on its way.", "We have sent your money back.");
 * }</pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class Similarity {

  private Similarity() {}

  /**
   * The cosine similarity of {@code a} and {@code b}; two blank texts are identical (1), a blank and a non-blank one
   * unrelated (0).
   */
  public static double between(EmbeddingModel model, String a, String b) {
    boolean aBlank = a.isBlank();
    boolean bBlank = b.isBlank();
    if (aBlank || bBlank) {
      return aBlank && bBlank ? 1.0 : 0.0;
    }
    Embedding first = model.embed(a.strip()).content();
    Embedding second = model.embed(b.strip()).content();
    return CosineSimilarity.between(first, second);
  }
}
