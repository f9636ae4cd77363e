package io.promptunit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The output contains the expected value (for example a keyword that must be mentioned). */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ExpectContains {
  /** Compare ignoring case. */
  boolean ignoreCase() default false;
}
