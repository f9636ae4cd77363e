package io.promptunit.optimize.gepa;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.promptunit.optimize.PromptStrategy;
import io.promptunit.optimize.StrategyParameters;
import io.promptunit.optimize.StrategyProvider;
import org.apiguardian.api.API;

/**
 * Registers GEPA, with defaults after Agrawal et al. (2025) and DSPy's {@code dspy.GEPA}: a minibatch of 3, up to 5
 * merges; two reflections per round so that a round's asks run at once; no demonstrations unless asked for.
 */
@API(status = INTERNAL, since = "0.1")
public final class GEPAProvider implements StrategyProvider {

  @Override
  public String name() {
    return "GEPA";
  }

  @Override
  public int defaultRounds() {
    return 10;
  }

  @Override
  public PromptStrategy create(StrategyParameters parameters) {
    return new GEPA(new GEPA.Options(
        parameters.integer("reflections", 2, 1),
        parameters.integer("reflectionMinibatch", 3, 1),
        parameters.integer("maxMerges", 5, 0),
        parameters.integer("scoringBudget", 0, 0),
        parameters.integer("demonstrations", 0, 0)));
  }
}
