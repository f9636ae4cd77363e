package io.promptunit.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.promptunit.Example;
import io.promptunit.eval.Attempt;
import io.promptunit.check.CheckFailure;
import io.promptunit.eval.ExampleResult;
import io.promptunit.model.ConsoleText;
import io.promptunit.model.Secrets;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One example of an {@link Evaluation} and how it fared: passed, failed (the output failed a check)
 * or error (no answer could be had, e.g. a model error or an exhausted budget).
 *
 * @param result every run of the example, its outputs and the checks' verdicts
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ScoredExample(ExampleResult result) {

  private static final int SHOWN = 300;

  public Example example() {
    return result.example();
  }

  public String id() {
    return result.example().id();
  }

  /** {@code src/test/resources/prompts/router.jsonl:7}. */
  public String location() {
    return result.example().location();
  }

  public ExampleResult.Status status() {
    return result.status();
  }

  public boolean passed() {
    return status() == ExampleResult.Status.PASSED;
  }

  /** The output of the first failing run, else of the last run; empty when the model never answered. */
  public String output() {
    return result.firstFailedAttempt().or(() -> result.attempts().stream().reduce((a, b) -> b))
        .map(Attempt::output).orElse("");
  }

  /** The failed checks of the first failing run. */
  public List<CheckFailure> failures() {
    return result.firstFailedAttempt().map(Attempt::failures).orElse(List.of());
  }

  /** What kept the example from an answer, if anything (secrets redacted). */
  public Optional<String> error() {
    return result.firstError().map(e -> Secrets.redact(String.valueOf(e.getMessage())));
  }

  /** One line: {@code refund-1 (src/test/resources/prompts/router.jsonl:3): expected "billing", got "technical"}. */
  @Override
  public String toString() {
    String where = id() + " (" + location() + ")";
    switch (status()) {
      case PASSED:
        return where + ": passed";
      case ERROR:
        return where + ": error: " + oneLine(error().orElse(""));
      default:
        CheckFailure first = failures().get(0);
        return where + ": expected \"" + oneLine(first.expected()) + "\", got \"" + oneLine(first.actual()) + "\"";
    }
  }

  /** The example as a failure message lists it: where, input, expected, actual and why. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    text.append(passed() ? "  ✔ " : "  ✘ ").append(id()).append(" (").append(location()).append(')');
    example().split().ifPresent(split -> text.append(" [").append(ExampleSelection.name(split)).append(']'));
    example().variables().forEach((name, value) -> text.append('\n').append(label(name))
        .append(oneLine(String.valueOf(value))));
    if (status() == ExampleResult.Status.ERROR) {
      text.append('\n').append(label("error")).append(oneLine(error().orElse("")));
      return text.toString();
    }
    List<CheckFailure> failures = failures();
    text.append('\n').append(label("expected")).append('"')
        .append(oneLine(failures.isEmpty() ? example().expected() : failures.get(0).expected()))
        .append('"');
    text.append('\n').append(label("actual")).append('"')
        .append(oneLine(failures.isEmpty() ? output() : failures.get(0).actual())).append('"');
    for (CheckFailure failure : failures) {
      text.append("\n      ").append(failure.check()).append(": ").append(failure.reason());
    }
    return text.toString();
  }

  private static String label(String name) {
    String padded = "      " + name + ":";
    return padded.length() < 17 ? padded + " ".repeat(17 - padded.length()) : padded + " ";
  }

  /** One line of an answer or input: its control characters escaped, as failure messages are printed. */
  private static String oneLine(String text) {
    String line = ConsoleText.escape(text.strip().replaceAll("\\s+", " "));
    return line.length() > SHOWN ? line.substring(0, SHOWN - 1) + "…" : line;
  }
}
