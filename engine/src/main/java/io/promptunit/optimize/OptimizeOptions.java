package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.BestArm;
import io.promptunit.Optimize;
import io.promptunit.config.Keys;
import io.promptunit.config.Configuration;
import io.promptunit.model.Budget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The parameters of an optimization run that the shared loop uses, resolved (configuration
 * {@code promptunit.optimize.<attribute>} over the annotation, -1 meaning the strategy's reference
 * default), and the strategy itself, configured with its own parameters by its
 * {@link StrategyProvider}.
 */
@API(status = INTERNAL, since = "0.1")
public record OptimizeOptions(
    PromptStrategy strategy,
    List<String> frozen,
    int rounds,
    int beamSize,
    int patience,
    long seed,
    double metaTemperature,
    BestArm selection,
    int selectionBudget,
    int minibatchSize,
    double trainFraction,
    double devFraction,
    Budget.Caps caps,
    int maxOutputTokens,
    List<String> compare,
    int optimizerConcurrency,
    int progressSeconds,
    Fit fit) {

  /**
   * Which of the run's sizes were left at their defaults, so that the run may make them smaller to fit its caps
   * ({@link Optimization#prepare}): the train minibatch (64 by default) and the beam (4).
   */
  @API(status = INTERNAL, since = "0.1")
  public record Fit(boolean minibatch, boolean beam) {
    public static final Fit NONE = new Fit(false, false);
  }

  /** These options with a minibatch of {@code minibatch} and a beam of {@code beam}, as fitted to the caps. */
  OptimizeOptions fitted(int minibatch, int beam) {
    return new OptimizeOptions(strategy, frozen, rounds, beam, patience, seed, metaTemperature, selection,
        selectionBudget, minibatch, trainFraction, devFraction, caps, maxOutputTokens, compare, optimizerConcurrency,
        progressSeconds, fit);
  }

  /** {@code @Optimize(minibatchSize)}'s default. */
  static final int DEFAULT_MINIBATCH = 64;

  /** Configuration keys are {@code promptunit.optimize.<attribute>}; they win over the annotation. */
  public static final String PREFIX = "promptunit.optimize.";

  /**
   * The keys {@code promptunit.optimize.<name>}: every {@code @Optimize} attribute and every
   * parameter of a registered strategy (asked of each strategy as it is made with its defaults).
   */
  public static io.promptunit.config.KeyFamily keyFamily() {
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (java.lang.reflect.Method attribute : Optimize.class.getDeclaredMethods()) {
      names.add(attribute.getName());
    }
    for (StrategyProvider provider : Strategies.all()) {
      StrategyParameters parameters = new StrategyParameters(null, Configuration.of(java.util.Map.of()),
          OptimizeOptions.class.getClassLoader());
      try {
        provider.create(parameters);
      } catch (RuntimeException unusableWithoutASuite) {
        // the names asked before it gave up still count
      }
      names.addAll(parameters.asked());
    }
    NOT_FROM_CONFIGURATION.keySet().forEach(names::remove);
    List<String> members = names.stream().map(name -> PREFIX + name).toList();
    return new io.promptunit.config.KeyFamily(PREFIX + "<@Optimize attribute or strategy parameter>",
        key -> members.contains(key)
            || key.startsWith(PREFIX) && NOT_FROM_CONFIGURATION.containsKey(key.substring(PREFIX.length())),
        members, (key, value) -> valueProblem(key.substring(PREFIX.length()), value));
  }

  /**
   * The output cap {@code @Optimize(maxOutputTokens)} (or {@code promptunit.optimize.maxOutputTokens})
   * gives the suite's scoring requests, when it is usable (a whole number of at least 1); an unusable
   * one is reported by the configuration check or the optimization, and gives no cap.
   */
  public static java.util.Optional<Integer> maxOutputTokens(Optimize annotation, Configuration settings) {
    int cap = annotation.maxOutputTokens();
    java.util.Optional<String> configured = settings.value(PREFIX + "maxOutputTokens");
    if (configured.isPresent()) {
      try {
        cap = Integer.parseInt(configured.get().strip());
      } catch (NumberFormatException reported) {
        return java.util.Optional.empty();
      }
    }
    return cap >= 1 ? java.util.Optional.of(cap) : java.util.Optional.empty();
  }

  /** {@code @Optimize} attributes that configuration does not set, with the setting that does. */
  private static final java.util.Map<String, String> NOT_FROM_CONFIGURATION = java.util.Map.of(
      "optimizerModel", io.promptunit.config.Keys.OPTIMIZER_MODEL,
      "strategyName", PREFIX + "strategy",
      "compareNames", PREFIX + "compare");

  /**
   * What is wrong with {@code value} for the attribute {@code name}, read as its {@code @Optimize}
   * type; empty for a strategy parameter.
   */
  private static java.util.Optional<String> valueProblem(String name, String value) {
    if (NOT_FROM_CONFIGURATION.containsKey(name)) {
      return java.util.Optional.of("it is not read from configuration; set " + NOT_FROM_CONFIGURATION.get(name)
          + " instead");
    }
    Class<?> type;
    try {
      type = Optimize.class.getMethod(name).getReturnType();
    } catch (NoSuchMethodException strategyParameter) {
      return java.util.Optional.empty();
    }
    String text = value.strip();
    try {
      if (name.equals("strategy") || name.equals("compare")) {
        // any registered strategy, not only the enum's
        Arrays.stream(text.split(",")).map(String::strip).filter(n -> !n.isEmpty())
            .forEach(n -> Strategies.named(n, PREFIX + name));
      } else if (type == int.class) {
        Integer.parseInt(text);
      } else if (type == long.class) {
        Long.parseLong(text);
      } else if (type == double.class) {
        Double.parseDouble(text);
      } else if (type.isEnum()) {
        Enum.valueOf(type.asSubclass(Enum.class), text.toUpperCase(Locale.ROOT).replace('-', '_'));
      }
      return java.util.Optional.empty();
    } catch (NumberFormatException e) {
      return java.util.Optional.of("it is not a number; use " + (type == double.class ? "a number, e.g. 0.5"
          : "a whole number"));
    } catch (IllegalArgumentException e) {
      boolean strategies = name.equals("strategy") || name.equals("compare");
      return java.util.Optional.of(type.isEnum() && !strategies ? "use one of "
          + Arrays.toString(type.getEnumConstants()) : e.getMessage());
    }
  }

  public OptimizeOptions {
    frozen = List.copyOf(frozen);
    compare = List.copyOf(compare);
  }

  /**
   * The strategies to compare ({@code promptunit.optimize.compare}, else {@code @Optimize(compare)} and
   * {@code (compareNames)}), by registered name.
   */
  public static List<String> compared(Optimize annotation, Configuration settings) {
    java.util.Optional<String> configured = settings.value(PREFIX + "compare");
    List<String> names = configured
        .map(list -> Arrays.stream(list.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList())
        .orElse(Strategies.declaredComparison(annotation));
    String where = configured.isPresent() ? PREFIX + "compare" : "@Optimize(compareNames)";
    return names.stream().map(name -> Strategies.named(name, where).name()).distinct().toList();
  }

  /**
   * The strategy to run ({@code promptunit.optimize.strategy}, else {@code @Optimize(strategyName)} or
   * {@code (strategy)}), by registered name.
   */
  public static String strategyName(Optimize annotation, Configuration settings) {
    return settings.value(PREFIX + "strategy").map(name -> Strategies.named(name, PREFIX + "strategy").name())
        .orElseGet(() -> Strategies.named(Strategies.declared(annotation), "@Optimize(strategyName)").name());
  }

  /**
   * As {@link #from(Optimize, Configuration, ClassLoader)}, finding files a parameter names with the thread's context
   * class loader.
   */
  public static OptimizeOptions from(Optimize annotation, Configuration settings) {
    return from(annotation, settings, Thread.currentThread().getContextClassLoader());
  }

  /**
   * Resolves the options of {@code annotation} for its strategy.
   *
   * @throws IllegalArgumentException listing every unusable value, each naming its attribute or property
   */
  public static OptimizeOptions from(Optimize annotation, Configuration settings, ClassLoader loader) {
    return from(annotation, settings, loader, strategyName(annotation, settings));
  }

  /**
   * The options of {@code annotation} for the strategy {@code strategyName} (each strategy of a comparison gets its
   * own).
   */
  public static OptimizeOptions from(Optimize annotation, Configuration settings, ClassLoader loader,
      String strategyName) {
    Values v = new Values(settings);
    StrategyProvider provider = Strategies.named(strategyName, PREFIX + "strategy");
    StrategyParameters parameters = new StrategyParameters(annotation, settings, loader);
    PromptStrategy strategy = provider.create(parameters);
    List<String> frozen = settings.value(PREFIX + "frozen").map(f -> Arrays.asList(f.split("\\|\\|")))
        .orElse(Arrays.asList(annotation.frozen()));
    int rounds = v.integer("rounds", annotation.rounds());
    int beam = v.integer("beamSize", annotation.beamSize());
    double metaTemperature = v.decimal("metaTemperature", annotation.metaTemperature());
    BestArm selection = settings.value(PREFIX + "selection").isEmpty() && annotation.selection() == BestArm.UCB
        ? provider.defaultSelection().orElse(BestArm.UCB)
        : v.enumValue("selection", BestArm.class, annotation.selection());
    OptimizeOptions options = new OptimizeOptions(
        strategy,
        frozen,
        rounds > 0 ? rounds : provider.defaultRounds(),
        beam > 0 ? beam : 4,
        v.integer("patience", annotation.patience()),
        v.longValue("seed", annotation.seed()),
        metaTemperature >= 0 ? metaTemperature : provider.defaultMetaTemperature(),
        selection,
        v.integer("selectionBudget", annotation.selectionBudget()),
        v.integer("minibatchSize", annotation.minibatchSize()),
        v.decimal("trainFraction", annotation.trainFraction()),
        v.decimal("devFraction", annotation.devFraction()),
        caps(v, annotation),
        v.integer("maxOutputTokens", annotation.maxOutputTokens()),
        compared(annotation, settings),
        settings.optimizerConcurrency(),
        settings.progressSeconds(),
        new Fit(settings.value(PREFIX + "minibatchSize").isEmpty() && annotation.minibatchSize() == DEFAULT_MINIBATCH,
            beam <= 0));
    // every problem at once: a user fixing one at a time would need a run per mistake
    List<String> problems = new ArrayList<>(options.problems());
    problems.addAll(parameters.problems());
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    return options;
  }

  private static Budget.Caps caps(Values v, Optimize annotation) {
    return new Budget.Caps(v.longValue("maxCalls", annotation.maxCalls()),
        v.longValue("maxTokens", annotation.maxTokens()), v.decimal("maxCost", annotation.maxCost()),
        v.longValue("maxSeconds", annotation.maxSeconds()));
  }

  private static IllegalArgumentException invalid(List<String> problems) {
    return new IllegalArgumentException("@Optimize has "
        + (problems.size() == 1 ? "a problem" : problems.size() + " problems") + ": "
        + String.join("; ", problems) + ". Fix the attribute, or its promptunit.optimize.<attribute> setting.");
  }

  /** The loop's own parameters that are unusable. */
  private List<String> problems() {
    List<String> problems = new ArrayList<>();
    atLeast(problems, 1, "rounds", rounds, "beamSize", beamSize, "patience", patience, "minibatchSize", minibatchSize,
        "maxOutputTokens", maxOutputTokens);
    atLeast(problems, 0, "selectionBudget", selectionBudget);
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
      problems.add(Keys.OPTIMIZER_CONCURRENCY + " = " + optimizerConcurrency
          + " must be 0 (the suite's concurrency) or more");
    }
    if (progressSeconds < 0) {
      problems.add(Keys.PROGRESS_SECONDS + " = " + progressSeconds + " must be 0 (no progress lines) or more");
    }
    return problems;
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

  private record Values(Configuration settings) {
    private String raw(String name) {
      return settings.value(PREFIX + name).orElse(null);
    }

    int integer(String name, int fallback) {
      return raw(name) == null ? fallback : parse(name, raw(name), Integer::parseInt);
    }

    long longValue(String name, long fallback) {
      return raw(name) == null ? fallback : parse(name, raw(name), Long::parseLong);
    }

    double decimal(String name, double fallback) {
      return raw(name) == null ? fallback : parse(name, raw(name), Double::parseDouble);
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) {
      String text = raw(name);
      if (text == null) {
        return fallback;
      }
      try {
        return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(PREFIX + name + "=" + text
            + settings.sourceNote(PREFIX + name) + " is not one of "
            + Arrays.toString(type.getEnumConstants()));
      }
    }

    private <T> T parse(String name, String text, java.util.function.Function<String, T> parser) {
      try {
        return parser.apply(text.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PREFIX + name + "=" + text + settings.sourceNote(PREFIX + name)
            + " is not a number");
      }
    }
  }
}
