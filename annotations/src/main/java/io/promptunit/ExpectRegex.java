package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * The whole output (trimmed) matches a regular expression: {@link #value()} when given, otherwise
 * each example's expected value is the pattern.
 *
 * <pre>{@code @ExpectRegex("(?i)(yes|no)")}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface ExpectRegex {
  /** The pattern ({@link java.util.regex.Pattern} syntax); empty means: use the example's expected value. */
  String value() default "";
}
