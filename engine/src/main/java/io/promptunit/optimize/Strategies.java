package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

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
    return find(name).orElseThrow(() -> new IllegalArgumentException(where + "=" + name + " is not a strategy; use one of "
        + all().stream().map(StrategyProvider::name).collect(Collectors.joining(", "))));
  }

  /** The name as the registry compares it: upper case, {@code -} as {@code _}. */
  public static String normalized(String name) {
    return name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
