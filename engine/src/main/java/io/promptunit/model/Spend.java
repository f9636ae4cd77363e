package io.promptunit.model;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import java.util.Locale;

/**
 * What model calls cost: calls, tokens and estimated dollars.
 *
 * @param calls model calls made (each retry counts)
 * @param inputTokens input tokens
 * @param outputTokens output tokens
 * @param cost estimated US dollars
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Spend(long calls, long inputTokens, long outputTokens, double cost) {

  public static final Spend NONE = new Spend(0, 0, 0, 0.0);

  public long tokens() {
    return inputTokens + outputTokens;
  }

  public Spend plus(Spend other) {
    return new Spend(calls + other.calls, inputTokens + other.inputTokens,
        outputTokens + other.outputTokens, cost + other.cost);
  }

  public Spend minus(Spend other) {
    return new Spend(calls - other.calls, inputTokens - other.inputTokens,
        outputTokens - other.outputTokens, cost - other.cost);
  }

  /** {@code 46 calls, 12.3k tokens, $0.0041} */
  public String describe() {
    return String.format(Locale.ROOT, "%d %s, %s tokens, $%.4f", calls, calls == 1 ? "call" : "calls",
        compact(tokens()), cost);
  }

  static String compact(long n) {
    if (n >= 1_000_000) {
      return String.format(Locale.ROOT, "%.2fM", n / 1_000_000.0);
    }
    if (n >= 1_000) {
      return String.format(Locale.ROOT, "%.1fk", n / 1_000.0);
    }
    return Long.toString(n);
  }
}
