package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.config.Settings;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The hosted providers PromptUnit builds models for (local GGUF files are run by {@link io.promptunit.model.local.LlamaChatModel}). */
@API(status = INTERNAL, since = "0.1")
public final class Providers {

  /** The table: one line per provider. */
  public static final List<Provider> ALL = List.of(new OpenAiProvider(), new AnthropicProvider(), new GeminiProvider());

  private Providers() {}

  public static Optional<Provider> find(String id) {
    return ALL.stream().filter(provider -> provider.id().equals(id)).findFirst();
  }

  /** The provider of a model string such as {@code gemini:gemini-2.5-flash}. */
  public static Optional<Provider> of(String model) {
    int colon = model.indexOf(':');
    return colon <= 0 ? Optional.empty() : find(model.substring(0, colon));
  }

  /** Where calls to {@code provider} go: its base-URL setting, else its environment variable, else the API itself. */
  public static String baseUrl(Provider provider, Settings settings) {
    return settings.get(provider.baseUrlSetting()).or(() -> settings.env(provider.baseUrlVariable())).orElse(provider.defaultBaseUrl());
  }

  /** {@code openai:<model>, anthropic:<model>, gemini:<model>}, for messages. */
  public static String ids() {
    return ALL.stream().map(p -> p.id() + ":<model>").collect(Collectors.joining(", "));
  }

  /** {@code openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest, ...}, for messages. */
  public static String examples() {
    return ALL.stream().map(p -> p.id() + ":" + p.exampleModel()).collect(Collectors.joining(", "));
  }

  /** One help line per provider: how to use it. */
  static String setupLines() {
    return ALL.stream().map(p -> "  - promptunit.model=" + p.id() + ":" + p.exampleModel() + " in src/test/resources/junit-platform.properties, with "
        + p.keyVariable() + " set" + (p.alsoSupported().isEmpty() ? "" : "; " + p.alsoSupported()) + ";\n").collect(Collectors.joining());
  }
}
