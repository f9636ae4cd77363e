package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.platform.commons.annotation.Testable;

/**
 * Marks an anchor class as a prompt suite: a prompt template under test plus a file of labeled
 * examples, each of which becomes one test.
 *
 * <pre>{@code
 * @PromptTest(prompt = "prompts/router.prompt", examples = "prompts/router.jsonl")
 * class RouterPromptTest {}
 * }</pre>
 *
 * <p>Paths are classpath resources (usually under {@code src/test/resources}). The template uses
 * langchain4j {@code {{variable}}} syntax; every variable must be provided by every example.
 * With no check annotation and no {@link Check} method, an output passes when it equals the
 * expected value after normalisation (see {@link ExpectNormalized}).
 */
@Documented
@Testable
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface PromptTest {

  /** Classpath path of the prompt template (the user message), e.g. {@code prompts/router.prompt}. */
  String prompt();

  /** Classpath path of the labeled examples: {@code .jsonl} (one JSON object per line) or {@code .csv} (header row). */
  String examples();

  /** Optional classpath path of a system message template; same {@code {{variable}}} syntax. */
  String system() default "";

  /**
   * Optional model for this suite, e.g. {@code openai:gpt-4o-mini} or {@code anthropic:claude-3-5-haiku-latest}.
   * Empty means: a {@link ModelFactory} method on this class, else the {@code promptunit.model} setting.
   */
  String model() default "";

  /**
   * Several models to run the suite against side by side, e.g. {@code {"openai:gpt-4o-mini",
   * "anthropic:claude-haiku-4-5"}}: one container per model, each with its own pass-rate verdict, and a table naming
   * the cheapest model that passes. The {@code promptunit.models} setting wins over it; one model is the same as
   * {@link #model()}.
   */
  String[] models() default {};

  /** Sampling temperature of scoring calls. Scoring is deterministic (0) unless a suite says otherwise. */
  double temperature() default 0.0;

  /** How many times each example is run; see {@link #minPasses()}. For flaky outputs. */
  int repeats() default 1;

  /** How many of the {@link #repeats()} runs must pass for the example to pass; 0 means all of them. */
  int minPasses() default 0;

  /**
   * Fraction of examples (0..1] that must pass for the suite to pass. Below 1, a failing example is
   * reported <em>aborted</em> with its failure (it is never shown as passed), and the suite container
   * fails when the pass rate is below this value.
   */
  double minPassRate() default 1.0;

  /** Maximum concurrent model calls for this suite; 0 means the {@code promptunit.concurrency} setting (default 8). */
  int concurrency() default 0;
}
