package io.promptunit.optimize.select;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Evaluations of arms (candidate prompts), each on one example the caller samples: for every arm
 * listed (an arm may be listed several times) whether the candidate's output passed, in the same
 * order. A selection hands over a whole wave at once, so the caller may evaluate it concurrently;
 * each pull may cost a model call, so selections count them.
 */
@FunctionalInterface
@API(status = INTERNAL, since = "0.1")
public interface ArmPull {
  List<Boolean> pull(List<Integer> arms);

  /** Pulls made one at a time by {@code pull} (for simulations and tests). */
  static ArmPull oneByOne(IntPredicate pull) {
    return arms -> {
      List<Boolean> outcomes = new ArrayList<>(arms.size());
      for (int arm : arms) {
        outcomes.add(pull.test(arm));
      }
      return outcomes;
    };
  }
}
