package io.promptunit.jupiter;

import io.promptunit.Example;
import io.promptunit.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which examples of a file take part: those of the given splits (all when none is given) that carry
 * at least one of the given tags (all when none is given).
 *
 * @param splits the splits to keep, empty for all
 * @param tags the tags of which an example needs one, empty for all
 */
record ExampleSelection(Set<Split> splits, Set<String> tags) {

  static final ExampleSelection ALL = new ExampleSelection(Set.of(), Set.of());

  ExampleSelection {
    splits = Set.copyOf(splits);
    tags = Set.copyOf(tags);
  }

  /**
   * @param origin what named the splits, for messages, e.g. {@code @ExamplesSource(split) of RouterTest.routes}
   * @throws IllegalArgumentException for a split that is not train, dev or test
   */
  static ExampleSelection of(String[] splits, String[] tags, String origin) {
    Set<Split> parsed = new LinkedHashSet<>();
    for (String name : splits) {
      parsed.add(Split.parse(name).orElseThrow(() -> new IllegalArgumentException("unknown split \"" + name
          + "\" in " + origin + ". Fix: use \"train\", \"dev\" or \"test\" (the values of the examples' \"split\""
          + " field), or leave split out for every example")));
    }
    return new ExampleSelection(parsed, Arrays.stream(tags).map(String::strip)
        .collect(Collectors.toCollection(LinkedHashSet::new)));
  }

  boolean includes(Example example) {
    return (splits.isEmpty() || example.split().map(splits::contains).orElse(false))
        && (tags.isEmpty() || example.tags().stream().map(String::strip).anyMatch(tags::contains));
  }

  /**
   * The selected examples of {@code examples}, in file order.
   *
   * @param file the examples file as the user knows it, for messages
   * @throws IllegalArgumentException when the selection keeps none, saying what the file has
   */
  List<Example> select(List<Example> examples, String file) {
    List<Example> selected = new ArrayList<>();
    for (Example example : examples) {
      if (includes(example)) {
        selected.add(example);
      }
    }
    if (selected.isEmpty()) {
      Set<String> present = examples.stream().flatMap(e -> e.split().stream()).map(ExampleSelection::name)
          .collect(Collectors.toCollection(java.util.TreeSet::new));
      Set<String> presentTags = examples.stream().flatMap(e -> e.tags().stream())
          .collect(Collectors.toCollection(java.util.TreeSet::new));
      throw new IllegalArgumentException("no example of " + file + " is selected by " + describe() + " (the file's "
          + examples.size() + " examples have splits " + present + " and tags " + presentTags + ")."
          + " Fix: choose a split or tag the file uses, or add examples with it");
    }
    return selected;
  }

  /** {@code split test, tags [refund]}; {@code every example} when nothing is filtered. */
  String describe() {
    List<String> parts = new ArrayList<>();
    if (!splits.isEmpty()) {
      parts.add("split " + splits.stream().map(ExampleSelection::name).sorted().collect(Collectors.joining(" or ")));
    }
    if (!tags.isEmpty()) {
      parts.add("tags " + tags.stream().sorted().collect(Collectors.joining(" or ")));
    }
    return parts.isEmpty() ? "every example" : String.join(", ", parts);
  }

  static String name(Split split) {
    return split.name().toLowerCase(Locale.ROOT);
  }
}
