package io.promptunit.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * A family of keys beyond {@link Keys#SETTINGS}, declared by the layer that knows its members: the
 * price table ({@code promptunit.price.<model>}), the provider table ({@code promptunit.<provider>.base-url}),
 * the optimizer ({@code promptunit.optimize.<attribute>}).
 *
 * @param pattern the family as documented, e.g. {@code promptunit.price.<model>}
 * @param covers whether a key belongs to the family
 * @param members the family's keys, for suggestions (may be empty when any member is valid)
 * @param checker the problem with a member's value, if any (a reason, e.g. "it is not two numbers")
 */
@API(status = INTERNAL, since = "0.1")
public record KeyFamily(String pattern, Predicate<String> covers, List<String> members, BiFunction<String, String,
    Optional<String>> checker) {

  public KeyFamily {
    members = List.copyOf(members);
  }

  /** A family whose values are not checked here. */
  public static KeyFamily of(String pattern, Predicate<String> covers, List<String> members) {
    return new KeyFamily(pattern, covers, members, (key, value) -> Optional.empty());
  }

  public boolean covers(String key) {
    return covers.test(key);
  }

  /** Whether {@code environmentName} is the environment variable of one of this family's keys. */
  public boolean coversEnvironment(String environmentName) {
    return members.stream().anyMatch(member -> Configuration.environmentName(member).equals(environmentName))
        || members.isEmpty() && environmentName.startsWith(prefixOfEnvironment());
  }

  public Optional<String> check(String key, String value) {
    return checker.apply(key, value);
  }

  private String prefixOfEnvironment() {
    String fixed = pattern.contains("<") ? pattern.substring(0, pattern.indexOf('<')) : pattern;
    return fixed.isEmpty() || fixed.equals("promptunit.") ? "\0" : Configuration.environmentName(fixed);
  }
}
