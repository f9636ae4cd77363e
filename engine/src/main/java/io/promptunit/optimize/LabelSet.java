package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.Example;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The expected outputs of a classification suite: a small closed set of short labels, each expected
 * of several examples. A meta-prompt that shows failures of one label only (hard negatives that share
 * a label) leaves the optimizer to guess how the other labels are spelled; every strategy states the
 * set instead ({@link StrategyText#labels}).
 *
 * <pre>{@code
 * LabelSet.of(context.splits().train()).map(LabelSet::statement).orElse("")
 * // "Every expected output is exactly one of these 2 labels: "billing", "technical". ..."
 * }</pre>
 *
 * @param labels the labels as the examples spell them, in alphabetical order
 */
@API(status = INTERNAL, since = "0.1")
public record LabelSet(List<String> labels) {

  /** More distinct outputs than this are not a label set. */
  public static final int MAX_LABELS = 12;
  /** A label is a word or a short phrase on one line. */
  public static final int MAX_LABEL_CHARS = 40;

  public LabelSet {
    labels = List.copyOf(labels);
  }

  /**
   * The label set of {@code examples}' expected outputs, when they form one: between 2 and {@link #MAX_LABELS}
   * distinct outputs, each a single line of at most {@link #MAX_LABEL_CHARS} characters, and on average at least
   * two examples per label (free-text outputs rarely repeat).
   */
  public static Optional<LabelSet> of(List<Example> examples) {
    Map<String, Long> counts = examples.stream().map(e -> e.expected().strip())
        .collect(Collectors.groupingBy(e -> e, TreeMap::new, Collectors.counting()));
    boolean labels = counts.size() >= 2 && counts.size() <= MAX_LABELS
        && examples.size() >= 2L * counts.size()
        && counts.keySet().stream().allMatch(l -> !l.isEmpty() && l.length() <= MAX_LABEL_CHARS && !l.contains("\n"));
    return labels ? Optional.of(new LabelSet(List.copyOf(counts.keySet()))) : Optional.empty();
  }

  /** The sentence a meta-prompt states the set with, ending in a newline. */
  public String statement() {
    return "Every expected output is exactly one of these " + labels.size() + " labels: "
        + String.join(", ", labels.stream().map(l -> "\"" + l + "\"").toList())
        + ". The prompt must make the model answer with one of them, spelled exactly so.\n";
  }
}
