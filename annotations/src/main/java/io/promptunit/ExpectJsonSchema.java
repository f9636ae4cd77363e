package io.promptunit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The output is JSON valid against a JSON Schema (draft 2020-12 unless the schema's
 * {@code $schema} says otherwise). A Markdown code fence around the output is tolerated.
 *
 * <pre>{@code @ExpectJsonSchema("prompts/contact.schema.json")}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ExpectJsonSchema {
  /** Classpath path of the schema file. */
  String value();
}
