package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Marks a custom check: a method of the anchor class that receives the model output (a
 * {@code String}) and, optionally, the {@link Example}, in any order. It fails the example by
 * throwing an {@link AssertionError} (AssertJ's {@code assertThat} does) or by returning
 * {@code false}; returning normally (or {@code true}) passes.
 *
 * <pre>{@code
 * @Check
 * void answersWithOneWord(Example example, String output) {
 *   assertThat(output.strip()).doesNotContainAnyWhitespaces();
 * }
 * }</pre>
 *
 * <p>Custom checks are combined with any {@code @Expect...} annotations on the class: all must pass.
 * When a class declares only custom checks, the default normalized-equality check is not applied.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface Check {}
