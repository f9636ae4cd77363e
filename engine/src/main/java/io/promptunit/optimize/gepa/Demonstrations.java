package io.promptunit.optimize.gepa;

import io.promptunit.Example;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Few-shot demonstrations: a section of train examples (inputs and expected output) put before the prompt's first
 * placeholder. Only train examples are ever quoted; which, and how many up to the cap, is chosen by score: the train
 * examples the run's candidates failed most often on their minibatches, the hardest first.
 */
final class Demonstrations {

  static final String HEADING = "Examples of correct answers:";

  private Demonstrations() {}

  /**
   * Up to {@code cap} train examples, most often failed first (ties in train order); only examples failed at least
   * once: a demonstration of what the prompt already gets right teaches nothing.
   *
   * @param failures how often each train example's id was failed on a minibatch
   */
  static List<Example> choose(List<Example> train, Map<String, Integer> failures, int cap) {
    List<Example> failed = new ArrayList<>(train.stream().filter(e -> failures.getOrDefault(e.id(), 0) > 0).toList());
    failed.sort(Comparator.comparingInt((Example e) -> -failures.get(e.id())));
    return List.copyOf(failed.subList(0, Math.min(cap, failed.size())));
  }

  /** Whether {@code prompt} already has a demonstrations section. */
  static boolean present(String prompt) {
    return prompt.contains(HEADING);
  }

  /** {@code prompt} with a demonstrations section of {@code examples} before the line of its first placeholder. */
  static String insert(String prompt, List<Example> examples) {
    StringBuilder section = new StringBuilder(HEADING).append("\n\n");
    for (Example example : examples) {
      Questions.appendInputs(section, example);
      section.append("output: ").append(example.expected()).append("\n\n");
    }
    int placeholder = prompt.indexOf("{{");
    if (placeholder < 0) {
      return prompt.stripTrailing() + "\n\n" + section.toString().stripTrailing();
    }
    int lineStart = prompt.lastIndexOf('\n', placeholder) + 1;
    return prompt.substring(0, lineStart) + section + prompt.substring(lineStart);
  }
}
