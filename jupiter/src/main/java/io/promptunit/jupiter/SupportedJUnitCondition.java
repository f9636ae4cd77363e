package io.promptunit.jupiter;

import io.promptunit.core.SupportedJUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails an {@link ExamplesSource} test on a JUnit older than PromptUnit supports, with the message
 * that names the JUnit found and how to update it. It has to come first: Jupiter Params before 5.13
 * cannot even list the methods of the arguments provider (they name a 5.13 type) and would fail with
 * a {@code NoClassDefFoundError}. Conditions are evaluated before a parameterized test asks its
 * sources for arguments; {@code @ExamplesSource} registers this one through {@code @ExtendWith}.
 */
final class SupportedJUnitCondition implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    SupportedJUnit.requireJupiterParams();
    return ConditionEvaluationResult.enabled("PromptUnit supports this JUnit");
  }
}
