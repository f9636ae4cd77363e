package io.promptunit.optimize;

import java.util.List;

/**
 * One way of proposing better prompts from the failures of the current ones. Strategies only see
 * train examples (through {@link OptimizationContext#trainErrors}); the shared loop validates,
 * deduplicates, selects and judges what they propose.
 */
public interface PromptStrategy {

  String name();

  /** Whether each round starts from the best prompts ever seen (PE2's back-tracking) rather than the selected beam. */
  boolean backtracks();

  /** New prompts derived from {@code parents} in {@code round}. */
  List<Proposal> propose(List<Candidate> parents, OptimizationContext context, int round);

  /** An upper bound on the model calls one round can make for {@code parents} parents, scoring included. */
  long worstCaseCalls(int parents, OptimizationContext context);

  /** An upper bound on new candidates per parent per round. */
  int maxNewPerParent(OptimizeOptions options);
}
