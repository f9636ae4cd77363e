/**
 * What a test author writes: {@link io.promptunit.PromptTest} on an anchor class, the
 * {@code @Expect...} checks, {@link io.promptunit.Check} methods that receive an
 * {@link io.promptunit.Example}, {@link io.promptunit.ModelFactory} and
 * {@link io.promptunit.EmbeddingModelFactory} methods, and {@link io.promptunit.Optimize}.
 * Every type is {@code @API(status = EXPERIMENTAL)}. The package depends on the JDK, JUnit's
 * {@code @Testable} (so IDEs offer to run an anchor class) and {@code @API}, nothing else; the engine
 * and the Jupiter integration read these annotations, never the reverse.
 */
package io.promptunit;
