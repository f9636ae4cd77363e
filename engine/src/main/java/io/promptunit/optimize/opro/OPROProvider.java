package io.promptunit.optimize.opro;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.optimize.PromptStrategy;
import io.promptunit.optimize.StrategyParameters;
import io.promptunit.optimize.StrategyProvider;

/** Registers OPRO, with the reference defaults of Yang et al. (2024): 8 rounds of 8 samples at temperature 1.0. */
@API(status = INTERNAL, since = "0.1")
public final class OPROProvider implements StrategyProvider {

  @Override
  public String name() {
    return "OPRO";
  }

  @Override
  public int defaultRounds() {
    return 8;
  }

  @Override
  public double defaultMetaTemperature() {
    return 1.0;
  }

  @Override
  public PromptStrategy create(StrategyParameters parameters) {
    return new OPRO(new OPRO.Options(
        parameters.integer("trajectorySize", 20, 1),
        parameters.integer("minTrajectoryScore", 1, Integer.MIN_VALUE),
        parameters.integer("exemplars", 3, 0),
        parameters.integer("candidatesPerStep", 8, 1)));
  }
}
