package io.promptunit.model;

import io.promptunit.config.CacheMode;
import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.model.chat.ChatModel;
import io.promptunit.config.Keys;
import io.promptunit.config.Configuration;
import io.promptunit.model.local.EmbeddedModels;
import io.promptunit.model.local.LlamaChatModel;
import io.promptunit.model.local.LocalModelException;
import io.promptunit.model.local.ModelDownloadException;
import io.promptunit.model.local.ModelDownloader;
import io.promptunit.model.local.PinnedModel;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds langchain4j {@link ChatModel}s from provider strings and settings, one instance per
 * distinct string. API keys are read only from environment variables, never logged, and a provider's
 * own key goes only to its own API ({@link #key}).
 *
 * <p>Provider retries are turned off ({@code maxRetries(0)}): {@link RetryPolicy} is the one place that
 * retries, so that retries are counted and bounded the same way for every provider.
 */
@API(status = INTERNAL, since = "0.1")
public final class ModelResolver implements AutoCloseable {

  private final Configuration settings;
  private final Map<String, ChatModel> models = new ConcurrentHashMap<>();

  public ModelResolver(Configuration settings) {
    this.settings = settings;
  }

  /** The configured task model, if the configuration names one. */
  public Optional<String> configuredModel() {
    return settings.model();
  }

  /** The model for {@code spec}; {@code source} names where the spec came from for error messages. */
  public ChatModel resolve(String spec, String source) {
    ModelSpec parsed = ModelSpec.parse(spec, source);
    return models.computeIfAbsent(parsed.toString(), key -> build(parsed, source));
  }

  private ChatModel build(ModelSpec spec, String source) {
    if (spec.provider().equals("gguf")) {
      return gguf(spec);
    }
    return build(spec, source, HttpTransport.builder(spec.toString()));
  }

  /**
   * A new model for {@code spec} (a hosted provider's), built exactly as {@link #resolve} builds it but
   * talking through {@code http}: batch mode uses it to have the provider's own client write each
   * request body, so that a batched request is byte for byte the interactive one.
   */
  public ChatModel rebuild(String spec, String source, dev.langchain4j.http.client.HttpClientBuilder http) {
    return build(ModelSpec.parse(spec, source), source, http);
  }

  private ChatModel build(ModelSpec spec, String source, dev.langchain4j.http.client.HttpClientBuilder http) {
    Provider provider = provider(spec, source);
    String baseUrl = checkedBaseUrl(provider, spec);
    Optional<String> key = key(provider, baseUrl);
    if (key.isEmpty()) {
      throw ModelConfigurationException.invalid("Model " + spec + " needs an API key: " + keyHelp(provider)
          + (provider.alsoSupported().isEmpty() || settings.isSet(provider.apiKeyEnvSetting()) ? "."
              : ", or use " + provider.alsoSupported() + "."));
    }
    Optional<Integer> maxOutputTokens = settings.maxOutputTokens();
    return provider.build(new Provider.Connection(spec.model(), baseUrl, key.get(),
        settings.timeout(), maxOutputTokens, http));
  }

  /** The provider's base URL, refused with a message naming where it was set when it is not an http(s) URL. */
  private String checkedBaseUrl(Provider provider, ModelSpec spec) {
    String baseUrl = Providers.baseUrl(provider, settings);
    Optional<String> problem = Providers.urlProblem(baseUrl);
    if (problem.isPresent()) {
      String where = settings.isSet(provider.baseUrlSetting())
          ? provider.baseUrlSetting() + "=" + baseUrl + " (" + settings.where(provider.baseUrlSetting()) + ")"
          : provider.baseUrlVariable() + "=" + baseUrl + " (environment variable)";
      throw ModelConfigurationException.invalid(Secrets.redact("Model " + spec + " cannot be used: " + where
          + " is not accepted: " + problem.get()));
    }
    return baseUrl;
  }

  private static Provider provider(ModelSpec spec, String source) {
    return Providers.find(spec.provider()).orElseThrow(() -> ModelConfigurationException.invalid(
        "Unknown model provider \"" + spec.provider() + "\" in " + source + "=" + spec + ". Use " + Providers.ids()
            + " (openai also for Ollama, llama.cpp server, vLLM and LM Studio through promptunit.openai.base-url),"
            + " gguf:<path to a .gguf file>, or a static @ModelFactory method on the suite class returning any"
            + " langchain4j ChatModel."));
  }

  /**
   * The API key calls to {@code provider} at {@code baseUrl} carry. With {@code promptunit.<provider>.api-key-env},
   * the variable it names, wherever the calls go. Without it, the provider's own variable, but only for its own API
   * ({@link Provider#isOwnApi}): any other base URL gets a placeholder ({@value #NO_KEY}), never that key. In
   * replay mode a missing key is a placeholder too (no call leaves the machine); empty when a key is needed and
   * not set ({@link #keyHelp} says what to set). Every key read is redacted from then on.
   */
  public Optional<String> key(Provider provider, String baseUrl) {
    Optional<String> named = settings.value(provider.apiKeyEnvSetting());
    if (named.isEmpty() && !provider.isOwnApi(baseUrl)) {
      return Optional.of(NO_KEY);
    }
    return settings.environment(named.orElse(provider.keyVariable())).map(Secrets::remember)
        .or(() -> replayOnly() ? Optional.of("replay-only") : Optional.empty());
  }

  /** The key of calls to a server that gets none: the providers' clients require some value. */
  static final String NO_KEY = "not-needed";

  /** What to set when {@link #key} finds no key for {@code provider}: "set the OPENAI_API_KEY environment variable". */
  public String keyHelp(Provider provider) {
    return settings.value(provider.apiKeyEnvSetting())
        .map(name -> Secrets.redact(provider.apiKeyEnvSetting() + " names the environment variable " + name
            + ", which is not set"))
        .orElse("set the " + provider.keyVariable() + " environment variable");
  }

  private ChatModel gguf(ModelSpec spec) {
    LlamaChatModel.Builder builder = LlamaChatModel.builder(Path.of(spec.model()));
    settings.maxOutputTokens().ifPresent(builder::maxOutputTokens);
    LlamaChatModel model = builder.build();
    try {
      model.load();
    } catch (LocalModelException e) {
      throw ModelConfigurationException.invalid("Model " + spec + " cannot be used: " + e.getMessage());
    }
    return model;
  }

  /** The embedded model's name in reports and cassettes. */
  public static final String EMBEDDED_NAME = "embedded:" + EmbeddedModels.DEFAULT.fileName();

  private volatile ChatModel embedded;
  private volatile String embeddedFailure;

  /**
   * The embedded default model, downloaded (once, with a progress bar) into the model cache when
   * needed. Tried once per run: when it cannot be had, every later suite gets the same message.
   *
   * @throws ModelConfigurationException (no model configured) saying what was tried and what to do
   */
  public synchronized ChatModel embedded() {
    if (embedded != null) {
      return embedded;
    }
    if (embeddedFailure == null) {
      Path cache = settings.modelCache().orElseGet(EmbeddedModels::defaultCacheDirectory);
      PinnedModel pinned = EmbeddedModels.DEFAULT;
      Optional<String> mirror = settings.embeddedMirror();
      if (mirror.isPresent()) {
        pinned = new PinnedModel(pinned.name(), pinned.fileName(),
            URI.create(mirror.get().replaceAll("/+$", "") + pinned.url().getPath()),
            pinned.sha256(), pinned.size(), pinned.licence());
      }
      try {
        Path file = new ModelDownloader(cache, System.err).download(pinned);
        LlamaChatModel model = LlamaChatModel.builder(file).modelName(pinned.name()).build();
        model.load();
        embedded = model;
        return model;
      } catch (ModelDownloadException | LocalModelException e) {
        embeddedFailure = e.getMessage();
      }
    }
    throw ModelConfigurationException.noModel("No model is configured, and the embedded default model ("
        + EmbeddedModels.DEFAULT.name() + ") could not be set up", "\n" + embeddedFailure);
  }

  /** Frees the models that hold native resources (local llama.cpp models); the resolver is done. */
  @Override
  public synchronized void close() {
    for (ChatModel model : models.values()) {
      closeQuietly(model);
    }
    models.clear();
    if (embedded != null) {
      closeQuietly(embedded);
      embedded = null;
    }
  }

  private static void closeQuietly(ChatModel model) {
    if (model instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        System.err.println("[PromptUnit] warning: could not free model " + model + ": " + e.getMessage());
      }
    }
  }

  /** In replay mode no call ever leaves the machine, so no key is needed to name a model. */
  private boolean replayOnly() {
    return settings.cache() == CacheMode.REPLAY;
  }

  /** Where calls to {@code model} go, for messages: the configured base URL of its provider, if it has one. */
  static Optional<String> endpoint(Configuration settings, String model) {
    return Providers.of(model).map(provider -> Providers.baseUrl(provider, settings));
  }
}
