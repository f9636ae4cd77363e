package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.List;

/**
 * One way of proposing better prompts from the failures of the current ones. Strategies only see
 * train examples (through {@link OptimizationContext#trainErrors}); the shared loop validates,
 * deduplicates, selects and judges what they propose.
 */
@API(status = INTERNAL, since = "0.1")
public interface PromptStrategy {

  String name();

  /** Whether each round starts from the best prompts ever seen (PE2's back-tracking) rather than the selected beam. */
  boolean backtracks();

  /** New prompts derived from {@code parents} in {@code round}. */
  List<Proposal> propose(List<Candidate> parents, OptimizationContext context, int round);

  /** What one round of {@link #propose} can ask of the models, and typically asks, for {@code parents} parents. */
  WorstCase worstCase(int parents, int round, OptimizationContext context);

  /**
   * What one round asks of the models, for the estimate printed before a run.
   *
   * @param metaCalls optimizer-model calls at most
   * @param scoringCalls task-model calls at most (examples scored inside {@link #propose})
   * @param newCandidates new candidates at most
   * @param likelyNew new candidates typically
   * @param promptsShown prompts quoted in one optimizer question at most (the current prompt, a trajectory, a history)
   * @param examplesShown examples quoted in one optimizer question at most
   * @param likelyPromptsShown prompts quoted in a typical optimizer question
   * @param likelyAnswerPrompts prompt-sized texts in a typical optimizer answer (a critique counts about as one)
   * @param metaOutputTokens the output caps of the round's optimizer calls added up (each sized with
   *     {@link OptimizationContext#outputCap}); -1: every call at {@code @Optimize(maxOutputTokens)}
   * @param likelyMetaCalls optimizer-model calls typically (a critique names fewer causes than it may); -1: all of
   *     {@code metaCalls}
   */
  record WorstCase(long metaCalls, long scoringCalls, long newCandidates, double likelyNew, long promptsShown,
      long examplesShown, double likelyPromptsShown,
      double likelyAnswerPrompts, long metaOutputTokens, double likelyMetaCalls) {

    /** A round whose optimizer calls are typically all it may make. */
    public WorstCase(long metaCalls, long scoringCalls, long newCandidates, double likelyNew, long promptsShown,
        long examplesShown, double likelyPromptsShown, double likelyAnswerPrompts, long metaOutputTokens) {
      this(metaCalls, scoringCalls, newCandidates, likelyNew, promptsShown, examplesShown, likelyPromptsShown,
          likelyAnswerPrompts, metaOutputTokens, -1);
    }

    /** Optimizer-model calls typically. */
    public double typicalMetaCalls() {
      return likelyMetaCalls >= 0 ? likelyMetaCalls : metaCalls;
    }

    /** A round whose optimizer calls are each capped at {@code @Optimize(maxOutputTokens)}. */
    public WorstCase(long metaCalls, long scoringCalls, long newCandidates, double likelyNew, long promptsShown,
        long examplesShown, double likelyPromptsShown, double likelyAnswerPrompts) {
      this(metaCalls, scoringCalls, newCandidates, likelyNew, promptsShown, examplesShown, likelyPromptsShown,
          likelyAnswerPrompts, -1, -1);
    }

    /** The output caps of the round's optimizer calls added up, {@code defaultCap} each where not sized. */
    public long metaOutputTokens(int defaultCap) {
      return metaOutputTokens >= 0 ? metaOutputTokens : metaCalls * defaultCap;
    }
  }

  /** Whether every new candidate is scored on the whole selection split (OPRO) instead of a best-arm selection. */
  default boolean scoresEveryCandidate() {
    return false;
  }

  /**
   * Called after every round, once the round's new candidates are scored on the selection split (e.g. to record
   * what the strategy keeps); returns why the strategy has nothing more to do (its own budget spent), or empty to go
   * on. The loop then stops as for a spent budget, with this reason.
   */
  default java.util.Optional<String> afterRound(OptimizationContext context, int round) {
    return java.util.Optional.empty();
  }

  /** An upper bound on new candidates per parent per round. */
  int maxNewPerParent();
}
