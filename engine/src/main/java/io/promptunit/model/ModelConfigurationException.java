package io.promptunit.model;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * No usable model could be set up from the configuration; the message says what to change. When
 * nothing names a model at all ({@link #noModelConfigured()}), the exception carries the reason
 * and the set-up instructions apart, so that each caller says in its own words what was not run
 * ({@link #notRun}).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ModelConfigurationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Set only when no model is configured: why, and what to do (starting with its own separator). */
  private final String reason;
  private final String instructions;

  private ModelConfigurationException(String message, String reason, String instructions) {
    super(message, null, false, false);
    this.reason = reason;
    this.instructions = instructions;
  }

  public static ModelConfigurationException invalid(String message) {
    return new ModelConfigurationException(message, null, null);
  }

  /** Nothing names a model at all: examples are reported aborted with the set-up instructions. */
  public static ModelConfigurationException noModel() {
    return noModel("No model configured", " " + SETUP);
  }

  /**
   * Nothing names a model, for {@code reason}.
   *
   * @param instructions what to do, starting with its separator from the sentence before (a space or a new line)
   */
  public static ModelConfigurationException noModel(String reason, String instructions) {
    return new ModelConfigurationException(reason + ", so this example was not run." + instructions,
        reason, instructions);
  }

  public boolean noModelConfigured() {
    return reason != null;
  }

  /**
   * The message in the caller's words: {@code notRun("the suite cannot run")} reads "No model
   * configured, so the suite cannot run. Configure one of: ...". Empty unless no model is configured.
   */
  public Optional<String> notRun(String consequence) {
    return Optional.ofNullable(reason).map(r -> r + ", so " + consequence + "." + instructions);
  }

  /** The same exception, its message in the caller's words ({@link #notRun}); itself when a model is configured. */
  public ModelConfigurationException worded(String consequence) {
    return reason == null ? this : new ModelConfigurationException(notRun(consequence).orElseThrow(), reason,
        instructions);
  }

  /** How to configure a model. */
  public static final String SETUP =
      "Configure one of:\n"
          + Providers.setupLines()
          + "  - the same as -Dpromptunit.model=... or the PROMPTUNIT_MODEL environment variable;\n"
          + "  - promptunit.model=gguf:/path/to/model.gguf for any local GGUF model run in-process by llama.cpp;\n"
          + "  - or a static @ModelFactory method on the suite's class returning any langchain4j ChatModel.\n"
          + "(The embedded default model is off: promptunit.embedded=false.)";

  /** The message of {@link #noModel()}. */
  public static final String NO_MODEL_MESSAGE = noModel().getMessage();
}
