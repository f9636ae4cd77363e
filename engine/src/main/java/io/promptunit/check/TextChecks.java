package io.promptunit.check;

import io.promptunit.check.Conversation;
import io.promptunit.Example;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The checks that compare text. */
final class TextChecks {

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[.!?;:,]+$");

  private TextChecks() {}

  /** Trim, lower-case, collapse whitespace, drop wrapping quotes and trailing punctuation. */
  static String normalize(String text) {
    String result = WHITESPACE.matcher(text.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
    for (int round = 0; round < 2; round++) {
      result = TRAILING_PUNCTUATION.matcher(result).replaceAll("").strip();
      if (result.length() >= 2 && isQuote(result.charAt(0)) && result.charAt(result.length() - 1) == result.charAt(0)) {
        result = result.substring(1, result.length() - 1).strip();
      }
    }
    return result;
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'' || c == '`';
  }

  static final class Normalized implements OutputCheck {
    @Override
    public String name() {
      return "normalized equality";
    }

    @Override
    public Optional<CheckFailure> check(Example example, Conversation conversation, String output) {
      return normalize(output).equals(normalize(example.expected()))
          ? Optional.empty()
          : Optional.of(new CheckFailure(name(),
              "the output differs from the expected value (ignoring case, spacing and trailing punctuation)",
              example.expected(), output));
    }
  }

  static final class Exact implements OutputCheck {
    @Override
    public String name() {
      return "exact equality";
    }

    @Override
    public Optional<CheckFailure> check(Example example, Conversation conversation, String output) {
      return output.equals(example.expected())
          ? Optional.empty()
          : Optional.of(new CheckFailure(name(), "the output is not exactly the expected value",
              example.expected(), output));
    }
  }

  static final class IgnoringCase implements OutputCheck {
    @Override
    public String name() {
      return "equality ignoring case";
    }

    @Override
    public Optional<CheckFailure> check(Example example, Conversation conversation, String output) {
      return output.strip().equalsIgnoreCase(example.expected().strip())
          ? Optional.empty()
          : Optional.of(new CheckFailure(name(), "the output differs from the expected value (ignoring case)",
              example.expected(), output));
    }
  }

  static final class Contains implements OutputCheck {
    private final boolean ignoreCase;

    Contains(boolean ignoreCase) {
      this.ignoreCase = ignoreCase;
    }

    @Override
    public String name() {
      return ignoreCase ? "contains (ignoring case)" : "contains";
    }

    @Override
    public Optional<CheckFailure> check(Example example, Conversation conversation, String output) {
      boolean contains = ignoreCase
          ? output.toLowerCase(Locale.ROOT).contains(example.expected().toLowerCase(Locale.ROOT))
          : output.contains(example.expected());
      return contains
          ? Optional.empty()
          : Optional.of(new CheckFailure(name(), "the output does not contain \"" + example.expected() + "\"",
              example.expected(), output));
    }
  }

  static final class Regex implements OutputCheck {
    private final Pattern fixed;

    /** @param pattern the pattern, or empty to use each example's expected value */
    Regex(String pattern) {
      this.fixed = pattern.isEmpty() ? null : Pattern.compile(pattern, Pattern.DOTALL);
    }

    @Override
    public String name() {
      return "regex";
    }

    @Override
    public Optional<CheckFailure> check(Example example, Conversation conversation, String output) {
      Pattern pattern;
      try {
        pattern = fixed != null ? fixed : Pattern.compile(example.expected(), Pattern.DOTALL);
      } catch (PatternSyntaxException e) {
        return Optional.of(new CheckFailure(name(),
            "the expected value of " + example.location() + " is not a valid regex: "
            + e.getDescription() + "; fix the pattern in the examples file", example.expected(), output));
      }
      return pattern.matcher(output.strip()).matches()
          ? Optional.empty()
          : Optional.of(new CheckFailure(name(), "the output does not match /" + pattern.pattern() + "/",
              pattern.pattern(), output));
    }
  }
}
