package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** How {@link Optimize} picks the next beam among candidate prompts under an evaluation budget. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum BestArm {
  /** Every candidate on the same number of examples: the baseline. */
  BRUTE_FORCE,
  /** Upper confidence bounds: evaluate the candidate whose score could still be highest. */
  UCB,
  /** UCB-E: UCB with an exploration term tuned to the budget. */
  UCB_E,
  /** Successive rejects: drop the worst candidate after each phase. */
  SUCCESSIVE_REJECTS,
  /** Successive halving: drop the worse half after each round. */
  SUCCESSIVE_HALVING
}
