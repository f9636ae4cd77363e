package io.promptunit.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A response longer than {@link AnswerBody#LIMIT}: not an answer PromptUnit can use, and not worth
 * asking again (a server that ignores the output cap does it again), but paid for: it carries the
 * token usage the server reported, found in the body's first and last bytes, so that it is counted.
 */
final class AnswerTooLongException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Usage fields of OpenAI, Anthropic and Gemini; not inside a string (no backslash before the quote). */
  private static final Pattern INPUT = Pattern.compile(
      "(?<!\\\\)\"(?:prompt_tokens|input_tokens|promptTokenCount)\"\\s*:\\s*(\\d{1,15})");
  private static final Pattern OUTPUT = Pattern.compile(
      "(?<!\\\\)\"(?:completion_tokens|output_tokens|candidatesTokenCount)\"\\s*:\\s*(\\d{1,15})");

  private final long bytes;
  private final transient Optional<Long> inputTokens;
  private final transient Optional<Long> outputTokens;

  AnswerTooLongException(long bytes, String edges) {
    super("the response had " + bytes + " bytes, more than the " + (AnswerBody.LIMIT >> 20) + " MB PromptUnit"
        + " accepts");
    this.bytes = bytes;
    this.inputTokens = last(INPUT, edges);
    this.outputTokens = last(OUTPUT, edges);
  }

  /** The over-long answer that caused {@code e}, if one did. */
  static Optional<AnswerTooLongException> in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AnswerTooLongException tooLong) {
        return Optional.of(tooLong);
      }
    }
    return Optional.empty();
  }

  private static Optional<Long> last(Pattern field, String text) {
    Matcher matcher = field.matcher(text);
    Optional<Long> found = Optional.empty();
    while (matcher.find()) {
      found = Optional.of(Long.parseLong(matcher.group(1)));
    }
    return found;
  }

  long bytes() {
    return bytes;
  }

  /** The input tokens the server reported, if it did. */
  Optional<Long> inputTokens() {
    return inputTokens;
  }

  /** The output tokens the server reported, if it did. */
  Optional<Long> outputTokens() {
    return outputTokens;
  }
}
