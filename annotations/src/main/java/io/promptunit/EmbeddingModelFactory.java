package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Marks a static, parameterless method of an anchor class that returns the langchain4j
 * {@code dev.langchain4j.model.embedding.EmbeddingModel} that {@link ExpectSimilar} compares with,
 * instead of the bundled all-MiniLM-L6-v2. Like {@link ModelFactory}, it is called once per suite.
 *
 * <pre>{@code
 * @EmbeddingModelFactory
 * static EmbeddingModel embeddings() {
 *   return OpenAiEmbeddingModel.builder().apiKey(System.getenv("OPENAI_API_KEY"))
 *       .modelName("text-embedding-3-small").build();
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface EmbeddingModelFactory {}
