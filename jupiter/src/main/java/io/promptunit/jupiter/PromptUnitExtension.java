package io.promptunit.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.promptunit.config.Configuration;
import org.apiguardian.api.API;
import io.promptunit.core.PromptUnit;
import io.promptunit.core.SupportedJUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import java.util.Optional;

/**
 * Injects a {@link PromptEvaluator} into test methods, constructors and lifecycle methods. There is
 * one per test class: the class is its anchor (its {@code @ModelFactory} method, {@code @Expect...}
 * annotations and cassette {@code src/test/cassettes/<test class>.jsonl}), its settings are JUnit's
 * configuration ({@code -D} options, {@code junit-platform.properties}) and then the environment, as
 * for {@code @PromptTest}, read once per test run: the classes' evaluators share one core (its models, its
 * once-per-run warnings), closed when the run ends. An evaluator is closed with its class's extension context.
 *
 * <p>It needs JUnit 5.13 or newer: on an older one the test class fails before its first test, with
 * one message that names the JUnit found and how to update it.
 *
 * <pre>{@code
 * @ExtendWith(PromptUnitExtension.class)
 * class RouterTest {
 *   @ModelFactory static ChatModel model() { ... }
 *
 *   @Test
 *   void routesWell(PromptEvaluator evaluator) {
 *     Evaluation evaluation = evaluator.evaluate("prompts/router.prompt", "prompts/router.jsonl");
 *     PromptAssertions.assertThat(evaluation).onSplit("test").hasPassRateAtLeast(0.9);
 *   }
 * }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PromptUnitExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
    ParameterResolver, TestWatcher {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PromptUnitExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    SupportedJUnit.requireJupiter();
  }

  /** Evaluations made during a test are named, in the console and the report, by its method and display name. */
  @Override
  public void beforeEach(ExtensionContext context) {
    context.getTestMethod().ifPresent(method -> PromptEvaluator.CURRENT_TEST.set(testName(context)));
  }

  private static PromptEvaluator.TestName testName(ExtensionContext context) {
    return new PromptEvaluator.TestName(context.getUniqueId(), context.getRequiredTestMethod().getName(),
        context.getDisplayName());
  }

  /** The evaluations' verdicts are their tests' outcomes: each finished test is told to the class's evaluator. */
  @Override
  public void testSuccessful(ExtensionContext context) {
    finished(context, Optional.of(true));
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    finished(context, Optional.of(false));
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    finished(context, Optional.empty());
  }

  private static void finished(ExtensionContext context, Optional<Boolean> passed) {
    if (context.getTestMethod().isEmpty()) {
      return;
    }
    ExtensionContext classContext = classContext(context);
    PromptEvaluator evaluator = classContext.getStore(NAMESPACE).get(classContext.getRequiredTestClass(),
        PromptEvaluator.class);
    if (evaluator != null) {
      evaluator.testFinished(new PromptEvaluator.TestOutcome(context.getUniqueId(), testName(context), passed));
    }
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    PromptEvaluator.CURRENT_TEST.remove();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PromptEvaluator.class;
  }

  @Override
  // JUnit 6's computeIfAbsent is not in JUnit 5.13 and 5.14, which PromptUnit supports too
  @SuppressWarnings("deprecation")
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // registered on a field or a method, the extension is asked for parameters without beforeAll
    SupportedJUnit.requireJupiter();
    ExtensionContext classContext = classContext(context);
    Class<?> testClass = classContext.getRequiredTestClass();
    ExtensionContext owner = classContext;
    // one core for the whole test run, closed (models freed, unpriced models warned about) when the run ends
    PromptUnit core = owner.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(PromptUnit.class,
        type -> PromptUnit.start(Configuration.fromLauncher(owner::getConfigurationParameter,
            testClass.getClassLoader() != null ? testClass.getClassLoader() : ClassLoader.getSystemClassLoader())),
        PromptUnit.class);
    return classContext.getStore(NAMESPACE)
        .getOrComputeIfAbsent(testClass, type -> PromptEvaluator.forJupiter(type, core), PromptEvaluator.class);
  }
}
