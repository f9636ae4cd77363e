package io.promptunit.config;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * PromptUnit's configuration, read once per run: every setting of {@link Keys#SETTINGS} read,
 * checked and typed when the configuration is made, and the problems found (unknown keys and
 * look-alikes, values not accepted) kept for {@link #problems} to report, each naming its key,
 * where it was set and what is accepted.
 *
 * <p>Each setting may be set in {@code junit-platform.properties}, as a system property
 * ({@code -Dpromptunit.model=...}) or as an environment variable named like the key in upper case
 * with dots and dashes turned into underscores ({@code PROMPTUNIT_MODEL}). Launcher parameters and
 * system properties win over the properties file, which wins over the environment. A key set
 * (even to blank) in the first two hides the environment variable, so {@code -Dpromptunit.model=}
 * means "none".
 *
 * <pre>{@code
 * Configuration configuration = Configuration.forClassPath(RouterPromptTest.class.getClassLoader());
 * int concurrency = configuration.concurrency();
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Configuration {

  private static final Map<String, Setting<?>> DECLARED = new HashMap<>();

  static {
    Keys.SETTINGS.forEach(setting -> DECLARED.put(setting.key(), setting));
  }

  private final Function<String, Optional<String>> primary;
  private final Supplier<Set<String>> primaryKeys;
  private final Function<String, String> environment;
  private final Supplier<Set<String>> environmentNames;
  /** Where a key of the primary source was set, for messages (never the environment: {@link #where} says that). */
  private final Function<String, String> primaryLabel;
  private final Map<String, Object> values = new HashMap<>();
  private final List<ConfigurationProblem> valueProblems = new ArrayList<>();

  private Configuration(Function<String, Optional<String>> primary, Supplier<Set<String>> primaryKeys, Function<String,
      String> environment,
      Supplier<Set<String>> environmentNames, Function<String, String> primaryLabel) {
    this.primary = primary;
    this.primaryKeys = primaryKeys;
    this.environment = environment;
    this.environmentNames = environmentNames;
    this.primaryLabel = primaryLabel;
    Keys.SETTINGS.forEach(this::read);
  }

  /** The values of {@code values} only (no system properties, no environment): for tests and embedding. */
  public static Configuration of(Map<String, String> values) {
    Map<String, String> copy = Map.copyOf(values);
    return new Configuration(key -> Optional.ofNullable(copy.get(key)), copy::keySet, name -> null, Set::of, key ->
        "set in the given settings");
  }

  /** The values of {@code values}, then the variables of {@code environment}: for tests. */
  public static Configuration of(Map<String, String> values, Map<String, String> environment) {
    Map<String, String> copy = Map.copyOf(values);
    Map<String, String> variables = Map.copyOf(environment);
    return new Configuration(key -> Optional.ofNullable(copy.get(key)), copy::keySet, variables::get, variables::keySet,
        key -> "set in the given settings");
  }

  /**
   * The configuration of a JUnit launch: its configuration parameters (launcher parameters, system
   * properties, {@code junit-platform.properties}), then the environment.
   *
   * @param parameters JUnit's configuration parameters
   * @param parameterKeys the keys the parameters hold (system properties are added to them)
   */
  public static Configuration fromLauncher(Function<String, Optional<String>> parameters,
      Supplier<Set<String>> parameterKeys) {
    Properties file = propertiesFile(Thread.currentThread().getContextClassLoader());
    return new Configuration(parameters, () -> union(parameterKeys.get(), System.getProperties().stringPropertyNames()),
        System::getenv,
        () -> System.getenv().keySet(), key -> System.getProperty(key) != null ? "set by -D" + key
            : file.containsKey(key) ? "set in junit-platform.properties" : "set as a launcher configuration parameter");
  }

  /**
   * The configuration a JUnit launch would have without launcher parameters: system properties,
   * then {@code junit-platform.properties} on {@code loader}'s class path, then the environment.
   * For plain Java callers.
   */
  public static Configuration forClassPath(ClassLoader loader) {
    Properties file = propertiesFile(loader);
    return fromLauncher(key -> Optional.ofNullable(System.getProperty(key)).or(() ->
        Optional.ofNullable(file.getProperty(key))),
        file::stringPropertyNames);
  }

  /**
   * The configuration of a JUnit launch whose parameters cannot list their keys (a Jupiter
   * extension's): the keys checked are those of the system properties and of
   * {@code junit-platform.properties} on {@code loader}'s class path.
   */
  public static Configuration fromLauncher(Function<String, Optional<String>> parameters, ClassLoader loader) {
    return fromLauncher(parameters, () -> propertiesFile(loader).stringPropertyNames());
  }

  private static Properties propertiesFile(ClassLoader loader) {
    Properties file = new Properties();
    try (InputStream in = loader.getResourceAsStream("junit-platform.properties")) {
      if (in != null) {
        file.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read junit-platform.properties", e);
    }
    return file;
  }

  /**
   * Every problem of this configuration: values that are not accepted, and keys that are not
   * PromptUnit's — unknown {@code promptunit.*} keys and environment variables, and look-alikes
   * ({@code promtunit.model}, a Cyrillic letter in a key) — each with the closest valid key.
   *
   * @param families the key families beyond {@link Keys#SETTINGS} (prices, providers' base URLs, optimizer attributes)
   */
  public List<ConfigurationProblem> problems(List<KeyFamily> families) {
    List<ConfigurationProblem> problems = new ArrayList<>(valueProblems);
    KeyCheck check = new KeyCheck(families);
    for (String key : new TreeSet<>(primaryKeys.get())) {
      check.primaryKey(key, where(key)).ifPresent(problems::add);
      if (!DECLARED.containsKey(key)) {
        value(key).flatMap(value -> families.stream().filter(f -> f.covers(key)).findFirst()
            .flatMap(family -> family.check(key, value)))
            .ifPresent(reason -> problems.add(new ConfigurationProblem(key, "Setting " + key + "=" + value(key)
                .orElseThrow() + " ("
                + where(key) + ") is not accepted: " + reason)));
      }
    }
    for (String name : new TreeSet<>(environmentNames.get())) {
      check.environmentName(name).ifPresent(problems::add);
      familyValueProblem(name, families).ifPresent(problems::add);
    }
    return List.copyOf(problems);
  }

  /** The problem with the value of an environment variable of a key family ({@code PROMPTUNIT_PRICE_...}), if any. */
  private Optional<ConfigurationProblem> familyValueProblem(String name, List<KeyFamily> families) {
    String upper = name.toUpperCase(Locale.ROOT);
    Optional<String> value = environment(name);
    if (value.isEmpty() || DECLARED.keySet().stream().anyMatch(key -> environmentName(key).equals(upper))) {
      return Optional.empty();
    }
    for (KeyFamily family : families) {
      if (family.coversEnvironment(upper)) {
        String key = family.members().stream().filter(member -> environmentName(member).equals(upper)).findFirst()
            .orElse(name);
        return family.check(key, value.get()).map(reason -> new ConfigurationProblem(name, "Setting " + key + "="
            + value.get()
            + " (set by the environment variable " + name + ") is not accepted: " + reason));
      }
    }
    return Optional.empty();
  }

  /** The value of a key of a family ({@code promptunit.price.<model>}, ...), blank counting as absent. */
  public Optional<String> value(String key) {
    Optional<String> value = primary.apply(key);
    if (value.isPresent()) {
      return value.map(String::strip).filter(v -> !v.isEmpty());
    }
    return environment(environmentName(key));
  }

  /** Whether {@code key} is set (to something not blank). */
  public boolean isSet(String key) {
    return value(key).isPresent();
  }

  /** An environment variable (API keys are only ever read from here), blank counting as absent. */
  public Optional<String> environment(String name) {
    return Optional.ofNullable(environment.apply(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  /**
   * Where {@code key} was set, for messages: {@code set by -Dpromptunit.model}, {@code set in
   * junit-platform.properties}, ....
   */
  public String where(String key) {
    if (primary.apply(key).isPresent()) {
      return primaryLabel.apply(key);
    }
    return "set by the environment variable " + environmentName(key);
  }

  /**
   * What set {@code key}, as a name for messages: the key itself when it was set as a parameter, a
   * system property or in {@code junit-platform.properties}, else its environment variable
   * ({@code PROMPTUNIT_MODEL (environment)}).
   */
  public String describeSource(String key) {
    return primary.apply(key).map(String::strip).filter(v -> !v.isEmpty()).isPresent() ? key : environmentName(key)
        + " (environment)";
  }

  /**
   * Where {@code key} came from, for a message about its value: empty when it is the key itself,
   * else {@code " (from PROMPTUNIT_X (environment))"}.
   */
  public String sourceNote(String key) {
    String source = describeSource(key);
    return source.equals(key) ? "" : " (from " + source + ")";
  }

  /** {@link Keys#MODEL}. */
  public Optional<String> model() {
    return optional(Keys.MODEL);
  }

  /** {@link Keys#MODELS}: the models every suite runs against side by side; empty when not set. */
  public List<String> models() {
    return this.<List<String>>optional(Keys.MODELS).orElse(List.of());
  }

  /** {@link Keys#OPTIMIZE_APPLY_MODEL}. */
  public Optional<String> optimizeApplyModel() {
    return optional(Keys.OPTIMIZE_APPLY_MODEL);
  }

  /** {@link Keys#JUDGE_MODEL}. */
  public Optional<String> judgeModel() {
    return optional(Keys.JUDGE_MODEL);
  }

  /** {@link Keys#OPTIMIZER_MODEL}. */
  public Optional<String> optimizerModel() {
    return optional(Keys.OPTIMIZER_MODEL);
  }

  /** {@link Keys#CONCURRENCY}. */
  public int concurrency() {
    return get(Keys.CONCURRENCY);
  }

  /** {@link Keys#TIMEOUT_SECONDS}. */
  public Duration timeout() {
    return Duration.ofSeconds(this.<Integer>get(Keys.TIMEOUT_SECONDS));
  }

  /** {@link Keys#MAX_RETRIES}. */
  public int maxRetries() {
    return get(Keys.MAX_RETRIES);
  }

  /** {@link Keys#RETRY_BACKOFF_MILLIS}. */
  public long retryBackoffMillis() {
    return get(Keys.RETRY_BACKOFF_MILLIS);
  }

  /** {@link Keys#MAX_RETRY_WAIT_SECONDS}. */
  public int maxRetryWaitSeconds() {
    return get(Keys.MAX_RETRY_WAIT_SECONDS);
  }

  /** {@link Keys#MAX_OUTPUT_TOKENS}. */
  public Optional<Integer> maxOutputTokens() {
    return optional(Keys.MAX_OUTPUT_TOKENS);
  }

  /** {@link Keys#REQUESTS_PER_MINUTE}. */
  public int requestsPerMinute() {
    return get(Keys.REQUESTS_PER_MINUTE);
  }

  /** {@link Keys#TOKENS_PER_MINUTE}. */
  public long tokensPerMinute() {
    return get(Keys.TOKENS_PER_MINUTE);
  }

  /** {@link Keys#OPTIMIZE}. */
  public boolean optimize() {
    return get(Keys.OPTIMIZE);
  }

  /** Whether {@link Keys#OPTIMIZE} was set at all (a run that says nothing may skip a costly default). */
  public boolean optimizeIsSet() {
    return isSet(Keys.OPTIMIZE);
  }

  /** {@link Keys#OPTIMIZE_DRY_RUN}. */
  public boolean optimizeDryRun() {
    return get(Keys.OPTIMIZE_DRY_RUN);
  }

  /** {@link Keys#OPTIMIZE_APPLY}. */
  public boolean optimizeApply() {
    return get(Keys.OPTIMIZE_APPLY);
  }

  /** {@link Keys#OPTIMIZER_CONCURRENCY}; 0 for the suite's concurrency. */
  public int optimizerConcurrency() {
    return get(Keys.OPTIMIZER_CONCURRENCY);
  }

  /** {@link Keys#PROGRESS_SECONDS}. */
  public int progressSeconds() {
    return get(Keys.PROGRESS_SECONDS);
  }

  /** {@link Keys#OUTPUT_DIR}: where reports and optimization outputs go, relative to the working directory. */
  public Path outputDir() {
    return get(Keys.OUTPUT_DIR);
  }

  /** {@link Keys#REPORT}. */
  public boolean report() {
    return get(Keys.REPORT);
  }

  /** {@link Keys#CACHE}. */
  public CacheMode cache() {
    return get(Keys.CACHE);
  }

  /** {@link Keys#CACHE_DIR}: where the cassettes (and baselines) are, relative to the working directory. */
  public Path cacheDir() {
    return get(Keys.CACHE_DIR);
  }

  /** {@link Keys#CACHE_PRUNE}. */
  public boolean cachePrune() {
    return get(Keys.CACHE_PRUNE);
  }

  /** {@link Keys#BASELINE}. */
  public BaselineMode baseline() {
    return get(Keys.BASELINE);
  }

  /** {@link Keys#BASELINE_SIGNIFICANCE}. */
  public double baselineSignificance() {
    return get(Keys.BASELINE_SIGNIFICANCE);
  }

  /** {@link Keys#SHARD}; {@link Shard#ALL} when not set. */
  public Shard shard() {
    return get(Keys.SHARD);
  }

  /** {@link Keys#EMBEDDED}. */
  public boolean embedded() {
    return get(Keys.EMBEDDED);
  }

  /** {@link Keys#REQUIRE_MODEL}. */
  public boolean requireModel() {
    return get(Keys.REQUIRE_MODEL);
  }

  /** {@link Keys#MODEL_CACHE}. */
  public Optional<Path> modelCache() {
    return optional(Keys.MODEL_CACHE);
  }

  /** {@link Keys#EMBEDDED_MIRROR}. */
  public Optional<String> embeddedMirror() {
    return optional(Keys.EMBEDDED_MIRROR);
  }

  /** {@link Keys#BATCH}. */
  public boolean batch() {
    return get(Keys.BATCH);
  }

  /** {@link Keys#BATCH_MAX_WAIT_SECONDS}. */
  public Duration batchMaxWait() {
    return Duration.ofSeconds(this.<Long>get(Keys.BATCH_MAX_WAIT_SECONDS));
  }

  /** {@link Keys#BATCH_POLL_MILLIS}. */
  public Duration batchPoll() {
    return Duration.ofMillis(this.<Long>get(Keys.BATCH_POLL_MILLIS));
  }

  /** {@link Keys#BATCH_MAX_REQUESTS}. */
  public int batchMaxRequests() {
    return get(Keys.BATCH_MAX_REQUESTS);
  }

  /** The environment variable of {@code key}: upper case, dots and dashes as underscores ({@code PROMPTUNIT_MODEL}). */
  public static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private void read(Setting<?> setting) {
    Optional<String> text = value(setting.key());
    if (text.isEmpty()) {
      if (setting.defaultValue() != null) {
        values.put(setting.key(), setting.defaultValue());
      }
      return;
    }
    try {
      values.put(setting.key(), setting.reader().apply(text.get()));
    } catch (IllegalArgumentException e) {
      String reason = e instanceof NumberFormatException ? "it is not a number" : e.getMessage();
      valueProblems.add(new ConfigurationProblem(setting.key(), "Setting " + setting.key() + "=" + text.get() + " ("
          + where(setting.key())
          + ") is not accepted: " + reason + "; use " + setting.accepted() + "."));
      if (setting.defaultValue() != null) {
        values.put(setting.key(), setting.defaultValue());
      }
    }
  }

  /**
   * The typed value of a declared key. A value that was not accepted reads as the default; the
   * run never gets that far, because {@link #problems} reports it before anything runs.
   */
  @SuppressWarnings("unchecked")
  private <T> T get(String key) {
    failOnProblem(key);
    return (T) values.get(key);
  }

  @SuppressWarnings("unchecked")
  private <T> Optional<T> optional(String key) {
    failOnProblem(key);
    return Optional.ofNullable((T) values.get(key));
  }

  private void failOnProblem(String key) {
    for (ConfigurationProblem problem : valueProblems) {
      if (problem.key().equals(key)) {
        throw new InvalidConfigurationException(List.of(problem));
      }
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return all;
  }

  /** Every declared key, for suggestions. */
  static Set<String> declaredKeys() {
    return DECLARED.keySet();
  }
}
