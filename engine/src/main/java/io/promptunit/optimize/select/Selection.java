package io.promptunit.optimize.select;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.List;
import java.util.Random;

/** Best-arm identification under a fixed evaluation budget: which k of n candidates look best. */
@API(status = INTERNAL, since = "0.1")
public interface Selection {

  /**
   * @param arms number of candidates (arms are 0..arms-1)
   * @param k how many to keep
   * @param budget maximum number of pulls (evaluations)
   * @param wave the most pulls handed to {@code pull} at once (e.g. the scoring concurrency); the
   *     result depends on the outcomes only, never on the order in which a wave's pulls finish
   * @param pull evaluates arms, a wave at a time
   * @param random the only source of randomness (seeded by the caller)
   * @return the indices of the kept arms, best first (size min(k, arms))
   */
  List<Integer> select(int arms, int k, int budget, int wave, ArmPull pull, Random random);
}
