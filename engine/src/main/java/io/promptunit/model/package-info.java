/**
 * Calling models: the provider table and resolution of {@code provider:model} strings into
 * langchain4j chat models, the {@link io.promptunit.model.ModelClient} every call goes through
 * ({@link io.promptunit.model.RetryPolicy}: retries, rate limits, measurement), cassettes for
 * record and replay, prices, {@link io.promptunit.model.Spend} and the
 * {@link io.promptunit.model.Budget} that caps it, keeping API keys out of output and off other
 * hosts ({@link io.promptunit.model.Secrets}, {@link io.promptunit.model.Provider#isOwnApi}), and
 * control characters of answers off the console ({@link io.promptunit.model.ConsoleText}). It may use
 * the annotations ({@code @ModelFactory}), config and model.local; check, eval and the layers above
 * use it. It knows nothing of suites, and no JUnit.
 */
package io.promptunit.model;
