package io.promptunit.check;

import io.promptunit.check.Conversation;
import io.promptunit.Example;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The last number in the output is within a tolerance of the expected number. */
final class NumberCheck implements OutputCheck {

  /** A sign counts only where it cannot be a dash between words or digits ("5-7 days", "2024-05-01"). */
  private static final Pattern NUMBER = Pattern.compile(
      "(?:(?<![\\w.])[-+])?(?:(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|\\.\\d+)(?:[eE][-+]?\\d+)?");

  private final double tolerance;
  private final boolean relative;

  NumberCheck(double tolerance, boolean relative) {
    this.tolerance = tolerance;
    this.relative = relative;
  }

  @Override
  public String name() {
    return "number within " + (relative ? tolerance * 100 + "%" : "±" + tolerance);
  }

  static Optional<BigDecimal> lastNumber(String text) {
    Matcher matcher = NUMBER.matcher(text);
    String last = null;
    while (matcher.find()) {
      last = matcher.group();
    }
    return last == null ? Optional.empty() : Optional.of(new BigDecimal(last.replace(",", "").replace("+", "")));
  }

  @Override
  public Optional<CheckFailure> check(Example example, Conversation conversation, String output) {
    Optional<BigDecimal> expected = lastNumber(example.expected());
    if (expected.isEmpty()) {
      return Optional.of(new CheckFailure(name(),
          "the expected value of " + example.location() + " has no number; fix it in the examples file",
          example.expected(), output));
    }
    Optional<BigDecimal> actual = lastNumber(output);
    if (actual.isEmpty()) {
      return Optional.of(new CheckFailure(name(), "the output contains no number", example.expected(), output));
    }
    BigDecimal difference = actual.get().subtract(expected.get()).abs();
    BigDecimal allowed = relative ? BigDecimal.valueOf(tolerance).multiply(expected.get().abs())
        : BigDecimal.valueOf(tolerance);
    return difference.compareTo(allowed) <= 0
        ? Optional.empty()
        : Optional.of(new CheckFailure(name(), "the output's number " + actual.get().toPlainString() + " is off by "
            + difference.stripTrailingZeros().toPlainString(), expected.get().toPlainString(),
            actual.get().toPlainString()));
  }
}
