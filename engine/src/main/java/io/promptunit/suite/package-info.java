/**
 * Loading a suite: {@link io.promptunit.suite.SuiteLoader} reads an anchor's prompt
 * {@link io.promptunit.suite.Template}s and its examples file (JSON Lines or CSV, each example with
 * its {@code file:line}) into a {@link io.promptunit.suite.Suite}, collecting every problem into one
 * {@link io.promptunit.suite.InvalidSuiteException} instead of stopping at the first. Also stable
 * example names. It may use the annotations and config; check, eval and the layers
 * above use it, model does not. No JUnit here.
 */
package io.promptunit.suite;
