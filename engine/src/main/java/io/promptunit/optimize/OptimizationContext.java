package io.promptunit.optimize;

import io.promptunit.Example;
import io.promptunit.eval.ExampleResult;
import io.promptunit.suite.Suite;
import java.util.ArrayList;
import java.util.Collections;
import io.promptunit.model.ModelCallException;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** What a strategy works with: the suite, its splits, scoring, the optimizer model, the options and the seeded randomness. */
public final class OptimizationContext {

  private final Suite suite;
  private final Splits splits;
  private final Scorer scorer;
  private final MetaModel meta;
  private final OptimizeOptions options;
  private final CandidateRules rules;
  private final History history;
  private final Random random;

  OptimizationContext(Suite suite, Splits splits, Scorer scorer, MetaModel meta, OptimizeOptions options, CandidateRules rules,
      History history, Random random) {
    this.suite = suite;
    this.splits = splits;
    this.scorer = scorer;
    this.meta = meta;
    this.options = options;
    this.rules = rules;
    this.history = history;
    this.random = random;
  }

  public Suite suite() {
    return suite;
  }

  public Splits splits() {
    return splits;
  }

  public MetaModel meta() {
    return meta;
  }

  public OptimizeOptions options() {
    return options;
  }

  public CandidateRules rules() {
    return rules;
  }

  public Random random() {
    return random;
  }

  /** Runs {@code candidate} on a random minibatch of train examples and returns the ones it got wrong. */
  public List<ExampleResult> trainErrors(Candidate candidate, int minibatchSize) {
    List<Example> batch = sample(splits.train(), minibatchSize);
    List<ExampleResult> errors = new ArrayList<>();
    for (ExampleResult result : scorer.evaluate(candidate, batch)) {
      if (result.status() != ExampleResult.Status.PASSED) {
        errors.add(result);
      }
    }
    return errors;
  }

  /** Up to {@code n} distinct elements, chosen with the run's seeded randomness. */
  public <T> List<T> sample(List<T> items, int n) {
    if (items.size() <= n) {
      return new ArrayList<>(items);
    }
    List<T> copy = new ArrayList<>(items);
    Collections.shuffle(copy, random);
    return new ArrayList<>(copy.subList(0, n));
  }

  /** Records something the user should know (e.g. the optimizer disputed a label). */
  public void note(String note) {
    history.note(note);
  }

  /**
   * Asks the optimizer model; a call that fails (a provider error after retries, a content filter,
   * an unrecorded request in replay mode) is recorded as a rejection and yields nothing, so one bad
   * call never ends the run. Budget exhaustion still ends it.
   */
  public Optional<String> ask(int round, String parent, String origin, String question) {
    try {
      return Optional.of(meta.ask(question));
    } catch (ModelCallException e) {
      reject(round, parent, origin, "the optimizer call failed: " + e.getMessage(), "");
      return Optional.empty();
    }
  }

  /** Records an optimizer answer that could not be used. */
  public void reject(int round, String parent, String origin, String reason, String text) {
    history.reject(new History.Rejection(round, parent, origin, reason, text));
  }

  /** The scores of earlier candidates on the selection split, best last, for strategies that show history. */
  public List<Candidate> candidates() {
    return history.candidates();
  }

  public Double selectionScore(String candidateId) {
    History.Scores scores = history.scoresOf(candidateId);
    return scores == null ? null : scores.selection;
  }
}
