package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicChatResponseMetadata;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.FinishReason;
import io.promptunit.config.Configuration;
import io.promptunit.config.KeyFamily;
import io.promptunit.config.Keys;
import io.promptunit.model.PriceTable.Price;
import io.promptunit.model.batch.client.AnthropicBatchClient;
import io.promptunit.model.batch.client.GeminiBatchClient;
import io.promptunit.model.batch.client.OpenAiBatchClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The hosted providers PromptUnit builds models for (local GGUF files are run by
 * {@link io.promptunit.model.local.LlamaChatModel}).
 */
@API(status = INTERNAL, since = "0.1")
public final class Providers {

  /** The table: one entry per provider. */
  public static final List<Provider> ALL = List.of(
      new Provider("openai", "gpt-4o-mini", "OPENAI_API_KEY", Pattern.compile("\\b(sk|sk-proj)-[A-Za-z0-9_*\\-.]{6,}"),
          "https://api.openai.com/v1",
          prices("gpt-4o-mini", new Price(0.15, 0.60), "gpt-4o", new Price(2.50, 10.00), "gpt-4.1-nano",
              new Price(0.10, 0.40), "gpt-4.1-mini", new Price(0.40, 1.60),
              "gpt-4.1", new Price(2.00, 8.00), "gpt-5-nano", new Price(0.05, 0.40), "gpt-5-mini",
              new Price(0.25, 2.00), "gpt-5", new Price(1.25, 10.00),
              "o4-mini", new Price(1.10, 4.40)),
          "any OpenAI-compatible server (Ollama, llama.cpp server, vLLM, LM Studio) "
              + "with promptunit.model=openai:<model> plus"
              + " promptunit.openai.base-url=http://localhost:11434/v1 and no key",
          c -> OpenAiChatModel.builder().baseUrl(c.baseUrl()).apiKey(c.key()).modelName(c.model())
              .timeout(c.timeout()).maxRetries(0)
              .httpClientBuilder(c.http()).maxTokens(c.maxOutputTokens().orElse(null)).build(),
          // Batch API: half the list price (https://platform.openai.com/docs/guides/batch)
          Optional.of(new Provider.Batch(0.5, OpenAiBatchClient::new))),
      // Anthropic requires an output cap: promptunit.max-output-tokens, else 1024
      new Provider("anthropic", "claude-3-5-haiku-latest", "ANTHROPIC_API_KEY",
          Pattern.compile("\\bsk-ant-[A-Za-z0-9_*\\-.]{6,}"),
          "https://api.anthropic.com/v1",
          prices("claude-3-5-haiku", new Price(0.80, 4.00), "claude-haiku-4-5", new Price(1.00, 5.00),
              "claude-3-7-sonnet", new Price(3.00, 15.00),
              "claude-sonnet-4", new Price(3.00, 15.00), "claude-opus-4", new Price(15.00, 75.00)),
          "",
          c -> AnthropicChatModel.builder().baseUrl(c.baseUrl()).apiKey(c.key()).modelName(c.model())
              .timeout(c.timeout()).maxRetries(0)
              .httpClientBuilder(c.http()).maxTokens(c.maxOutputTokens().orElse(1024)).build(),
          // Message Batches: half the list price
          // (https://docs.anthropic.com/en/docs/build-with-claude/batch-processing)
          Optional.of(new Provider.Batch(0.5, AnthropicBatchClient::new))),
      // Google API keys: AIza and 35 more characters
      new Provider("gemini", "gemini-2.5-flash", "GEMINI_API_KEY", Pattern.compile("\\bAIza[0-9A-Za-z_\\-]{35}"),
          "https://generativelanguage.googleapis.com/v1beta",
          prices("gemini-2.5-flash-lite", new Price(0.10, 0.40), "gemini-2.5-flash", new Price(0.30, 2.50),
              "gemini-2.5-pro", new Price(1.25, 10.00),
              "gemini-2.0-flash", new Price(0.10, 0.40)),
          "",
          c -> GoogleAiGeminiChatModel.builder().baseUrl(c.baseUrl()).apiKey(c.key()).modelName(c.model())
              .timeout(c.timeout()).maxRetries(0)
              .httpClientBuilder(c.http()).maxOutputTokens(c.maxOutputTokens().orElse(null)).build(),
          // batch mode: half the list price (https://ai.google.dev/gemini-api/docs/batch-mode)
          Optional.of(new Provider.Batch(0.5, GeminiBatchClient::new))));

