package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import io.promptunit.model.batch.client.BatchClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything PromptUnit knows about one hosted model provider, in one place: its id (the
 * {@code provider} of {@code provider:model}), its API key's environment variable and shape (for
 * redaction), its endpoint, its list prices, how to build its langchain4j {@link ChatModel} and,
 * when PromptUnit can use its batch API, its batch client. Messages (the no-model help, connection
 * hints, unknown-provider errors, which providers batch mode supports) are generated from the
 * {@link Providers} table. Adding a provider: its entry in {@link Providers#ALL}, its langchain4j
 * artifact in the engine's pom, and a test against a local fake server; with a batch API, also its
 * {@link BatchClient} class in {@code io.promptunit.model.batch.client}.
 *
 * @param id {@code openai}, {@code anthropic}, {@code gemini}: the prefix of {@code promptunit.model=<id>:<model>}
 * @param exampleModel a model to show in examples and help, e.g. {@code gpt-4o-mini}
 * @param keyVariable the environment variable holding the API key, sent only to the provider's own API
 *     ({@link #isOwnApi}); {@link #apiKeyEnvSetting()} names another variable
 * @param keyShape what this provider's keys look like, so that one echoed in a message or an answer is redacted
 * @param defaultBaseUrl the API's base URL when neither {@link #baseUrlSetting()} nor {@link #baseUrlVariable()} sets
 *     one
 * @param prices list prices in dollars per million tokens, by model-name prefix
 * @param alsoSupported extra help for the no-model message, or empty
 * @param builder builds the model; retries stay off ({@code maxRetries(0)}): {@link RetryPolicy} is the one place that
 *     retries
 * @param batch the provider's batch API, when PromptUnit can send its requests as batches
 *     ({@code promptunit.batch=true})
 */
@API(status = INTERNAL, since = "0.1")
public record Provider(String id, String exampleModel, String keyVariable, Pattern keyShape, String defaultBaseUrl,
    Map<String, PriceTable.Price> prices, String alsoSupported, Function<Connection, ChatModel> builder,
    Optional<Batch> batch) {

  public Provider {
    prices = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(prices));
  }

  /** Whether PromptUnit can send this provider's requests through its batch API ({@code promptunit.batch=true}). */
  public boolean batches() {
    return batch.isPresent();
  }

  /**
   * The setting that points the provider elsewhere (a proxy, a compatible server, a test fake):
   * {@code promptunit.<id>.base-url}.
   */
  public String baseUrlSetting() {
    return "promptunit." + id + io.promptunit.config.Keys.BASE_URL_SUFFIX;
  }

  /**
   * The setting naming the environment variable whose key calls to this provider carry, wherever they go
   * ({@code promptunit.<id>.api-key-env=GATEWAY_KEY}): how a gateway or proxy at {@link #baseUrlSetting()} gets a
   * key.
   */
  public String apiKeyEnvSetting() {
    return "promptunit." + id + io.promptunit.config.Keys.API_KEY_ENV_SUFFIX;
  }

  /** The environment variable the provider's own SDKs read for the base URL, e.g. {@code OPENAI_BASE_URL}. */
  public String baseUrlVariable() {
    return id.toUpperCase(java.util.Locale.ROOT) + "_BASE_URL";
  }

  /**
   * Whether {@code baseUrl} is the provider's own API, the only place its key ({@link #keyVariable()}) is sent:
   * {@code https}, the host of {@link #defaultBaseUrl()} (in any case), its default port. A local server, a
   * gateway or a look-alike host gets no key unless {@link #apiKeyEnvSetting()} names one for it.
   */
  public boolean isOwnApi(String baseUrl) {
    try {
      URI uri = new URI(baseUrl.strip());
      return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
          && uri.getHost().equalsIgnoreCase(URI.create(defaultBaseUrl).getHost())
          && (uri.getPort() == -1 || uri.getPort() == 443);
    } catch (URISyntaxException e) {
      return false;
    }
  }

  public ChatModel build(Connection connection) {
    return builder.apply(connection);
  }

  /**
   * What every provider's model is built with.
   *
   * @param model the model name (the part after {@code <id>:})
   * @param key the API key, or a placeholder when none is needed (replay, a local server)
   * @param maxOutputTokens {@code promptunit.max-output-tokens}, when set
   * @param http PromptUnit's HTTP transport (keeps {@code Retry-After} and the timeout)
   */
  /**
   * A provider's batch API: having one is what batch support means.
   *
   * @param priceFactor what a request sent as a batch costs, as a fraction of its list price (0.5: half), in (0, 1]
   * @param client makes the provider's batch client, usually its constructor, e.g. {@code OpenAiBatchClient::new}
   */
  public record Batch(double priceFactor, BatchClient.Factory client) {
    public Batch {
      if (!(priceFactor > 0 && priceFactor <= 1)) {
        throw new IllegalArgumentException("a batch price factor must be in (0, 1], got " + priceFactor);
      }
      java.util.Objects.requireNonNull(client, "client");
    }
  }

  public record Connection(String model, String baseUrl, String key, Duration timeout,
      Optional<Integer> maxOutputTokens, HttpClientBuilder http) {}
}
