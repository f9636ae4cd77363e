package io.promptunit.model;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/** No usable model could be set up from the configuration; the message says what to change. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ModelConfigurationException extends RuntimeException {

  private final boolean noModelConfigured;

  private ModelConfigurationException(String message, boolean noModelConfigured) {
    super(message, null, false, false);
    this.noModelConfigured = noModelConfigured;
  }

  public static ModelConfigurationException invalid(String message) {
    return new ModelConfigurationException(message, false);
  }

  /** Nothing names a model at all: examples are reported aborted with {@link #NO_MODEL_MESSAGE}. */
  public static ModelConfigurationException noModel() {
    return new ModelConfigurationException(NO_MODEL_MESSAGE, true);
  }

  /** Nothing names a model, and the embedded default could not be had either; {@code message} says why and what to do. */
  public static ModelConfigurationException noModel(String message) {
    return new ModelConfigurationException(message, true);
  }

  public boolean noModelConfigured() {
    return noModelConfigured;
  }

  public static final String NO_MODEL_MESSAGE =
      "No model configured, so this example was not run. Configure one of:\n"
          + Providers.setupLines()
          + "  - the same as -Dpromptunit.model=... or the PROMPTUNIT_MODEL environment variable;\n"
          + "  - promptunit.model=gguf:/path/to/model.gguf for any local GGUF model run in-process by llama.cpp;\n"
          + "  - or a static @ModelFactory method on the suite's class returning any langchain4j ChatModel.\n"
          + "(The embedded default model is off: promptunit.embedded=false.)";
}
