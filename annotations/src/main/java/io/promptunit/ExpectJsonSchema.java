package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * The output is JSON valid against a JSON Schema (draft 2020-12 unless the schema's
 * {@code $schema} says otherwise). A Markdown code fence around the output is tolerated.
 *
 * <pre>{@code @ExpectJsonSchema("prompts/contact.schema.json")}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface ExpectJsonSchema {
  /** Classpath path of the schema file. */
  String value();
}
