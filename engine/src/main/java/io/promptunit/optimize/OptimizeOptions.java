package io.promptunit.optimize;

import io.promptunit.BestArm;
import io.promptunit.Optimize;
import io.promptunit.Strategy;
import io.promptunit.config.Keys;
import io.promptunit.config.Settings;
import io.promptunit.model.Budget;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every parameter of an optimization run, resolved (annotation, then configuration overrides, then
 * the strategy's reference defaults for attributes left at -1).
 */
public record OptimizeOptions(
    Strategy strategy,
    List<String> frozen,
    int rounds,
    int beamSize,
    int patience,
    long seed,
    double metaTemperature,
    BestArm selection,
    int selectionBudget,
    int minibatchSize,
    int gradients,
    int errorsPerGradient,
    int editsPerGradient,
    int paraphrases,
    int maxExpansion,
    int proposals,
    int batchSize,
    int stepSize,
    boolean history,
    double trainFraction,
    double devFraction,
    Budget.Caps caps,
    int maxOutputTokens,
    String generation,
    Optional<String> generationTemplate,
    int subsamples,
    int demos,
    int promptsPerSubsample,
    String scoring,
    int trajectorySize,
    int minTrajectoryScore,
    int exemplars,
    int candidatesPerStep,
    List<Strategy> compare,
    int optimizerConcurrency,
    int progressSeconds) {

  public OptimizeOptions {
    frozen = List.copyOf(frozen);
    compare = List.copyOf(compare);
    // every problem at once: a user fixing one at a time would need a run per mistake
    List<String> problems = new java.util.ArrayList<>();
    if (!generation.equals("forward") && !generation.equals("insert")) {
      problems.add("generation = \"" + generation + "\" must be \"forward\" or \"insert\"");
    }
    if (!scoring.equals("accuracy") && !scoring.equals("logprob")) {
      problems.add("scoring = \"" + scoring + "\" must be \"accuracy\" or \"logprob\"");
    }
    atLeast(problems, 1, "rounds", rounds, "beamSize", beamSize, "patience", patience, "minibatchSize", minibatchSize,
        "gradients", gradients, "errorsPerGradient", errorsPerGradient, "editsPerGradient", editsPerGradient, "maxExpansion", maxExpansion,
        "proposals", proposals, "batchSize", batchSize, "maxOutputTokens", maxOutputTokens, "subsamples", subsamples, "demos", demos,
        "promptsPerSubsample", promptsPerSubsample, "trajectorySize", trajectorySize, "candidatesPerStep", candidatesPerStep);
    atLeast(problems, 0, "paraphrases", paraphrases, "stepSize", stepSize, "selectionBudget", selectionBudget, "exemplars", exemplars);
    if (caps.calls() < 1) {
      problems.add("maxCalls = " + caps.calls() + " must be at least 1");
    }
    if (caps.tokens() < 1) {
      problems.add("maxTokens = " + caps.tokens() + " must be at least 1");
    }
    if (!(caps.cost() > 0)) {
      problems.add("maxCost = " + caps.cost() + " must be more than 0 (dollars)");
    }
    if (caps.seconds() < 1) {
      problems.add("maxSeconds = " + caps.seconds() + " must be at least 1");
    }
    if (!(metaTemperature >= 0 && metaTemperature <= 2)) {
      problems.add("metaTemperature = " + metaTemperature + " must be in [0, 2] (or -1 for the strategy's default)");
    }
    if (!(trainFraction > 0 && trainFraction < 1) || !(devFraction >= 0 && trainFraction + devFraction < 1)) {
      problems.add("trainFraction = " + trainFraction + " and devFraction = " + devFraction
          + " must leave room for test examples (trainFraction in (0, 1), devFraction >= 0, their sum below 1)");
    }
    if (optimizerConcurrency < 0) {
      problems.add(Keys.OPTIMIZER_CONCURRENCY + " = " + optimizerConcurrency + " must be 0 (the suite's concurrency) or more");
    }
    if (progressSeconds < 0) {
      problems.add(Keys.PROGRESS_SECONDS + " = " + progressSeconds + " must be 0 (no progress lines) or more");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("@Optimize has " + (problems.size() == 1 ? "a problem" : problems.size() + " problems") + ": "
          + String.join("; ", problems) + ". Fix the attribute, or its promptunit.optimize.<attribute> setting.");
    }
  }

  /** Adds a problem for every (name, value) pair below {@code least}. */
  private static void atLeast(List<String> problems, int least, Object... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      int value = (Integer) namesAndValues[i + 1];
      if (value < least) {
        problems.add(namesAndValues[i] + " = " + value + " must be at least " + least);
      }
    }
  }

  /** Configuration keys are {@code promptunit.optimize.<attribute>}; they win over the annotation. */
  public static final String PREFIX = "promptunit.optimize.";

  /**
   * Resolves the options of {@code annotation}: a configuration property
   * {@code promptunit.optimize.<attribute>} overrides the attribute; -1 means the strategy's reference default.
   *
   * @throws IllegalArgumentException naming the attribute or property when a value is unusable
   */
  public static OptimizeOptions from(Optimize annotation, Settings settings) {
    Values v = new Values(settings);
    return from(annotation, settings, v.enumValue("strategy", Strategy.class, annotation.strategy()));
  }

  /** The options of {@code annotation} for one {@code strategy} (each strategy of a comparison gets its own). */
  public static OptimizeOptions from(Optimize annotation, Settings settings, Strategy strategy) {
    Values v = new Values(settings);
    List<Strategy> compare = settings.get(PREFIX + "compare")
        .map(list -> Arrays.stream(list.split(",")).map(String::strip).filter(n -> !n.isEmpty())
            .map(n -> v.enumValue("compare", Strategy.class, n)).distinct().toList())
        .orElse(Arrays.stream(annotation.compare()).distinct().toList());
    int rounds = v.integer("rounds", annotation.rounds());
    int beam = v.integer("beamSize", annotation.beamSize());
    long maxCalls = v.longValue("maxCalls", annotation.maxCalls());
    long maxTokens = v.longValue("maxTokens", annotation.maxTokens());
    double maxCost = v.decimal("maxCost", annotation.maxCost());
    long maxSeconds = v.longValue("maxSeconds", annotation.maxSeconds());
    double metaTemperature = v.decimal("metaTemperature", annotation.metaTemperature());
    List<String> frozen = settings.get(PREFIX + "frozen").map(f -> Arrays.asList(f.split("\\|\\|"))).orElse(Arrays.asList(annotation.frozen()));
    return new OptimizeOptions(
        strategy,
        frozen,
        rounds > 0 ? rounds : switch (strategy) {
          case PE2 -> 3;
          case APE -> 4;
          case OPRO -> 8;
          default -> 6;
        },
        beam > 0 ? beam : 4,
        v.integer("patience", annotation.patience()),
        v.longValue("seed", annotation.seed()),
        metaTemperature >= 0 ? metaTemperature : switch (strategy) {
          case APE -> 0.9;
          case OPRO -> 1.0;
          default -> 0.7;
        },
        // APE's multi-stage filtering is successive halving on shared disjoint subsets, unless a selection is named
        strategy == Strategy.APE && settings.get(PREFIX + "selection").isEmpty() && annotation.selection() == BestArm.UCB
            ? BestArm.SUCCESSIVE_HALVING
            : v.enumValue("selection", BestArm.class, annotation.selection()),
        v.integer("selectionBudget", annotation.selectionBudget()),
        v.integer("minibatchSize", annotation.minibatchSize()),
        v.integer("gradients", annotation.gradients()),
        v.integer("errorsPerGradient", annotation.errorsPerGradient()),
        v.integer("editsPerGradient", annotation.editsPerGradient()),
        v.integer("paraphrases", annotation.paraphrases()),
        v.integer("maxExpansion", annotation.maxExpansion()),
        v.integer("proposals", annotation.proposals()),
        v.integer("batchSize", annotation.batchSize()),
        v.integer("stepSize", annotation.stepSize()),
        v.bool("history", annotation.history()),
        v.decimal("trainFraction", annotation.trainFraction()),
        v.decimal("devFraction", annotation.devFraction()),
        new Budget.Caps(maxCalls, maxTokens, maxCost, maxSeconds),
        v.integer("maxOutputTokens", annotation.maxOutputTokens()),
        v.text("generation", annotation.generation()),
        Optional.of(v.text("generationTemplate", annotation.generationTemplate())).filter(t -> !t.isBlank()),
        v.integer("subsamples", annotation.subsamples()),
        v.integer("demos", annotation.demos()),
        v.integer("promptsPerSubsample", annotation.promptsPerSubsample()),
        v.text("scoring", annotation.scoring()),
        v.integer("trajectorySize", annotation.trajectorySize()),
        v.integer("minTrajectoryScore", annotation.minTrajectoryScore()),
        v.integer("exemplars", annotation.exemplars()),
        v.integer("candidatesPerStep", annotation.candidatesPerStep()),
        compare,
        settings.getInt(Keys.OPTIMIZER_CONCURRENCY, 0),
        settings.getInt(Keys.PROGRESS_SECONDS, Keys.DEFAULT_PROGRESS_SECONDS));
  }

  private record Values(Settings settings) {
    Optional<String> raw(String name) {
      return settings.get(PREFIX + name);
    }

    int integer(String name, int fallback) {
      return raw(name).map(text -> parse(name, text, Integer::parseInt)).orElse(fallback);
    }

    long longValue(String name, long fallback) {
      return raw(name).map(text -> parse(name, text, Long::parseLong)).orElse(fallback);
    }

    double decimal(String name, double fallback) {
      return raw(name).map(text -> parse(name, text, Double::parseDouble)).orElse(fallback);
    }

    String text(String name, String fallback) {
      return raw(name).map(String::strip).orElse(fallback);
    }

    boolean bool(String name, boolean fallback) {
      return settings.getBoolean(PREFIX + name, fallback);
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) {
      return raw(name).map(text -> enumValue(name, type, text)).orElse(fallback);
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, String text) {
      try {
        return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(PREFIX + name + "=" + text + " is not one of " + Arrays.toString(type.getEnumConstants()));
      }
    }

    private static <T> T parse(String name, String text, java.util.function.Function<String, T> parser) {
      try {
        return parser.apply(text.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PREFIX + name + "=" + text + " is not a number");
      }
    }
  }
}
