package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * The output means the same as the expected value: the cosine similarity of their sentence
 * embeddings is at least {@link #threshold()}. Use it where several wordings are right (a summary,
 * a reply, an explanation) and exact comparison would fail good answers.
 *
 * <p>The embeddings come from all-MiniLM-L6-v2, which runs in-process (ONNX, bundled in a jar: no
 * download, no API key), or from the langchain4j {@code EmbeddingModel} returned by a static
 * {@link EmbeddingModelFactory} method of the anchor class.
 *
 * <pre>{@code
 * @PromptTest(prompt = "prompts/reply.prompt", examples = "prompts/reply.jsonl")
 * @ExpectSimilar(threshold = 0.7)
 * class ReplyPromptTest {}
 * }</pre>
 *
 * <p>What scores mean with all-MiniLM-L6-v2 (measured): paraphrases of a sentence score about 0.65
 * to 0.9, answers on the same topic that say something else about 0.4 to 0.65, unrelated text below
 * 0.15. A negation ("went through" / "did not go through") still scores about 0.8: similarity
 * measures topic and wording, not truth, so pair it with another check where a "not" matters.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface ExpectSimilar {

  /**
   * The threshold used when none is given; chosen from measured paraphrase and non-paraphrase scores (see the README).
   */
  double DEFAULT_THRESHOLD = 0.7;

  /** The smallest cosine similarity (in (-1, 1]) that passes. */
  double threshold() default DEFAULT_THRESHOLD;
}
