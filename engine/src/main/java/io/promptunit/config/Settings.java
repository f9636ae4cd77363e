package io.promptunit.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed, read-only view of PromptUnit's configuration. The primary source (JUnit's configuration
 * parameters, which already include system properties and {@code junit-platform.properties}) is
 * consulted first, then the environment.
 */
@API(status = INTERNAL, since = "0.1")
public final class Settings {

  private final Function<String, Optional<String>> primary;
  private final Function<String, String> environment;

  public Settings(Function<String, Optional<String>> primary, Function<String, String> environment) {
    this.primary = primary;
    this.environment = environment;
  }

  /** Settings from system properties and the process environment; for use without JUnit. */
  public static Settings fromSystem() {
    return new Settings(key -> Optional.ofNullable(System.getProperty(key)), System::getenv);
  }

  /** Settings from a fixed map only (no environment); for tests and embedding. */
  public static Settings of(Map<String, String> values) {
    return new Settings(key -> Optional.ofNullable(values.get(key)), key -> null);
  }

  /**
   * The value of {@code key}, blank values counting as absent. A key set (even to blank) in the
   * primary source hides the environment variable, so {@code -Dpromptunit.model=} means "none".
   */
  public Optional<String> get(String key) {
    Optional<String> value = primary.apply(key);
    if (value.isPresent()) {
      return value.map(String::strip).filter(v -> !v.isEmpty());
    }
    return env(environmentName(key));
  }

  /** Where {@link #get} found {@code key}, for messages: the key itself or its environment variable. */
  public String describeSource(String key) {
    return primary.apply(key).map(String::strip).filter(v -> !v.isEmpty()).isPresent()
        ? key
        : environmentName(key) + " (environment)";
  }

  /**
   * Where {@code key} came from, for a message about its value: empty when it is the key itself (a
   * {@code -D} option or {@code junit-platform.properties}), else {@code " (from PROMPTUNIT_X (environment))"}.
   */
  public String sourceNote(String key) {
    String source = describeSource(key);
    return source.equals(key) ? "" : " (from " + source + ")";
  }

  /** A raw environment variable (API keys are only ever read from here). */
  public Optional<String> env(String name) {
    return Optional.ofNullable(environment.apply(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  public int getInt(String key, int defaultValue) {
    return get(key).map(v -> parse(key, v, Integer::parseInt, "a whole number")).orElse(defaultValue);
  }

  public long getLong(String key, long defaultValue) {
    return get(key).map(v -> parse(key, v, Long::parseLong, "a whole number")).orElse(defaultValue);
  }

  public double getDouble(String key, double defaultValue) {
    return get(key).map(v -> parse(key, v, Double::parseDouble, "a number, e.g. 0.05")).orElse(defaultValue);
  }

  /** {@link Keys#CACHE_DIR}: where the cassettes (and baselines) are, relative to the working directory. */
  public java.nio.file.Path cacheDir() {
    return java.nio.file.Path.of(get(Keys.CACHE_DIR).orElse(Keys.DEFAULT_CACHE_DIR));
  }

  /** {@link Keys#OUTPUT_DIR}: where reports and optimization outputs go, relative to the working directory. */
  public java.nio.file.Path outputDir() {
    return java.nio.file.Path.of(get(Keys.OUTPUT_DIR).orElse(Keys.DEFAULT_OUTPUT_DIR));
  }

  /** {@code true} or {@code false} (any case); anything else is an error naming the key, where it was set and what is accepted. */
  public Optional<Boolean> getBoolean(String key) {
    return get(key).map(value -> {
      if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(value);
      }
      throw new IllegalArgumentException("Setting " + key + "=" + value + sourceNote(key)
          + " is not a boolean; use true or false.");
    });
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    return getBoolean(key).orElse(defaultValue);
  }

  private <T> T parse(String key, String value, Function<String, T> parser, String accepted) {
    try {
      return parser.apply(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Setting " + key + "=" + value + sourceNote(key) + " is not a number; use "
          + accepted + ".", e);
    }
  }

  static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
