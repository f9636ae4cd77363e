package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The built-in ways {@link Optimize} rewrites a prompt. Each is also selected by its name
 * ({@code @Optimize(strategyName = "pe2")}, {@code promptunit.optimize.strategy=pe2}), as is any
 * other strategy registered on the class path.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Strategy {
  /**
   * ProTeGi (Pryzant et al. 2023): failing train examples → natural-language critiques ("textual
   * gradients") → edited prompts → paraphrases, with bandit selection of a beam of prompts.
   */
  PROTEGI,
  /**
   * PE2 (Ye et al. 2024): a structured meta-prompt that shows the whole template and asks for
   * step-by-step reasoning over hard negative examples before proposing a new prompt; keeps the
   * best prompts ever seen (back-tracking).
   */
  PE2,
  /**
   * APE (Zhou et al. 2023): the optimizer model induces instructions from train demonstrations
   * (forward, or filling a marked blank), candidates are filtered in stages on growing disjoint
   * subsets, and the best are resampled as semantic variations for a few rounds.
   */
  APE,
  /**
   * OPRO (Yang et al. 2024): a meta-prompt shows the best instructions so far with their scores in
   * ascending order plus a few task exemplars, and asks for a new, different, higher-scoring
   * instruction; several are sampled per step at high temperature.
   */
  OPRO,
  /**
   * GEPA (Agrawal et al. 2025): parents drawn from the Pareto front of per-example scores (a prompt that
   * alone passes some examples survives), reflective mutation from the checks' feedback on a train
   * minibatch, accepted only when the minibatch improves, and merges of prompts from different lineages;
   * optionally few-shot demonstrations from train examples.
   */
  GEPA
}
