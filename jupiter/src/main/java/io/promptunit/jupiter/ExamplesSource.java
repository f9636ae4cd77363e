package io.promptunit.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Feeds a {@code @ParameterizedTest} with the examples of a JSONL or CSV file: one invocation per
 * example, named {@code [n] id: input}. The file is read exactly as a {@code @PromptTest} suite reads
 * it (a broken line fails the test naming {@code src/test/resources/...:line} and the fix).
 *
 * <p>Parameters are bound in order: an {@link io.promptunit.Example} parameter receives the example;
 * a {@code String} (or {@code Object}) parameter receives the example's field of the same name —
 * {@code id}, {@code input}, {@code expected}, {@code split}, a variable of an {@code input} object,
 * or any other field (names need the compiler's {@code -parameters} flag). Parameters after those,
 * such as {@code TestInfo} or a {@link PromptEvaluator}, are left to other resolvers.
 *
 * <p>It needs JUnit 5.13 or newer: on an older one the test fails with a message naming the JUnit
 * found and how to update it.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @ExamplesSource(value = "prompts/router.jsonl", split = "test", tags = "refund")
 * void routesRefunds(Example example) {
 *   assertThat(router.route(example.input())).isEqualTo(example.expected());
 * }
 *
 * @ParameterizedTest
 * @ExamplesSource("prompts/router.jsonl")
 * void routes(String input, String expected) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE, ElementType.TYPE})
@ArgumentsSource(ExamplesArgumentsProvider.class)
@API(status = EXPERIMENTAL, since = "0.1")
@ExtendWith(SupportedJUnitCondition.class)
public @interface ExamplesSource {

  /** Classpath path of the examples file, e.g. {@code prompts/router.jsonl} (under {@code src/test/resources}). */
  String value();

  /** Only examples of these splits ({@code train}, {@code dev}, {@code test}); empty for every example. */
  String[] split() default {};

  /** Only examples carrying at least one of these tags; empty for every example. */
  String[] tags() default {};
}
