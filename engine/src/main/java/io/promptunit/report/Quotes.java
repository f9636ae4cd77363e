package io.promptunit.report;

import io.promptunit.Example;
import io.promptunit.optimize.OptimizationResult;
import java.util.List;
import java.util.Locale;

/**
 * Which examples a prompt quotes verbatim: an example is quoted when one of its variable values, at least
 * {@value #MIN_CHARS} characters long, occurs in the prompt (whitespace and case aside); a value longer than
 * {@value #PREFIX_CHARS} characters is quoted when its first {@value #PREFIX_CHARS} do, as a long value is shown cut
 * short (a demonstrations section quotes at most 600 characters of each). Demonstrations quote train examples by
 * design; an optimized prompt that copies them may fit those examples only.
 */
final class Quotes {

  /** Shorter values (a word, a number) occur in prompts by chance. */
  static final int MIN_CHARS = 12;

  /** A long value counts as quoted when this many of its first characters are: it may be quoted cut short. */
  static final int PREFIX_CHARS = 200;

  private Quotes() {}

  /** The ids of the {@code examples} that {@code prompt} quotes, in order. */
  static List<String> quoted(String prompt, List<Example> examples) {
    String text = normalized(prompt);
    return examples.stream().filter(example -> example.variables().values().stream()
        .map(value -> normalized(String.valueOf(value)))
        .anyMatch(value -> value.length() >= MIN_CHARS
            && text.contains(value.substring(0, Math.min(value.length(), PREFIX_CHARS)))))
        .map(Example::id).toList();
  }

  /** The summary's paragraph on the quoted examples. */
  static String describe(OptimizationResult result, List<String> train, List<String> selection, List<String> heldOut) {
    StringBuilder text = new StringBuilder();
    int trainSize = result.splits().train().size();
    text.append("The best prompt quotes ").append(train.size()).append(" of ").append(trainSize)
        .append(" train examples").append(train.isEmpty() ? "" : " (" + String.join(", ", train) + ")").append('.');
    if (!train.isEmpty() && result.improved()) {
      text.append(" **It quotes train inputs verbatim**: check that it does not fit those examples only"
          + " (compare its train and held-out scores above).");
    }
    if (!selection.isEmpty()) {
      text.append(" **It quotes ").append(selection.size()).append(' ').append(result.splits().selectionName())
          .append(" examples** (").append(String.join(", ", selection)).append("), which chose it: its ")
          .append(result.splits().selectionName()).append(" score is no evidence.");
    }
    if (!heldOut.isEmpty()) {
      text.append(" **It quotes ").append(heldOut.size()).append(" held-out ").append(result.splits().heldOutName())
          .append(" examples** (").append(String.join(", ", heldOut)).append("): its held-out score is no evidence.");
    }
    return text.toString();
  }

  private static String normalized(String text) {
    return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
