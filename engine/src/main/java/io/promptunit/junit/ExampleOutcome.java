package io.promptunit.junit;

import io.promptunit.Example;
import io.promptunit.eval.Attempt;
import io.promptunit.check.CheckFailure;
import io.promptunit.eval.ExampleResult;
import io.promptunit.model.ConsoleText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.reporting.ReportEntry;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Turns an example's result into what JUnit reports: nothing for a pass; an
 * {@link AssertionFailedError} with expected and actual (IDE diff view) for a failed check; the
 * model's error itself (a test error, not a failure) when no answer could be had; and, in a suite
 * that tolerates failures up to a pass rate, a failure reported as aborted with the same details.
 */
final class ExampleOutcome {

  private static final int MAX_SHOWN = 2000;

  private ExampleOutcome() {}

  static void publishEntries(TestDescriptor descriptor, ExampleResult result, EngineExecutionListener listener) {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(ReportEntryKeys.LATENCY_MS, String.valueOf(result.latencyMillis()));
    entries.put(ReportEntryKeys.INPUT_TOKENS, String.valueOf(result.inputTokens()));
    entries.put(ReportEntryKeys.OUTPUT_TOKENS, String.valueOf(result.outputTokens()));
    entries.put(ReportEntryKeys.MODEL_CALLS, String.valueOf(result.modelCalls()));
    long cached = result.attempts().stream().filter(a -> a.reply().map(io.promptunit.model.Reply::cached).orElse(false))
        .count();
    if (cached > 0) {
      entries.put(ReportEntryKeys.CACHED_ANSWERS, String.valueOf(cached));
    }
    if (result.attempts().size() > 1 || result.requiredPasses() > 1) {
      entries.put(ReportEntryKeys.RUNS_PASSED, result.passedRuns() + "/" + result.attempts().size());
    }
    listener.reportingEntryPublished(descriptor, ReportEntry.from(entries));
  }

  /** @param tolerated whether the suite tolerates failures up to a pass rate */
  static void raise(ExampleResult result, boolean tolerated) {
    switch (result.status()) {
      case PASSED:
        return;
      case ERROR:
        throw result.firstError().orElseThrow();
      default:
        AssertionFailedError failure = failure(result);
        if (tolerated) {
          TestAbortedException aborted = new TestAbortedException(
              "FAILED, but tolerated by the suite's minPassRate (the suite container carries the verdict): "
                  + failure.getMessage(), failure);
          aborted.setStackTrace(at(result.example()));
          throw aborted;
        }
        throw failure;
    }
  }

  static AssertionFailedError failure(ExampleResult result) {
    Example example = result.example();
    Attempt attempt = result.firstFailedAttempt().orElseThrow();
    CheckFailure first = attempt.failures().get(0);
    StringBuilder message = new StringBuilder();
    // the test's name already carries the id: the message starts with what failed and where
    message.append("failed ").append(attempt.failures().stream().map(CheckFailure::check)
        .collect(Collectors.joining(", ")));
    message.append(" at ").append(example.location());
    if (result.attempts().size() > 1 || result.requiredPasses() > 1) {
      message.append(" — ").append(result.passedRuns()).append(" of ").append(result.attempts().size())
          .append(" runs passed, ").append(result.requiredPasses()).append(" needed; first failing run");
    }
    message.append('\n');
    example.variables().forEach((name, value) -> message.append(label(name)).append(shorten(value.toString()))
        .append('\n'));
    message.append(label("expected")).append(shorten(first.expected())).append('\n');
    message.append(label("actual")).append(shorten(first.actual()));
    for (CheckFailure failure : attempt.failures()) {
      message.append("\n  ").append(failure.check()).append(": ").append(failure.reason());
    }
    attempt.cutOff().ifPresent(note -> message.append("\n  ").append(note));
    // the message is what consoles print: an answer's control characters shown escaped; the diff keeps them
    AssertionFailedError failure = new AssertionFailedError(ConsoleText.escape(message.toString()), first.expected(),
        first.actual());
    failure.setStackTrace(at(example));
    return failure;
  }

  /**
   * The trace of a failed example: one frame pointing at its line in the examples file (IDE
   * consoles render it as a link), none of the engine's frames, which say nothing to the user.
   */
  static StackTraceElement[] at(Example example) {
    String file = example.file().substring(example.file().lastIndexOf('/') + 1);
    return new StackTraceElement[] {new StackTraceElement(example.file().replace('/', '.'), example.id(), file,
        example.line())};
  }

  private static String label(String name) {
    String padded = ("  " + name + ":");
    return padded.length() < 12 ? padded + " ".repeat(12 - padded.length()) : padded + " ";
  }

  private static String shorten(String text) {
    String indented = text.replace("\n", "\n            ");
    return indented.length() > MAX_SHOWN ? indented.substring(0, MAX_SHOWN) + "… (" + text.length() + " chars)"
        : indented;
  }
}
