package io.promptunit.optimize.pe2;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.optimize.PromptStrategy;
import io.promptunit.optimize.StrategyParameters;
import io.promptunit.optimize.StrategyProvider;

/** Registers PE2, with the reference defaults of Ye et al. (2024): 3 rounds. */
@API(status = INTERNAL, since = "0.1")
public final class PE2Provider implements StrategyProvider {

  @Override
  public String name() {
    return "PE2";
  }

  @Override
  public int defaultRounds() {
    return 3;
  }

  @Override
  public PromptStrategy create(StrategyParameters parameters) {
    return new PE2(new PE2.Options(
        parameters.integer("proposals", 4, 1),
        parameters.integer("batchSize", 2, 1),
        parameters.integer("stepSize", 0, 0),
        parameters.bool("history", false),
        parameters.integer("demonstrations", 0, 0)));
  }
}
