package io.promptunit.optimize.protegi;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.optimize.PromptStrategy;
import io.promptunit.optimize.StrategyParameters;
import io.promptunit.optimize.StrategyProvider;

/** Registers ProTeGi, with the reference defaults of Pryzant et al. (2023). */
@API(status = INTERNAL, since = "0.1")
public final class ProTeGiProvider implements StrategyProvider {

  @Override
  public String name() {
    return "PROTEGI";
  }

  @Override
  public PromptStrategy create(StrategyParameters parameters) {
    return new ProTeGi(new ProTeGi.Options(
        parameters.integer("gradients", 4, 1),
        parameters.integer("errorsPerGradient", 4, 1),
        parameters.integer("editsPerGradient", 1, 1),
        parameters.integer("paraphrases", 2, 0),
        parameters.integer("maxExpansion", 8, 1),
        parameters.integer("causes", 3, 1)));
  }
}
