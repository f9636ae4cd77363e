package io.promptunit.model.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promptunit.config.Configuration;
import io.promptunit.model.ModelResolver;
import io.promptunit.model.Provider;
import io.promptunit.model.Providers;
import io.promptunit.model.batch.client.BatchClient;
import io.promptunit.model.batch.client.OpenAiBatchClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batch support is part of a provider's entry: its batch API's price factor and the factory of its client. */
class BatchClientsTest {

  private final List<Provider> batching = Providers.ALL.stream().filter(Provider::batches).toList();

  @Test
  void batchModeBuildsEachProvidersClientFromItsEntry() {
    assertThat(batching).isNotEmpty();
    for (Provider provider : batching) {
      Configuration settings = Configuration.of(Map.of(provider.baseUrlSetting(), "http://127.0.0.1:9/v1"));

      BatchClient client = BatchClients.of(provider.id(), settings, new ModelResolver(settings));

      assertThat(client.provider()).isEqualTo(provider.id());
    }
  }

  @Test
  void theUnsupportedMessageNamesEveryProviderWithABatchApi() {
    String message = BatchClients.unsupported("gguf:/models/tiny.gguf").getMessage();

    assertThat(message).contains(batching.stream().map(provider -> provider.id() + ":<model>").toList());
  }

  @Test
  void aBatchApiCostsMoreThanNothingAndAtMostTheListPrice() {
    assertThatThrownBy(() -> new Provider.Batch(0, OpenAiBatchClient::new)).hasMessageContaining("must be in (0, 1]");
    assertThatThrownBy(() -> new Provider.Batch(1.5, OpenAiBatchClient::new)).hasMessageContaining("must be in (0, 1]");
  }
}
