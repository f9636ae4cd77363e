package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * The last number in the output is within a tolerance of the expected number:
 * {@code |actual - expected| <= tolerance}, or {@code <= tolerance * |expected|} when {@link #relative()}.
 * Thousands separators ({@code 1,234.5}) are understood.
 *
 * <pre>{@code @ExpectNumber(tolerance = 0.01)}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface ExpectNumber {
  double tolerance() default 0.0;

  /** Treat {@link #tolerance()} as a fraction of the expected value. */
  boolean relative() default false;
}
