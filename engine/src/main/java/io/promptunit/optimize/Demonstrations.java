package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.promptunit.Example;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * Few-shot demonstrations, for any strategy that writes prompts: a section of train examples (inputs and expected
 * output) put before the prompt's first placeholder. Only train examples are ever quoted ({@link #insert} refuses any
 * other); which, and how many up to a cap, is chosen by score ({@link #choose}: the train examples failed most often).
 * The summary counts the train examples a prompt quotes and flags an optimized prompt that quotes them.
 */
@API(status = INTERNAL, since = "0.1")
public final class Demonstrations {

  public static final String HEADING = "Examples of correct answers:";

  private Demonstrations() {}

  /**
   * Up to {@code cap} train examples, most often failed first (ties in train order); only examples failed at least
   * once: a demonstration of what the prompt already gets right teaches nothing.
   *
   * @param failures how often each example's id was failed (ids of other splits are ignored)
   */
  public static List<Example> choose(List<Example> train, Map<String, Integer> failures, int cap) {
    List<Example> failed = new ArrayList<>(train.stream().filter(e -> failures.getOrDefault(e.id(), 0) > 0).toList());
    failed.sort(Comparator.comparingInt((Example e) -> -failures.get(e.id())));
    return List.copyOf(failed.subList(0, Math.min(cap, failed.size())));
  }

  /** Whether {@code prompt} already has a demonstrations section. */
  public static boolean present(String prompt) {
    return prompt.contains(HEADING);
  }

  /**
   * {@code prompt} with a demonstrations section of {@code examples} before the line of its first placeholder.
   *
   * @throws IllegalArgumentException when one of {@code examples} is not a train example: dev chooses prompts and
   *     test judges them, so neither may be quoted
   */
  public static String insert(OptimizationContext context, String prompt, List<Example> examples) {
    Set<Example> train = new HashSet<>(context.splits().train());
    for (Example example : examples) {
      if (!train.contains(example)) {
        throw new IllegalArgumentException("demonstrations quote train examples only, not " + example.id());
      }
    }
    StringBuilder section = new StringBuilder(HEADING).append("\n\n");
    for (Example example : examples) {
      for (Map.Entry<String, Object> variable : new TreeMap<>(example.variables()).entrySet()) {
        section.append(variable.getKey()).append(": ").append(StrategyText.cut(String.valueOf(variable.getValue())))
            .append('\n');
      }
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
