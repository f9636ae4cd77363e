/**
 * Calling models: the provider table and resolution of {@code provider:model} strings into
 * langchain4j chat models, the {@link io.promptunit.model.ModelClient} every call goes through
 * ({@link io.promptunit.model.RetryPolicy}: retries, rate limits, measurement), cassettes for
 * record and replay, prices, {@link io.promptunit.model.Spend} and the
 * {@link io.promptunit.model.Budget} that caps it, and keeping API keys out of output. It may use
 * the annotations ({@code @ModelFactory}), config and model.local; check, eval and the layers above
 * use it. It knows nothing of suites, and no JUnit.
 */
package io.promptunit.model;
