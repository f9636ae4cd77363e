package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.Optimize;
import io.promptunit.config.Configuration;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a strategy reads its own parameters from. A parameter's value is, first found: the setting
 * {@code promptunit.optimize.<name>}; the {@code @Optimize} attribute of that name when the user set
 * it (a value other than the attribute's declared default); the strategy's reference default. Bad
 * values are collected as problems, so that every one is reported at once.
 */
@API(status = INTERNAL, since = "0.1")
public final class StrategyParameters {

  private final Optimize annotation;
  private final Configuration settings;
  private final ClassLoader loader;
  private final List<String> problems = new ArrayList<>();
  /** Every parameter name the strategy asked for, so that the configuration knows its keys. */
  private final java.util.Set<String> asked = new java.util.LinkedHashSet<>();

  /**
   * @param annotation the suite's {@code @Optimize}, or null (defaults and settings only)
   * @param loader where the suite's resources are (a strategy may read a template file)
   */
  public StrategyParameters(Optimize annotation, Configuration settings, ClassLoader loader) {
    this.annotation = annotation;
    this.settings = settings;
    this.loader = loader;
  }

  /** An integer of at least {@code least}. */
  public int integer(String name, int referenceDefault, int least) {
    int value = raw(name).map(text -> {
      try {
        return Integer.parseInt(text.strip());
      } catch (NumberFormatException e) {
        problem(OptimizeOptions.PREFIX + name + "=" + text + " is not a whole number");
        return referenceDefault;
      }
    }).orElseGet(() -> attribute(name, Integer.class).orElse(referenceDefault));
    if (value < least) {
      problem(name + " = " + value + (raw(name).isPresent()
          ? " (from " + OptimizeOptions.PREFIX + name + settings.sourceNote(OptimizeOptions.PREFIX + name) + ")" : "")
          + " must be at least " + least);
    }
    return value;
  }

  /** One of {@code allowed}. */
  public String choice(String name, String referenceDefault, String... allowed) {
    String value = text(name, referenceDefault);
    if (!Arrays.asList(allowed).contains(value)) {
      String from = raw(name).isPresent() ? " (from " + OptimizeOptions.PREFIX + name + ")" : "";
      problem(name + " = \"" + value + "\"" + from + " must be "
          + String.join(" or ", Arrays.stream(allowed).map(a -> "\"" + a + "\"").toList()));
    }
    return value;
  }

  public String text(String name, String referenceDefault) {
    return raw(name).map(String::strip).orElseGet(() -> attribute(name, String.class).orElse(referenceDefault));
  }

  public boolean bool(String name, boolean referenceDefault) {
    Optional<String> raw = raw(name);
    if (raw.isPresent()) {
      String text = raw.get().strip();
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(text);
      }
      problem("Setting " + OptimizeOptions.PREFIX + name + "=" + text
          + settings.sourceNote(OptimizeOptions.PREFIX + name)
          + " is not a boolean; use true or false.");
      return referenceDefault;
    }
    return attribute(name, Boolean.class).orElse(referenceDefault);
  }

  /** The suite's class loader, for files a parameter names. */
  public ClassLoader classLoader() {
    return loader;
  }

  /** Reports an unusable value; the optimization does not start, and says what to fix. */
  public void problem(String problem) {
    problems.add(problem);
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  /** The names of the parameters read so far. */
  java.util.Set<String> asked() {
    return java.util.Set.copyOf(asked);
  }

  private Optional<String> raw(String name) {
    asked.add(name);
    return settings.value(OptimizeOptions.PREFIX + name);
  }

  /** The attribute {@code name} of {@code @Optimize}, when it exists and the user set it. */
  private <T> Optional<T> attribute(String name, Class<T> type) {
    if (annotation == null) {
      return Optional.empty();
    }
    try {
      Method attribute = Optimize.class.getMethod(name);
      Object value = attribute.invoke(annotation);
      return type.isInstance(value) && !value.equals(attribute.getDefaultValue())
          ? Optional.of(type.cast(value)) : Optional.empty();
    } catch (NoSuchMethodException e) {
      return Optional.empty();
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read @Optimize(" + name + ")", e);
    }
  }
}
