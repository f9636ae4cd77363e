/**
 * Deciding whether one output is right: the built-in checks behind the {@code @Expect...}
 * annotations (text, JSON and JSON schema, number, similarity, LLM judge), custom
 * {@code @Check} methods, and the {@link io.promptunit.check.CheckFailure} that says what differed.
 * The same code serves suites and the Jupiter integration's AssertJ assertions. It may use model,
 * suite and config; eval and the layers above use it. No JUnit here (a failed check is opentest4j's
 * AssertionFailedError).
 */
package io.promptunit.check;
