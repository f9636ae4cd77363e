package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * The default check: the output equals the expected value after normalisation — surrounding
 * whitespace trimmed, case ignored, runs of whitespace collapsed, trailing punctuation
 * ({@code . ! ? ; : ,}) and wrapping quotes dropped. Declare it explicitly to combine it with other checks.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface ExpectNormalized {}
