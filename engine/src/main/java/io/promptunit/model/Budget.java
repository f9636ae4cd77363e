package io.promptunit.model;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * Hard caps on calls, tokens, dollars and wall time, shared by every call of a run.
 *
 * <p>Before each call its worst case is reserved — the input bound and the call's output cap — and a call whose worst
 * case could cross a cap is not made ({@link BudgetExhaustedException}); after the call the reservation is replaced by
 * what the provider reported. A provider that ignores the output cap returns more than was reserved: under a token or
 * dollar cap the first call of each model is therefore made alone (its other calls wait for its answer), and once a
 * model has answered beyond a call's cap, its calls are reserved at the longest answer it gave, those still running
 * included. So the spend can cross a cap only by what calls already on the wire used beyond their reservations — by
 * one call's overrun for a provider that always overruns. A crossed cap is told with the true total
 * ({@link #overrun()}), and no call starts after it.
 *
 * <p>The wall-time cap is a deadline: no call starts after it, and calls still running when it passes are cancelled
 * (their threads interrupted, which aborts the HTTP exchange); they count as calls, without tokens, as the provider
 * reports nothing for them.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Budget {

  /** The caps. Use {@link Long#MAX_VALUE} / {@link Double#POSITIVE_INFINITY} for none. */
  public record Caps(long calls, long tokens, double cost, long seconds) {
    public static final Caps NONE = new Caps(Long.MAX_VALUE, Long.MAX_VALUE, Double.POSITIVE_INFINITY,
        Long.MAX_VALUE);

    public String describe() {
      return String.format(Locale.ROOT, "%s calls, %s tokens, $%s, %s s",
          calls == Long.MAX_VALUE ? "∞" : calls, tokens == Long.MAX_VALUE ? "∞" : Spend.compact(tokens),
          Double.isInfinite(cost) ? "∞" : String.format(Locale.ROOT, "%.2f", cost),
          seconds == Long.MAX_VALUE ? "∞" : seconds);
    }
  }

  /** What a call could cost at most: its price for those tokens. */
  @FunctionalInterface
  interface CostOf {
    double cost(long inputTokens, long outputTokens);
  }

  /** One call's reservation while it runs. */
  static final class Hold {
    final String model;
    final long outputCap;
    final CostOf costOf;
    final Thread thread = Thread.currentThread();
    Spend spend;
    boolean cancelled;

    Hold(String model, long outputCap, CostOf costOf, Spend spend) {
      this.model = model;
      this.outputCap = outputCap;
      this.costOf = costOf;
      this.spend = spend;
    }
  }

  /** What the budget has seen of one model's answers. */
  private static final class Seen {
    boolean answered;
    boolean probing;
    /** The longest answer above its call's output cap (0: none was), and that call's cap. */
    long longest;
    long askedFor;
  }

  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("promptunit-budget-deadline-"));

  private final Caps caps;
  private long startNanos;
  private Spend spent = Spend.NONE;
  private Spend reserved = Spend.NONE;
  /** Kept for a last measurement ({@link #setAside}): no other call may use it. */
  private Spend setAside = Spend.NONE;
  private String setAsideFor = "";
  private int inFlight;
  private final Map<String, Seen> models = new HashMap<>();
  private final Set<Hold> holds = Collections.newSetFromMap(new IdentityHashMap<>());
  private ScheduledFuture<?> deadline;
  private boolean expired;
  private int cancelled;

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
    expired = false;
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
    scheduleDeadline();
  }

  public synchronized long elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1_000_000_000L;
  }

  /** Calls that were still running when the wall-time cap passed, and were cancelled. */
  public synchronized int cancelledCalls() {
    return cancelled;
  }

  /** Cancels, at the deadline, every call still running; weakly held, so a finished budget is not kept alive. */
  private void scheduleDeadline() {
    if (caps.seconds() == Long.MAX_VALUE || deadline != null) {
      return;
    }
    long left = Math.max(0, deadlineNanos() - (System.nanoTime() - startNanos));
    WeakReference<Budget> self = new WeakReference<>(this);
    deadline = DEADLINES.schedule(() -> {
      Budget budget = self.get();
      if (budget != null) {
        budget.deadlinePassed();
      }
    }, left, TimeUnit.NANOSECONDS);
  }

  private synchronized void deadlinePassed() {
    expired = true;
    for (Hold hold : holds) {
      if (!hold.cancelled) {
        hold.cancelled = true;
        cancelled++;
        hold.thread.interrupt();
      }
    }
    notifyAll();
  }

  private boolean timeUp() {
    return expired || caps.seconds() != Long.MAX_VALUE && System.nanoTime() - startNanos >= deadlineNanos();
  }

  /** The wall-time cap in nanoseconds after the start. */
  private long deadlineNanos() {
    return caps.seconds() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : caps.seconds() * 1_000_000_000L;
  }

  /**
   * Whether a call could cost more than its reservation says: under a token or dollar cap, which also needs each
   * call's worst case counted before it is sent.
   */
  boolean capsSpend() {
    return caps.tokens() != Long.MAX_VALUE || !Double.isInfinite(caps.cost());
  }

  /**
   * Reserves one call's worst case.
   *
   * @throws BudgetExhaustedException when it could cross a cap
   */
  public synchronized Spend reserve(long worstInputTokens, long worstOutputTokens, double worstCost) {
    Spend call = new Spend(1, worstInputTokens, worstOutputTokens, worstCost);
    refuseIfOver(call);
    reserved = reserved.plus(call);
    inFlight++;
    return call;
  }

  /**
   * Reserves a call of {@code model} capped at {@code outputCap} output tokens: at the longest answer the model gave
   * when it has answered beyond a cap before. Under a token or dollar cap, waits while the model's first call runs.
   *
   * @throws BudgetExhaustedException when it could cross a cap
   */
  synchronized Hold hold(String model, long worstInputTokens, long outputCap, CostOf costOf) {
    Seen seen = models.computeIfAbsent(model, m -> new Seen());
    while (capsSpend() && seen.probing && !timeUp() && overrunText().isEmpty() && !holding()) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModelCallException(ModelCallException.Kind.OTHER,
            "interrupted while waiting for the first answer of " + model, 0, e);
      }
    }
    long output = Math.max(outputCap, seen.longest);
    Spend call = new Spend(1, worstInputTokens, output, costOf.cost(worstInputTokens, output));
    refuseIfOver(call);
    scheduleDeadline();
    Hold hold = new Hold(model, outputCap, costOf, call);
    seen.probing |= capsSpend() && !seen.answered;
    holds.add(hold);
    reserved = reserved.plus(call);
    inFlight++;
    return hold;
  }

  /**
   * Keeps {@code spend} of the caps for a measurement that must happen last (an optimization's held-out score of its
   * best prompt): until {@link #releaseSetAside()}, a call that would reach into it is refused as if the caps were
   * that much lower.
   *
   * @param purpose what it is kept for, for the refusal's message
   */
  public synchronized void setAside(Spend spend, String purpose) {
    setAside = spend;
    setAsideFor = purpose;
  }

  /** Makes what {@link #setAside} kept usable again: the measurement it was kept for comes now. */
  public synchronized void releaseSetAside() {
    setAside = Spend.NONE;
    setAsideFor = "";
  }

  /** Whether this thread has a call running already (a model metered twice by one budget must not wait for itself). */
  private boolean holding() {
    Thread current = Thread.currentThread();
    return holds.stream().anyMatch(hold -> hold.thread == current);
  }

  private void refuseIfOver(Spend call) {
    Optional<String> crossed = overrunText();
    if (crossed.isPresent()) {
      throw new BudgetExhaustedException(crossed.get());
    }
    if (timeUp()) {
      throw new BudgetExhaustedException("Budget reached: the wall-time cap of " + caps.seconds()
          + " s has passed; no call starts after it, and calls still running then are cancelled; spent so far: "
          + spent.describe());
    }
    Optional<String> exceeded = exceeded(spent.plus(reserved).plus(call).plus(setAside), call);
    if (exceeded.isPresent()) {
      String kept = setAside.calls() == 0 ? "" : " (" + setAside.describe() + " of it kept for " + setAsideFor + ")";
      throw new BudgetExhaustedException("Budget reached: one more call could exceed " + exceeded.get() + kept
          + "; spent so far: " + spent.describe()
          + (inFlight == 0 ? "" : "; reserved for " + calls(inFlight) + " still running"
              // without a token or dollar cap no call's tokens are counted beforehand
              + (capsSpend() ? ": " + Spend.compact(reserved.tokens()) + " tokens" : "")));
    }
  }

  private Optional<String> exceeded(Spend committed, Spend call) {
    if (committed.calls() > caps.calls()) {
      return Optional.of("the call cap of " + caps.calls() + " calls");
    }
    if (committed.tokens() > caps.tokens()) {
      return Optional.of("the token cap of " + caps.tokens() + " tokens (this call could use up to " + call.tokens()
          + ")");
    }
    if (committed.cost() > caps.cost() + 1e-12) {
      return Optional.of(String.format(Locale.ROOT, "the cost cap of $%.2f (this call could cost up to $%.4f)",
          caps.cost(), call.cost()));
    }
    return Optional.empty();
  }

  private static String calls(long n) {
    return n + (n == 1 ? " call" : " calls");
  }

  /**
   * Replaces a reservation by what the call actually cost. Reservations bound tokens by the bytes of the request,
   * which no tokenizer exceeds, and the output by the call's cap, which a provider may ignore: then the spend may cross
   * a cap ({@link #overrun()}).
   */
  public synchronized void settle(Spend reservation, Spend actual) {
    reserved = reserved.minus(reservation);
    inFlight--;
    spent = spent.plus(actual);
  }

  /** Replaces {@code hold} by what the call actually cost, and learns from it how long the model's answers are. */
  synchronized void settle(Hold hold, Spend actual) {
    finish(hold);
    spent = spent.plus(actual);
    Seen seen = models.get(hold.model);
    seen.answered = true;
    seen.probing = false;
    if (actual.outputTokens() > hold.outputCap && actual.outputTokens() > seen.longest) {
      seen.longest = actual.outputTokens();
      seen.askedFor = hold.outputCap;
      reserveRunningAt(hold.model, seen.longest);
    }
    notifyAll();
  }

  /** The calls of {@code model} still running, reserved as if they answered {@code output} tokens as well. */
  private void reserveRunningAt(String model, long output) {
    for (Hold running : holds) {
      if (running.model.equals(model) && running.spend.outputTokens() < output) {
        long input = running.spend.inputTokens();
        Spend raised = new Spend(1, input, output, running.costOf.cost(input, output));
        reserved = reserved.minus(running.spend).plus(raised);
        running.spend = raised;
      }
    }
  }

  /**
   * Releases {@code hold}, whose call failed before the provider answered; the call still counts.
   *
   * @return whether the call was cancelled at the wall-time cap
   */
  synchronized boolean release(Hold hold) {
    finish(hold);
    spent = spent.plus(new Spend(1, 0, 0, 0.0));
    Seen seen = models.get(hold.model);
    seen.probing = false;
    notifyAll();
    return hold.cancelled;
  }

  private void finish(Hold hold) {
    holds.remove(hold);
    reserved = reserved.minus(hold.spend);
    inFlight--;
    if (hold.cancelled) {
      // the deadline interrupted this thread; no interrupt can come after the hold is gone
      Thread.interrupted();
    }
  }

  /** Releases a reservation whose call failed before the provider answered; the call still counts. */
  public synchronized void release(Spend reservation) {
    reserved = reserved.minus(reservation);
    inFlight--;
    spent = spent.plus(new Spend(1, 0, 0, 0.0));
  }

  /** The refusal of a call the deadline cancelled. */
  BudgetExhaustedException cancelledAtDeadline(String model) {
    return new BudgetExhaustedException("Budget reached: the wall-time cap of " + caps.seconds()
        + " s passed while this call to " + model + " was running, so it was cancelled; no call starts after it");
  }

  /**
   * Whether the real spend crossed a cap, and how: the true total, the cap, by how much, and which model answered
   * beyond its calls' output cap. No call starts once it has.
   */
  public synchronized Optional<String> overrun() {
    return overrunText();
  }

  private Optional<String> overrunText() {
    boolean tokens = spent.tokens() > caps.tokens();
    if (!tokens && spent.cost() <= caps.cost() + 1e-12) {
      return Optional.empty();
    }
    String cap = tokens ? "the token cap of " + caps.tokens() + " by " + (spent.tokens() - caps.tokens()) + " tokens"
        : String.format(Locale.ROOT, "the cost cap of $%.2f by $%.4f", caps.cost(), spent.cost() - caps.cost());
    return Optional.of(String.format(Locale.ROOT,
        "Budget crossed: the real spend of %s, %d tokens (%d in, %d out), $%.4f is above %s although every call was"
            + " reserved within it: %s. No call starts once the spend is above a cap: the run stopped at once",
        calls(spent.calls()), spent.tokens(), spent.inputTokens(), spent.outputTokens(), spent.cost(), cap,
        overrunners()));
  }

  private String overrunners() {
    List<String> told = new ArrayList<>();
    models.forEach((model, seen) -> {
      if (seen.longest > 0) {
        told.add(model + " answered with up to " + seen.longest + " output tokens where " + seen.askedFor
            + " were asked for (a provider that ignores the output cap does this); its calls were reserved at "
            + seen.longest + " from then on");
      }
    });
    return told.isEmpty() ? "a provider reported more tokens than its calls were reserved"
        : String.join("; ", told.stream().sorted().toList());
  }

  /**
   * What was spent in all, exactly, and the calls cancelled at the wall-time cap: the closing figure of a run.
   */
  public synchronized String account() {
    return String.format(Locale.ROOT, "spent in all: %s, %d tokens (%d in, %d out), $%.4f (caps: %s)%s",
        calls(spent.calls()), spent.tokens(), spent.inputTokens(), spent.outputTokens(), spent.cost(),
        caps.describe(), cancelled == 0 ? "" : "; " + calls(cancelled) + " still running at the wall-time cap of "
            + caps.seconds() + " s " + (cancelled == 1 ? "was" : "were") + " cancelled");
  }
}
