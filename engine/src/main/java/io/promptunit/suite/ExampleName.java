package io.promptunit.suite;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.Example;

/**
 * How an example is named wherever a test shows it — the engine's example tests, Jupiter's
 * parameterized invocations: its id and the beginning of its input on one line,
 * {@code refund-1: I want my money back}.
 */
@API(status = INTERNAL, since = "0.1")
public final class ExampleName {

  private static final int PREVIEW = 60;

  private ExampleName() {}

  /** {@code id: input} (several variables are joined with {@code |}); the id alone for an example without input. */
  public static String of(Example example) {
    String input = example.variables().size() == 1
        ? example.variables().values().iterator().next().toString() : preview(example);
    String shown = oneLinePreview(input);
    return shown.isEmpty() ? example.id() : example.id() + ": " + shown;
  }

  /**
   * The text on one line — stripped, every run of whitespace ({@code \s}) made one space — cut to
   * {@value #PREVIEW} characters with an ellipsis. Only the beginning of the text is looked at: a
   * long input (a whole document) costs no more than a short one.
   */
  public static String oneLinePreview(String text) {
    String stripped = text.strip();
    StringBuilder line = new StringBuilder(Math.min(stripped.length(), PREVIEW + 1));
    boolean inWhitespace = false;
    for (int i = 0; i < stripped.length() && line.length() <= PREVIEW; i++) {
      char c = stripped.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
        if (!inWhitespace) {
          line.append(' ');
          inWhitespace = true;
        }
      } else {
        line.append(c);
        inWhitespace = false;
      }
    }
    return line.length() > PREVIEW ? line.substring(0, PREVIEW - 1) + "…" : line.toString();
  }

  private static String preview(Example example) {
    return example.variables().values().stream().map(Object::toString).reduce((a, b) -> a + " | " + b).orElse("");
  }
}
