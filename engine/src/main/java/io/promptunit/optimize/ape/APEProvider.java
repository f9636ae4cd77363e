package io.promptunit.optimize.ape;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.BestArm;
import io.promptunit.optimize.PromptStrategy;
import io.promptunit.optimize.StrategyParameters;
import io.promptunit.optimize.StrategyProvider;
import io.promptunit.suite.Resource;
import java.util.Optional;

/**
 * Registers APE, with the reference defaults of Zhou et al. (2023): 4 rounds (generation, then 3 of
 * resampling) at temperature 0.9, its multi-stage filtering as successive halving.
 */
@API(status = INTERNAL, since = "0.1")
public final class APEProvider implements StrategyProvider {

  @Override
  public String name() {
    return "APE";
  }

  @Override
  public int defaultRounds() {
    return 4;
  }

  @Override
  public double defaultMetaTemperature() {
    return 0.9;
  }

  @Override
  public Optional<BestArm> defaultSelection() {
    return Optional.of(BestArm.SUCCESSIVE_HALVING);
  }

  @Override
  public PromptStrategy create(StrategyParameters parameters) {
    return new APE(new APE.Options(
        parameters.choice("generation", "forward", "forward", "insert"),
        customTemplate(parameters),
        parameters.integer("subsamples", 5, 1),
        parameters.integer("demos", 5, 1),
        parameters.integer("promptsPerSubsample", 10, 1),
        parameters.choice("scoring", "accuracy", "accuracy", "logprob"),
        parameters.integer("proposals", 4, 1)));
  }

  /** The text of {@code generationTemplate}, or null for the built-in templates. */
  private static String customTemplate(StrategyParameters parameters) {
    String path = parameters.text("generationTemplate", "");
    if (path.isBlank()) {
      return null;
    }
    Optional<String> text = Resource.find(parameters.classLoader(), path).map(Resource::readText);
    if (text.isEmpty()) {
      parameters.problem("generationTemplate = \"" + path
          + "\" is not on the classpath; create src/test/resources/" + path);
      return null;
    }
    if (!text.get().contains("{{demos}}") || !text.get().contains(APE.INSERT)) {
      parameters.problem("generationTemplate = \"" + path + "\" needs {{demos}} (where the demonstrations go) and "
          + APE.INSERT + " (where the instruction goes)");
    }
    return text.get();
  }
}
