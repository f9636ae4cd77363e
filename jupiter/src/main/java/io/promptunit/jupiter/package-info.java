/**
 * Prompts from ordinary JUnit Jupiter tests: {@link io.promptunit.jupiter.ExamplesSource} feeds a
 * parameterized test one example at a time, {@link io.promptunit.jupiter.PromptUnitExtension} and
 * {@link io.promptunit.jupiter.PromptEvaluator} score a prompt into an
 * {@link io.promptunit.jupiter.Evaluation}, and {@link io.promptunit.jupiter.PromptAssertions}
 * asserts on it with AssertJ. Every public type is {@code @API(status = EXPERIMENTAL)}. It may use
 * JUnit Jupiter, AssertJ, the annotations and the engine's plain-Java packages (core, through which
 * it opens suites as the engine does, and report, optimize, eval, check, model, suite, config),
 * never the engine's JUnit Platform adapter ({@code io.promptunit.junit}); nothing in the engine
 * depends on it.
 */
package io.promptunit.jupiter;
