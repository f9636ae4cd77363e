package io.promptunit.optimize.gepa;

import io.promptunit.Example;
import io.promptunit.optimize.OptimizationContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The closed set of expected outputs, when the train examples show one, as a sentence for the meta-prompts. */
final class Labels {

  private static final int MAX_LABELS = 12;
  private static final int MAX_LABEL_CHARS = 40;

  private Labels() {}

  /** {@code The expected output is always one of: P1, P2, P3.} and a blank line, or empty when outputs are open. */
  static String describe(OptimizationContext context) {
    List<Example> train = context.splits().train();
    Set<String> labels = new LinkedHashSet<>();
    for (Example example : train) {
      labels.add(example.expected().strip());
    }
    boolean closed = labels.size() <= MAX_LABELS && labels.size() < train.size()
        && labels.stream().allMatch(label -> !label.isEmpty() && label.length() <= MAX_LABEL_CHARS);
    return closed ? "The expected output is always one of: " + String.join(", ", labels.stream().sorted().toList())
        + ".\n\n" : "";
  }
}
