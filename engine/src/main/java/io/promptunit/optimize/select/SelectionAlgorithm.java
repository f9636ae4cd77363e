package io.promptunit.optimize.select;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
/**
 * The best-arm identification algorithms available for choosing the next beam, by name. Each
 * {@link #create()} returns a fresh instance with the documented defaults.
 */
@API(status = INTERNAL, since = "0.1")
public enum SelectionAlgorithm {
  /** Every arm pulled equally; the baseline. See {@link BruteForce}. */
  BRUTE_FORCE,
  /** Optimism with a bonus growing like sqrt(ln t / n). See {@link Ucb}. */
  UCB,
  /** Optimism with a budget-tuned bonus sqrt(a / n). See {@link UcbE}. */
  UCB_E,
  /** Drop the worst arm after each of K - k phases. See {@link SuccessiveRejects}. */
  SUCCESSIVE_REJECTS,
  /** Drop the worse half each round. See {@link SuccessiveHalving}. */
  SUCCESSIVE_HALVING;

  /** A new instance with default parameters. */
  public Selection create() {
    return switch (this) {
      case BRUTE_FORCE -> new BruteForce();
      case UCB -> new Ucb();
      case UCB_E -> new UcbE();
      case SUCCESSIVE_REJECTS -> new SuccessiveRejects();
      case SUCCESSIVE_HALVING -> new SuccessiveHalving();
    };
  }
}
