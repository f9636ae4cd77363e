package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything PromptUnit knows about one hosted model provider, in one place: its id (the
 * {@code provider} of {@code provider:model}), its API key's environment variable and shape (for
 * redaction), its endpoint, its list prices and how to build its langchain4j {@link ChatModel}.
 * Messages (the no-model help, connection hints, unknown-provider errors) are generated from the
 * {@link Providers} table. Adding a provider: an implementation, its line in {@link Providers}, its
 * langchain4j dependency in the engine's pom, and a test against a local fake server.
 */
@API(status = INTERNAL, since = "0.1")
public interface Provider {

  /** {@code openai}, {@code anthropic}, {@code gemini}: the prefix of {@code promptunit.model=<id>:<model>}. */
  String id();

  /** A model to show in examples and help, e.g. {@code gpt-4o-mini}. */
  String exampleModel();

  /** The environment variable holding the API key (the only place keys are read from). */
  String keyVariable();

  /** What this provider's keys look like, so that one echoed in a message or an answer is redacted. */
  Pattern keyShape();

  /** The API's base URL when neither {@link #baseUrlSetting()} nor its environment variable sets one. */
  String defaultBaseUrl();

  /** The setting that points the provider elsewhere (a proxy, a compatible server, a test fake): {@code promptunit.<id>.base-url}. */
  default String baseUrlSetting() {
    return "promptunit." + id() + ".base-url";
  }

  /** The environment variable the provider's own SDKs read for the base URL, e.g. {@code OPENAI_BASE_URL}. */
  default String baseUrlVariable() {
    return id().toUpperCase(java.util.Locale.ROOT) + "_BASE_URL";
  }

  /**
   * Whether a call to {@code baseUrl} may go without a key: only the provider's own API requires one
   * (a local OpenAI-compatible server, or a gateway that adds the key itself, needs none).
   */
  default boolean keyOptional(String baseUrl) {
    return !baseUrl.equals(defaultBaseUrl());
  }

  /** List prices in dollars per million tokens, by model-name prefix. */
  Map<String, PriceTable.Price> prices();

  /** Extra help shown in the no-model message after "promptunit.model=<id>:<exampleModel> with <keyVariable> set". */
  default String alsoSupported() {
    return "";
  }

  /**
   * Builds the model; retries stay off ({@code maxRetries(0)}): {@link ModelCall} is the one place that retries.
   *
   * @param connection what every provider's model is built with
   */
  ChatModel build(Connection connection);

  /**
   * @param model the model name (the part after {@code <id>:})
   * @param key the API key, or a placeholder when none is needed (replay, a local server)
   * @param maxOutputTokens {@code promptunit.max-output-tokens}, when set
   * @param http PromptUnit's HTTP transport (keeps {@code Retry-After} and the timeout)
   */
  record Connection(String model, String baseUrl, String key, Duration timeout, Optional<Integer> maxOutputTokens, HttpClientBuilder http) {}
}
