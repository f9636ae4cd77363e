/**
 * What a run leaves behind for people: the self-contained HTML report
 * ({@link io.promptunit.report.HtmlReport} from {@link io.promptunit.report.SuiteReport}s), an
 * optimization's files (best prompt, history, diff), strategy comparisons and safe rewrites of a
 * user's prompt file. It may use optimize, eval, check, model, suite and config; only the JUnit
 * adapter and the Jupiter integration use it. No JUnit here.
 */
package io.promptunit.report;
