package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.Optimize;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The registered strategies ({@link StrategyProvider}s on the class path). */
@API(status = INTERNAL, since = "0.1")
public final class Strategies {

  private static volatile List<StrategyProvider> registered;

  private Strategies() {}

  public static List<StrategyProvider> all() {
    List<StrategyProvider> providers = registered;
    if (providers == null) {
      providers = ServiceLoader.load(StrategyProvider.class, Strategies.class.getClassLoader()).stream()
          .map(ServiceLoader.Provider::get).toList();
      registered = providers;
    }
    return providers;
  }

  public static Optional<StrategyProvider> find(String name) {
    String wanted = normalized(name);
    return all().stream().filter(provider -> normalized(provider.name()).equals(wanted)).findFirst();
  }

  /** @throws IllegalArgumentException naming the setting and the strategies there are */
  public static StrategyProvider named(String name, String where) {
    return find(name).orElseThrow(() -> new IllegalArgumentException(where + "=" + name
        + " is not a strategy; use one of "
        + all().stream().map(StrategyProvider::name).collect(Collectors.joining(", "))
        + " (a strategy of your own is found through a line in META-INF/services/"
        + StrategyProvider.class.getName() + ")"));
  }

  /** The strategy {@code annotation} names, as written: {@code strategyName} when set, else {@code strategy}. */
  public static String declared(Optimize annotation) {
    return annotation.strategyName().isBlank() ? annotation.strategy().name() : annotation.strategyName().strip();
  }

  /**
   * The strategies {@code annotation} compares, as written: {@code compare}, then {@code compareNames}; empty for none.
   */
  public static List<String> declaredComparison(Optimize annotation) {
    Stream<String> named = Arrays.stream(annotation.compareNames()).map(String::strip).filter(name -> !name.isEmpty());
    return Stream.concat(Arrays.stream(annotation.compare()).map(Enum::name), named).toList();
  }

  /** The registered name of {@code name} ({@code "pe2"}: {@code PE2}), or {@code name} itself when none has it. */
  public static String displayName(String name) {
    return find(name).map(StrategyProvider::name).orElse(name);
  }

  /** The name as the registry compares it: upper case, {@code -} as {@code _}. */
  public static String normalized(String name) {
    return name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
