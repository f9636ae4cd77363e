package io.promptunit.model;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import java.util.Locale;

/**
 * Hard caps on calls, tokens, dollars and wall time, shared by every call of a run. Before each
 * call the worst case of that call is reserved; a call whose worst case could cross a cap is not
 * made ({@link BudgetExhaustedException}). After the call the reservation is replaced by what the
 * provider reported, so the caps hold for the real spend.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Budget {

  /** The caps. Use {@link Long#MAX_VALUE} / {@link Double#POSITIVE_INFINITY} for none. */
  public record Caps(long calls, long tokens, double cost, long seconds) {
    public static final Caps NONE = new Caps(Long.MAX_VALUE, Long.MAX_VALUE, Double.POSITIVE_INFINITY, Long.MAX_VALUE);

    public String describe() {
      return String.format(Locale.ROOT, "%s calls, %s tokens, $%s, %s s",
          calls == Long.MAX_VALUE ? "∞" : calls, tokens == Long.MAX_VALUE ? "∞" : Spend.compact(tokens),
          Double.isInfinite(cost) ? "∞" : String.format(Locale.ROOT, "%.2f", cost),
          seconds == Long.MAX_VALUE ? "∞" : seconds);
    }
  }

  private final Caps caps;
  private long startNanos;
  private Spend spent = Spend.NONE;
  private Spend reserved = Spend.NONE;
  private int inFlight;
  private String overrun;

  public Budget(Caps caps) {
    this.caps = caps;
    this.startNanos = System.nanoTime();
  }

  public static Budget unlimited() {
    return new Budget(Caps.NONE);
  }

  public Caps caps() {
    return caps;
  }

  public synchronized Spend spent() {
    return spent;
  }

  /** Starts the wall-time clock now (a budget prepared ahead of its run must not count the wait). */
  public synchronized void start() {
    startNanos = System.nanoTime();
  }

  public synchronized long elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1_000_000_000L;
  }

  /**
   * Reserves one call's worst case.
   *
   * @throws BudgetExhaustedException when it could cross a cap
   */
  public synchronized Spend reserve(long worstInputTokens, long worstOutputTokens, double worstCost) {
    Spend call = new Spend(1, worstInputTokens, worstOutputTokens, worstCost);
    if (overrun != null) {
      throw new BudgetExhaustedException(overrun);
    }
    Spend committed = spent.plus(reserved).plus(call);
    String exceeded = null;
    if (committed.calls() > caps.calls()) {
      exceeded = "the call cap of " + caps.calls() + " calls";
    } else if (committed.tokens() > caps.tokens()) {
      exceeded = "the token cap of " + caps.tokens() + " tokens (this call could use up to " + call.tokens() + ")";
    } else if (committed.cost() > caps.cost() + 1e-12) {
      exceeded = String.format(Locale.ROOT, "the cost cap of $%.2f (this call could cost up to $%.4f)",
          caps.cost(), worstCost);
    } else if (elapsedSeconds() >= caps.seconds()) {
      exceeded = "the wall-time cap of " + caps.seconds() + " s";
    }
    if (exceeded != null) {
      throw new BudgetExhaustedException("Budget reached: one more call could exceed " + exceeded
          + "; spent so far: " + spent.describe()
          + (inFlight == 0 ? "" : "; reserved for " + inFlight + " call" + (inFlight == 1 ? "" : "s")
              + " still running: " + Spend.compact(reserved.tokens()) + " tokens"));
    }
    reserved = reserved.plus(call);
    inFlight++;
    return call;
  }

  /**
   * Replaces a reservation by what the call actually cost. Reservations bound tokens by the bytes
   * of the request, which no tokenizer exceeds, so the actual spend stays within the reservation.
   */
  public synchronized void settle(Spend reservation, Spend actual) {
    reserved = reserved.minus(reservation);
    inFlight--;
    spent = spent.plus(actual);
    if (overrun == null && (spent.tokens() > caps.tokens() || spent.cost() > caps.cost() + 1e-12)) {
      boolean tokens = spent.tokens() > caps.tokens();
      overrun = String.format(Locale.ROOT,
          "Budget crossed: the real spend (%s) is above the %s although every call was reserved within it;"
              + " the last call used %d input and %d output tokens where %d and %d were reserved"
              + " (a provider that ignores the output cap does this). The run stopped at once.", spent.describe(),
          tokens ? "token cap of " + caps.tokens() : String.format(Locale.ROOT, "cost cap of $%.2f", caps.cost()),
          actual.inputTokens(), actual.outputTokens(), reservation.inputTokens(), reservation.outputTokens());
    }
  }

  /** Why the budget refuses every further call although the caps were respected when reserving, if it does. */
  public synchronized java.util.Optional<String> overrun() {
    return java.util.Optional.ofNullable(overrun);
  }

  /** Releases a reservation whose call failed before the provider answered; the call still counts. */
  public synchronized void release(Spend reservation) {
    reserved = reserved.minus(reservation);
    inFlight--;
    spent = spent.plus(new Spend(1, 0, 0, 0.0));
  }
}