  private Providers() {}

  /** Prices by model-name prefix, in the order given: {@code name, price, name, price, ...}. */
  private static Map<String, Price> prices(Object... namesAndPrices) {
    Map<String, Price> prices = new LinkedHashMap<>();
    for (int i = 0; i < namesAndPrices.length; i += 2) {
      prices.put((String) namesAndPrices[i], (Price) namesAndPrices[i + 1]);
    }
    return prices;
  }

  public static Optional<Provider> find(String id) {
    return ALL.stream().filter(provider -> provider.id().equals(id)).findFirst();
  }

  /** The provider of a model string such as {@code gemini:gemini-2.5-flash}. */
  public static Optional<Provider> of(String model) {
    int colon = model.indexOf(':');
    return colon <= 0 ? Optional.empty() : find(model.substring(0, colon));
  }

  /** Where calls to {@code provider} go: its base-URL setting, else its environment variable, else the API itself. */
  public static String baseUrl(Provider provider, Configuration settings) {
    return settings.value(provider.baseUrlSetting()).or(() -> settings.environment(provider.baseUrlVariable()))
        .orElse(provider.defaultBaseUrl());
  }

  /** The keys {@code promptunit.<provider>.base-url}, one per provider; each value an http(s) URL. */
  public static KeyFamily baseUrlKeys() {
    List<String> members = ALL.stream().map(Provider::baseUrlSetting).toList();
    return new KeyFamily("promptunit.<provider>" + Keys.BASE_URL_SUFFIX, members::contains, members,
        (key, value) -> urlProblem(value));
  }

  /** The keys {@code promptunit.<provider>.api-key-env}, one per provider; each value names an environment variable. */
  public static KeyFamily apiKeyEnvKeys() {
    List<String> members = ALL.stream().map(Provider::apiKeyEnvSetting).toList();
    return new KeyFamily("promptunit.<provider>" + Keys.API_KEY_ENV_SUFFIX, members::contains, members,
        (key, value) -> VARIABLE_NAME.matcher(value).matches() ? Optional.empty()
            : Optional.of("it is the name of an environment variable that holds the key, e.g. GATEWAY_API_KEY"
                + " (letters, digits and underscores), never the key itself"));
  }

  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * What is wrong with {@code value} as a provider's base URL, if anything: it must be an {@code http://} or
   * {@code https://} URL with a host, e.g. {@code http://localhost:11434/v1}.
   */
  static Optional<String> urlProblem(String value) {
    String url = value.strip();
    try {
      URI uri = new URI(url);
      if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null && !uri.getHost().isEmpty()) {
        return Optional.empty();
      }
    } catch (URISyntaxException e) {
      // said below
    }
    boolean noScheme = !url.contains("://");
    return Optional.of("it is not an http:// or https:// URL with a host; write the API's base URL"
        + (noScheme ? " with its scheme, e.g. http://" + url : ", e.g. http://localhost:11434/v1"));
  }

  /**
   * Why {@code response} holds no answer though the call succeeded, if so: the provider's content filter withheld
   * it (any provider's {@code content_filter} or safety finish), or the model refused (Anthropic's
   * {@code stop_reason: refusal}). Such a response is an error of its example, never an empty output.
   */
  static Optional<String> withheld(ChatResponse response) {
    FinishReason finish = response.finishReason();
    if (finish == FinishReason.CONTENT_FILTER) {
      return Optional.of("the answer was withheld (finish reason: content filter)");
    }
    if (finish == FinishReason.OTHER && response.metadata() instanceof AnthropicChatResponseMetadata anthropic
        && anthropic.rawHttpResponse() != null) {
      try {
        if ("refusal".equals(JSON.readTree(anthropic.rawHttpResponse().body()).path("stop_reason").asText())) {
          return Optional.of("the model refused to answer (stop reason: refusal)");
        }
      } catch (JsonProcessingException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

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
    return ALL.stream().map(p -> "  - promptunit.model=" + p.id() + ":" + p.exampleModel()
        + " in src/test/resources/junit-platform.properties, with "
        + p.keyVariable() + " set" + (p.alsoSupported().isEmpty() ? "" : "; " + p.alsoSupported()) + ";\n")
            .collect(Collectors.joining());
  }
}
