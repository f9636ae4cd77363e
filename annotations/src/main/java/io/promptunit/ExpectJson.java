package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * The output is JSON equal to the expected JSON value. Object key order and insignificant
 * whitespace do not matter; a Markdown code fence around the output is tolerated. With
 * {@link #fields()}, only those top-level fields are compared (a field missing from the output fails).
 *
 * <pre>{@code @ExpectJson(fields = {"name", "email"})}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface ExpectJson {
  /** Top-level fields to compare; empty compares the whole value. */
  String[] fields() default {};
}
