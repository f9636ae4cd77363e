package io.promptunit.model;

import java.util.Locale;

/**
 * A model named by configuration: {@code provider:model}, e.g. {@code openai:gpt-4o-mini}. The model
 * part may itself contain colons ({@code openai:qwen2.5:0.5b}).
 */
record ModelSpec(String provider, String model) {

  /**
   * @param text the configured value
   * @param source where it came from, for the error message (e.g. {@code promptunit.model})
   */
  public static ModelSpec parse(String text, String source) {
    String trimmed = text.strip();
    int colon = trimmed.indexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      throw ModelConfigurationException.invalid(source + "=" + trimmed + " is not of the form provider:model. "
          + "Use e.g. " + Providers.examples() + " or gguf:<path to a .gguf file>.");
    }
    return new ModelSpec(trimmed.substring(0, colon).toLowerCase(Locale.ROOT), trimmed.substring(colon + 1));
  }

  @Override
  public String toString() {
    return provider + ":" + model;
  }
}
