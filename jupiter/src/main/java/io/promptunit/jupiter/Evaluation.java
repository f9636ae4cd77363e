package io.promptunit.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.promptunit.Split;
import io.promptunit.model.Spend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * The result of a prompt template on the examples of a file: each example's verdict with its
 * {@code file:line}, pass rates overall, per split and per tag, and what the model calls cost.
 * Assert on it with {@link PromptAssertions#assertThat(Evaluation)}.
 *
 * <pre>{@code
 * Evaluation evaluation = evaluator.evaluate("prompts/router.prompt", "prompts/router.jsonl");
 * double rate = evaluation.onSplit("test").passRate();
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Evaluation {

  private final String prompt;
  private final String examplesFile;
  private final String scope;
  private final List<ScoredExample> examples;
  private final String model;
  private final Spend spend;
  private final long cachedAnswers;

  Evaluation(String prompt, String examplesFile, String scope, List<ScoredExample> examples, String model, Spend spend,
      long cachedAnswers) {
    this.prompt = prompt;
    this.examplesFile = examplesFile;
    this.scope = scope;
    this.examples = List.copyOf(examples);
    this.model = model;
    this.spend = spend;
    this.cachedAnswers = cachedAnswers;
  }

  /**
   * The prompt template as the user knows it ({@code src/test/resources/prompts/router.prompt}, or the name of an
   * inline one).
   */
  public String prompt() {
    return prompt;
  }

  /** The examples file as the user knows it ({@code src/test/resources/prompts/router.jsonl}). */
  public String examplesFile() {
    return examplesFile;
  }

  /** The evaluated examples, in file order. */
  public List<ScoredExample> examples() {
    return examples;
  }

  /** The examples that did not pass (failed a check or got no answer), in file order. */
  public List<ScoredExample> failures() {
    return examples.stream().filter(e -> !e.passed()).toList();
  }

  public long passed() {
    return examples.stream().filter(ScoredExample::passed).count();
  }

  /** Passed examples over all examples (errors count as not passed); 0 for an evaluation without examples. */
  public double passRate() {
    return examples.isEmpty() ? 0.0 : (double) passed() / examples.size();
  }

  /** Pass rates of the splits the examples declare, train, dev, test order. */
  public Map<String, Double> passRateBySplit() {
    Map<String, Double> rates = new LinkedHashMap<>();
    for (Split split : Split.values()) {
      Evaluation part = only(e -> e.example().split().equals(Optional.of(split)), "");
      if (!part.examples.isEmpty()) {
        rates.put(ExampleSelection.name(split), part.passRate());
      }
    }
    return rates;
  }

  /** Pass rates per tag, tags in alphabetical order. */
  public Map<String, Double> passRateByTag() {
    Map<String, Double> rates = new LinkedHashMap<>();
    for (String tag : new TreeSet<>(examples.stream().flatMap(e -> e.example().tags().stream()).toList())) {
      rates.put(tag, onTag(tag).passRate());
    }
    return rates;
  }

  /**
   * The examples of one split.
   *
   * @throws IllegalArgumentException for a split that is not train, dev or test
   */
  public Evaluation onSplit(String split) {
    Split wanted = Split.parse(split).orElseThrow(() -> new IllegalArgumentException("unknown split \"" + split
        + "\"; use \"train\", \"dev\" or \"test\" (the values of the examples' \"split\" field)"));
    return only(e -> e.example().split().equals(Optional.of(wanted)), "split " + ExampleSelection.name(wanted));
  }

  /** The examples carrying {@code tag}. */
  public Evaluation onTag(String tag) {
    return only(e -> e.example().tags().contains(tag), "tag " + tag);
  }

  /** The example with {@code id}, if it was evaluated. */
  public Optional<ScoredExample> example(String id) {
    return examples.stream().filter(e -> e.id().equals(id)).findFirst();
  }

  /** The task model's name, e.g. {@code openai:gpt-4o-mini} or {@code RouterTest.model()}. */
  public String model() {
    return model;
  }

  /**
   * What the whole evaluation's model calls cost (answers from the cassette cost nothing); the same for its splits and
   * tags.
   */
  public Spend spend() {
    return spend;
  }

  /** How many answers came from the cassette rather than a model call. */
  public long cachedAnswers() {
    return cachedAnswers;
  }

  /**
   * What was evaluated: {@code src/test/resources/prompts/router.prompt on src/test/resources/prompts/router.jsonl
   * (split test)}.
   */
  public String scope() {
    return prompt + " on " + examplesFile + (scope.isEmpty() ? "" : " (" + scope + ")");
  }

  /**
   * {@code 9/11 passed (81.8%; train 90.0%, test 72.7%); model ...;
   * spend 11 calls, 1.2k tokens, $0.0003, 0 answers from the cassette}.
   */
  @Override
  public String toString() {
    StringBuilder splits = new StringBuilder();
    passRateBySplit().forEach((split, rate) -> splits.append(splits.length() == 0 ? "; " : ", ").append(split)
        .append(' ').append(percent(rate)));
    return scope() + ": " + passed() + "/" + examples.size() + " passed (" + percent(passRate()) + splits + "); model "
        + model + "; spend "
        + spend.describe() + ", " + cachedAnswers + (cachedAnswers == 1 ? " answer" : " answers")
        + " from the cassette";
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  private Evaluation only(Predicate<ScoredExample> included, String part) {
    List<ScoredExample> kept = new ArrayList<>();
    for (ScoredExample example : examples) {
      if (included.test(example)) {
        kept.add(example);
      }
    }
    String narrowed = part.isEmpty() ? scope : scope.isEmpty() ? part : scope + ", " + part;
    return new Evaluation(prompt, examplesFile, narrowed, kept, model, spend, cachedAnswers);
  }
}
