package io.promptunit.model.batch;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.promptunit.config.Keys;
import io.promptunit.config.Configuration;
import io.promptunit.model.ModelConfigurationException;
import io.promptunit.model.ModelResolver;
import io.promptunit.model.Provider;
import io.promptunit.model.Providers;
import io.promptunit.model.Secrets;
import io.promptunit.model.batch.client.BatchClient;
import java.time.Duration;
import org.apiguardian.api.API;

/**
 * The batch client of each provider whose entry names one ({@link Provider#batch()}), pointed where
 * the provider's models point.
 */
@API(status = INTERNAL, since = "0.1")
public final class BatchClients {

  private BatchClients() {}

  /**
   * The batch client of provider {@code id}.
   *
   * @throws ModelConfigurationException when PromptUnit cannot batch that provider, or its key is missing
   */
  public static BatchClient of(String id, Configuration settings, ModelResolver resolver) {
    Provider provider = Providers.find(id).filter(Provider::batches).orElseThrow(() -> unsupported(id + ":"));
    String baseUrl = Providers.baseUrl(provider, settings);
    String key = resolver.key(provider, baseUrl).orElseThrow(() -> ModelConfigurationException.invalid(
        "Batch mode (" + Keys.BATCH + "=true) for " + id + " needs an API key: " + resolver.keyHelp(provider)));
    Duration timeout = settings.timeout();
    BatchClient.Endpoint endpoint = new BatchClient.Endpoint(baseUrl, key, timeout, Secrets::redact);
    return provider.batch().orElseThrow().client().open(endpoint);
  }

  /** The error for a model whose requests cannot be batched. */
  public static ModelConfigurationException unsupported(String model) {
    String batching = Providers.ALL.stream().filter(Provider::batches).map(p -> p.id() + ":<model>")
        .collect(java.util.stream.Collectors.joining(", "));
    return ModelConfigurationException.invalid("Batch mode (" + Keys.BATCH
        + "=true) cannot send the requests of model " + model
        + ": PromptUnit sends batches only to " + batching
        + " (a @ModelFactory model, a gguf: file, the embedded model and the other providers"
        + " have no batch API it can use). Run this suite without " + Keys.BATCH
        + ", or give it a model of a batching provider.");
  }
}
