package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import io.promptunit.model.Spend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an optimization run did: every candidate with its lineage and scores, every rejection, every round's
 * spend.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class History {

  /**
   * Scores of a candidate, where measured: train over the train examples it was run on; selection on
   * the selection split (dev, or train without dev) in full; heldOut on the held-out split.
   */
  public record Scores(Double train, Double selection, Double heldOut) {

    static final Scores NONE = new Scores(null, null, null);

    public Scores withTrain(double score) {
      return new Scores(score, selection, heldOut);
    }

    public Scores withSelection(double score) {
      return new Scores(train, score, heldOut);
    }

    public Scores withHeldOut(double score) {
      return new Scores(train, selection, score);
    }
  }

  /** @param text the rejected prompt (or the raw optimizer answer when it could not be parsed) */
  public record Rejection(int round, String parent, String origin, String reason, String text) {}

  /**
   * @param round 1-based round
   * @param bestId best candidate after the round (by selection score)
   * @param bestTrain its score on the train examples it was run on, if any
   * @param bestSelection its score on the selection split
   * @param bestHeldOut its held-out score, if it was measured
   * @param beam ids kept for the next round
   * @param proposed new prompts proposed this round
   * @param accepted of those, new valid candidates
   * @param spend spend during this round (task + optimizer models)
   * @param total spend since the start of the run
   */
  public record Round(int round, String bestId, Optional<Double> bestTrain, double bestSelection,
      Optional<Double> bestHeldOut,
      List<String> beam, int proposed, int accepted, Spend spend, Spend total) {}

  /**
   * One phase of the run, for seeing where its calls and time went.
   *
   * @param round 0 before the first round
   * @param phase what ran (e.g. {@code minibatch}, {@code critique → edit → paraphrase}, {@code best-arm selection})
   * @param kind {@code task} (scoring calls) or {@code optimizer} (meta calls)
   * @param calls model calls made (answers already known or recorded cost none)
   * @param levels calls on the phase's critical path: dependent calls, and batches beyond the
   *     concurrency; the phase could not take less than {@code levels} call latencies
   * @param millis wall time of the phase
   */
  public record Step(int round, String phase, String kind, long calls, long levels, long millis) {}

  /**
   * Something a strategy recorded about how it chose (a Pareto front, a parent choice, a merge), for history.json.
   *
   * @param round the round it happened in
   * @param kind what it is, in the strategy's words ({@code front}, {@code parent}, {@code merge})
   * @param data its details, as JSON-ready values (strings, numbers, lists, maps)
   */
  public record Event(int round, String kind, Map<String, Object> data) {

    public Event {
      data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }
  }

  private final List<Step> steps = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  private final Map<String, Candidate> candidates = new LinkedHashMap<>();
  private final Map<String, Scores> scores = new LinkedHashMap<>();
  private final List<Rejection> rejections = new ArrayList<>();
  private final List<Round> rounds = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  synchronized void add(Candidate candidate) {
    candidates.put(candidate.id(), candidate);
    scores.put(candidate.id(), Scores.NONE);
  }

  synchronized void reject(Rejection rejection) {
    rejections.add(rejection);
  }

  synchronized void round(Round round) {
    rounds.add(round);
  }

  synchronized void step(Step step) {
    steps.add(step);
  }

  synchronized void event(Event event) {
    events.add(event);
  }

  /** What the strategy recorded about its choices, in order. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  public synchronized List<Step> steps() {
    return List.copyOf(steps);
  }

  synchronized void note(String note) {
    notes.add(note);
  }

  synchronized Scores scoresOf(String id) {
    return scores.get(id);
  }

  /** Records a measured score of candidate {@code id} (one update at a time, so none is lost). */
  synchronized void score(String id, java.util.function.UnaryOperator<Scores> update) {
    scores.computeIfPresent(id, (key, old) -> update.apply(old));
  }

  public synchronized List<Candidate> candidates() {
    return List.copyOf(candidates.values());
  }

  public synchronized Map<String, Scores> scores() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(scores));
  }

  public synchronized List<Rejection> rejections() {
    return List.copyOf(rejections);
  }

  /** How many proposals were rejected for each reason, most frequent first (ties in order of first occurrence). */
  public synchronized Map<String, Long> rejectionsByReason() {
    Map<String, Long> counts = new LinkedHashMap<>();
    rejections.forEach(rejection -> counts.merge(rejection.reason(), 1L, Long::sum));
    Map<String, Long> sorted = new LinkedHashMap<>();
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
    return sorted;
  }

  /**
   * The rejections in words, counted by reason, with how many new prompts were accepted: {@code 12 proposals
   * rejected, 0 accepted (12: the optimizer's answer has no <prompt>...</prompt> block)}; empty when none was rejected.
   */
  public synchronized Optional<String> rejectionSummary() {
    if (rejections.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder reasons = new StringBuilder();
    rejectionsByReason().forEach((reason, count) -> reasons.append(reasons.length() == 0 ? "" : "; ")
        .append(count).append(": ").append(reason));
    long accepted = candidates.values().stream().filter(c -> c.parent().isPresent()).count();
    return Optional.of(rejections.size() + (rejections.size() == 1 ? " proposal" : " proposals") + " rejected, "
        + accepted + " accepted (" + reasons + ")");
  }

  public synchronized List<Round> rounds() {
    return List.copyOf(rounds);
  }

  public synchronized List<String> notes() {
    return List.copyOf(notes);
  }

  public synchronized Optional<Candidate> candidate(String id) {
    return Optional.ofNullable(candidates.get(id));
  }

  synchronized int size() {
    return candidates.size();
  }
}
