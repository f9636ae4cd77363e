/**
 * The core entry point: {@link io.promptunit.core.PromptUnit} turns a configuration into running
 * suites — models, cassettes, sessions, optimizations — the same way for every caller. The JUnit
 * adapter ({@code io.promptunit.junit}), the Jupiter integration and plain-Java code all start
 * here and only translate its results.
 *
 * <p>May depend on every layer below it (optimize, eval, check, model, suite, config); nothing in
 * the engine depends on it but the JUnit adapter.
 */
package io.promptunit.core;
