package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.Example;
import io.promptunit.eval.ExampleResult;
import io.promptunit.model.ModelCallException;
import io.promptunit.model.Reply;
import io.promptunit.suite.Suite;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What a strategy works with: the suite, its splits, scoring, the optimizer model, the options and
 * the seeded randomness.
 *
 * <p>Strategies ask the optimizer model through {@link #ask}, which runs the call concurrently and
 * returns at once; they chain dependent asks with {@code thenCompose} and hand every chain to
 * {@link #collect}, which waits for all of them. Randomness is drawn only on the caller's thread,
 * before the chains start, so a seed gives the same run whatever the thread timing.
 */
@API(status = INTERNAL, since = "0.1")
public final class OptimizationContext {

  private final Suite suite;
  private final Splits splits;
  private final Scorer scorer;
  private final MetaModel meta;
  private final Executor metaWorkers;
  private final OptimizeOptions options;
  private final CandidateRules rules;
  private final History history;
  private final Trace trace;
  private final Random random;
  private final Optional<LabelSet> labels;

  OptimizationContext(Suite suite, Splits splits, Scorer scorer, MetaModel meta, Executor metaWorkers,
      OptimizeOptions options,
      CandidateRules rules, History history, Trace trace, Random random) {
    this.suite = suite;
    this.splits = splits;
    this.scorer = scorer;
    this.meta = meta;
    this.metaWorkers = metaWorkers;
    this.options = options;
    this.rules = rules;
    this.history = history;
    this.trace = trace;
    this.random = random;
    this.labels = LabelSet.of(splits.train());
  }

  /** Output tokens one answer may take at most, whatever it asks for: many models allow no more. */
  static final int MAX_OUTPUT_CAP = 4096;
  /** Tokens of an answer around what it was asked for: tags, a sentence of preamble. */
  static final int ANSWER_OVERHEAD = 100;
  /** A prompt-sized text is counted at this many characters a token (English runs about 4: a cap must not be short). */
  private static final double CHARS_PER_TOKEN = 3.0;

  /**
   * The expected outputs of the train examples as a closed label set, when they form one: every strategy states it
   * in its meta-prompts ({@link StrategyText#labels}).
   */
  public Optional<LabelSet> labels() {
    return labels;
  }

  /**
   * The output cap of an optimizer call whose answer should hold {@code size}: {@link #ANSWER_OVERHEAD} plus each
   * prompt at the longest the candidate rules accept plus the other text asked for; never below
   * {@code @Optimize(maxOutputTokens)}, and above it at most {@link #MAX_OUTPUT_CAP} and a twentieth of the token
   * cap (one answer never takes the run's budget).
   */
  public int outputCap(AnswerSize size) {
    long promptTokens = (long) Math.ceil(rules.maxChars() / CHARS_PER_TOKEN);
    long sized = ANSWER_OVERHEAD + size.prompts() * promptTokens + size.tokens();
    long bound = Math.min(MAX_OUTPUT_CAP, options.caps().tokens() / 20);
    return (int) Math.max(options.maxOutputTokens(), Math.min(sized, bound));
  }

  public Suite suite() {
    return suite;
  }

  public Splits splits() {
    return splits;
  }

  /** See {@link StrategyText#scoringCallsPerExample}. */
  long scoringCallsPerExample() {
    return scorer.callsPerExample();
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

  /**
   * Runs each parent on its own random minibatch of train examples, all in one concurrent batch,
   * and returns the results each got wrong, in parent order.
   */
  public List<List<ExampleResult>> trainErrors(List<Candidate> parents, int minibatchSize) {
    List<List<Example>> batches = new ArrayList<>();
    for (int p = 0; p < parents.size(); p++) {
      batches.add(sample(splits.train(), minibatchSize));
    }
    long planned = batches.stream().mapToLong(List::size).sum();
    return trace.task("minibatch", planned, () -> {
      List<CompletableFuture<List<ExampleResult>>> futures = new ArrayList<>();
      for (int p = 0; p < parents.size(); p++) {
        futures.add(scorer.evaluateAsync(parents.get(p), batches.get(p)));
      }
      List<List<ExampleResult>> errors = new ArrayList<>();
      for (List<ExampleResult> results : Async.join(Async.all(futures))) {
        errors.add(results.stream().filter(r -> r.status() != ExampleResult.Status.PASSED).toList());
      }
      return errors;
    });
  }

  /**
   * The results of each candidate on its own examples (train or selection examples only, never held-out), all in
   * one concurrent batch, in candidate order; results already known cost no call. For strategies that need every
   * example's result and the checks' feedback, not only the errors ({@link #trainErrors}).
   *
   * @throws IllegalArgumentException for a held-out example: the held-out split only judges
   */
  public List<List<ExampleResult>> results(String phase, List<Candidate> candidates, List<List<Example>> examples) {
    java.util.Set<Example> heldOut = new java.util.HashSet<>(splits.heldOut());
    if (examples.stream().flatMap(List::stream).anyMatch(heldOut::contains)) {
      throw new IllegalArgumentException("held-out examples are not for strategies: they judge the best prompt");
    }
    long planned = examples.stream().mapToLong(List::size).sum();
    return trace.task(phase, planned, () -> {
      List<CompletableFuture<List<ExampleResult>>> futures = new ArrayList<>();
      for (int c = 0; c < candidates.size(); c++) {
        futures.add(scorer.evaluateAsync(candidates.get(c), examples.get(c)));
      }
      return Async.join(Async.all(futures));
    });
  }

  /**
   * Whether each candidate passes each example, from the results already known, in candidate order: no call is
   * made. An example not evaluated yet, or whose evaluation ended in an error (errors are not remembered, so asking
   * again would call the model), counts as not passed.
   */
  public List<List<Boolean>> knownPasses(List<Candidate> candidates, List<Example> examples) {
    List<List<Boolean>> passes = new ArrayList<>();
    for (Candidate candidate : candidates) {
      passes.add(examples.stream().map(example -> scorer.knownPassed(candidate, example)).toList());
    }
    return passes;
  }

  /** Task-model calls made by the optimization so far (the suite run's are not counted). */
  public long scoringCalls() {
    return history.steps().stream().filter(step -> step.kind().equals("task")).mapToLong(History.Step::calls).sum();
  }

  /** Records a choice the strategy made, for history.json ({@link History#events}). */
  public void record(int round, String kind, java.util.Map<String, Object> data) {
    history.event(new History.Event(round, kind, data));
  }

  /** Records a proposal the strategy itself rejected (e.g. one that did not improve its minibatch). */
  public void reject(History.Rejection rejection) {
    history.reject(rejection);
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

  /**
   * Asks the optimizer model, concurrently with other asks (at most the optimizer concurrency at
   * once). {@code index} tells apart the deliberate repeats of a question within a round (the k-th
   * sample, the g-th gradient): with the round it forms the cassette's sample index, so every
   * intended sample is a real sample and a warm re-run replays each one. A failed call yields a
   * failed {@link Answer}; only budget exhaustion completes the future exceptionally.
   */
  public CompletableFuture<Answer> ask(int round, int index, String question) {
    return ask(round, index, question, meta.defaultOutputCap());
  }

  /**
   * As {@link #ask(int, int, String)}, under an output cap sized for what the question asks the answer to hold
   * ({@link #outputCap}); an answer cut off there says so ({@link Answer#truncated}).
   */
  public CompletableFuture<Answer> ask(int round, int index, String question, AnswerSize size) {
    return ask(round, index, question, outputCap(size));
  }

  private CompletableFuture<Answer> ask(int round, int index, String question, int outputCap) {
    int sample = round * 1000 + index;
    return CompletableFuture.supplyAsync(() -> {
      try {
        Reply reply = meta.ask(question, sample, outputCap);
        return Answer.of(reply.text(), reply.truncated(), outputCap);
      } catch (ModelCallException e) {
        return Answer.failed(e.getMessage());
      }
    }, metaWorkers);
  }

  /**
   * Starts the chains {@code launch} returns, waits for every one and merges what they yielded in
   * the order given: rejections and notes go to the history, proposals are returned. Recorded as one
   * phase of {@code depth} dependent calls, at most {@code planned}.
   */
  public List<Proposal> collect(String phase, int depth, long planned,
      Supplier<List<CompletableFuture<Yield>>> launch) {
    Yield all = trace.meta(phase, depth, planned, () -> Yield.concat(Async.join(Async.all(launch.get()))));
    all.rejections().forEach(history::reject);
    all.notes().forEach(history::note);
    return all.proposals();
  }

  /** Records something the user should know (e.g. the optimizer disputed a label). */
  public void note(String note) {
    history.note(note);
  }

  /** The candidates so far, in the order they were made. */
  public List<Candidate> candidates() {
    return history.candidates();
  }

  public Double selectionScore(String candidateId) {
    History.Scores scores = history.scoresOf(candidateId);
    return scores == null ? null : scores.selection();
  }

  public static CompletableFuture<Yield> done(Yield yield) {
    return CompletableFuture.completedFuture(yield);
  }

  /** All of {@code parts}, merged in order, once every one is done. */
  public static CompletableFuture<Yield> together(List<CompletableFuture<Yield>> parts) {
    return Async.all(parts).thenApply(Yield::concat);
  }
}
