package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * An LLM judge grades the output against a rubric. The judge sees the rendered prompt, the
 * expected value, the output and the rubric, and must answer with a verdict (PASS or FAIL) and a
 * reason; the reason is shown when the check fails.
 *
 * <pre>{@code @ExpectJudge(rubric = "The reply is polite and names the refund amount.")}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface ExpectJudge {
  /** What a good output does; the judge grades against this. */
  String rubric();

  /**
   * The judge model, e.g. {@code openai:gpt-4o}. Empty means the {@code promptunit.judge.model}
   * setting, else the suite's own model.
   */
  String model() default "";
}
