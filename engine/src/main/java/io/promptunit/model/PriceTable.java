package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.config.Configuration;
import io.promptunit.config.Keys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * US dollars per million input and output tokens, by model name. Defaults cover common hosted
 * models (list prices of late 2025; check your provider's); override or add with
 * {@code promptunit.price.<model>=<input>,<output>}, e.g. {@code promptunit.price.gpt-4o-mini=0.15,0.60}.
 * Models named {@code gguf:...}, or served from a custom base URL, cost nothing unless priced.
 */
@API(status = INTERNAL, since = "0.1")
public final class PriceTable {

  /** @param inputPerMillion dollars per million input tokens
   *  @param outputPerMillion dollars per million output tokens */
  public record Price(double inputPerMillion, double outputPerMillion) {
    public double cost(long inputTokens, long outputTokens) {
      return (inputTokens * inputPerMillion + outputTokens * outputPerMillion) / 1_000_000.0;
    }
  }

  private static final Map<String, Price> DEFAULTS = new LinkedHashMap<>();

  static {
    Providers.ALL.forEach(provider -> DEFAULTS.putAll(provider.prices()));
  }

  private final Configuration settings;

  public PriceTable(Configuration settings) {
    this.settings = settings;
  }

  /** The keys {@code promptunit.price.<model>}, each {@code <input>,<output>} dollars per million tokens. */
  public static io.promptunit.config.KeyFamily keyFamily() {
    return new io.promptunit.config.KeyFamily(Keys.PRICE_PREFIX + "<model>",
        key -> key.startsWith(Keys.PRICE_PREFIX) && key.length() > Keys.PRICE_PREFIX.length(), List.of(),
        (key, value) -> {
          try {
            parse(key, value);
            return Optional.empty();
          } catch (ModelConfigurationException e) {
            return Optional.of("use <input>,<output> in dollars per million tokens, e.g. 0.15,0.60");
          }
        });
  }

  /**
   * The price of {@code model} (a provider string such as {@code openai:gpt-4o-mini} or a bare name).
   * A configured price wins; otherwise the longest default whose name starts the model name
   * ({@code gpt-4o-mini-2024-07-18} is priced as {@code gpt-4o-mini}).
   */
  public Optional<Price> priceOf(String model) {
    String name = model.contains(":") ? model.substring(model.indexOf(':') + 1) : model;
    Optional<String> configured = settings.value(Keys.PRICE_PREFIX + name);
    if (configured.isPresent()) {
      return Optional.of(parse(Keys.PRICE_PREFIX + name, configured.get()));
    }
    String lower = name.toLowerCase(Locale.ROOT);
    String best = null;
    for (String known : DEFAULTS.keySet()) {
      if (lower.startsWith(known) && (best == null || known.length() > best.length())) {
        best = known;
      }
    }
    return Optional.ofNullable(best).map(DEFAULTS::get);
  }

  private static Price parse(String key, String text) {
    String[] parts = text.split(",");
    if (parts.length != 2) {
      throw ModelConfigurationException.invalid(key + "=" + text
          + " must be <input>,<output> in dollars per million tokens, e.g. 0.15,0.60");
    }
    try {
      double input = Double.parseDouble(parts[0].strip());
      double output = Double.parseDouble(parts[1].strip());
      if (!(input >= 0 && output >= 0 && Double.isFinite(input) && Double.isFinite(output))) {
        throw new NumberFormatException("negative or not finite");
      }
      return new Price(input, output);
    } catch (NumberFormatException e) {
      throw ModelConfigurationException.invalid(key + "=" + text
          + " is not two numbers of dollars per million tokens, e.g. 0.15,0.60");
    }
  }

}
