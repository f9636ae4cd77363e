/**
 * Scoring a prompt on examples: the {@link io.promptunit.eval.ScoringSession} that owns a suite's
 * models, cassette, checks, concurrency and spend (shared by the JUnit adapter, the Jupiter
 * integration, every strategy and plain-Java callers), the results it hands back
 * ({@link io.promptunit.eval.ExampleResult}, {@link io.promptunit.eval.Attempt}), concurrent suite
 * runs, batch-mode filling of a cassette and the baseline regression gate. Sessions are opened by
 * {@code io.promptunit.core.PromptUnit}. It may use check, model, suite and config; optimize,
 * report, core and the two JUnit integrations use it. No JUnit here.
 */
package io.promptunit.eval;
