/**
 * The JUnit Platform adapter: {@link io.promptunit.junit.PromptUnitTestEngine} (registered through
 * {@code META-INF/services}), discovery of {@code @PromptTest} suites, the test descriptors (suite,
 * example, pass rate, baseline, optimization rounds and verdict) and their execution. The only
 * package that uses JUnit's engine API; it turns results into what JUnit reports and holds no
 * scoring or optimizing logic of its own. It may use every engine package below it (report,
 * optimize, eval, check, model, suite, config); nothing depends on it. Internal: users meet it
 * only as the {@code promptunit} engine.
 */
package io.promptunit.junit;
