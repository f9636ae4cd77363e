/**
 * The providers' batch APIs, one {@link io.promptunit.model.batch.client.BatchClient} each
 * ({@link io.promptunit.model.batch.client.OpenAiBatchClient},
 * {@link io.promptunit.model.batch.client.AnthropicBatchClient},
 * {@link io.promptunit.model.batch.client.GeminiBatchClient}) over the HTTP they share.
 *
 * <p>Depends on no other PromptUnit package: the provider table ({@code io.promptunit.model.Providers})
 * names each provider's client factory ({@code OpenAiBatchClient::new}), and batch mode
 * ({@code io.promptunit.model.batch}) drives the clients, so both sit above this package. What a
 * client needs from PromptUnit comes in its {@link io.promptunit.model.batch.client.BatchClient.Endpoint}
 * (base URL, key, timeout and the redaction of keys). Adding a provider with a batch API: its client
 * class here, and its entry in {@code Providers.ALL} naming it.
 */
package io.promptunit.model.batch.client;
