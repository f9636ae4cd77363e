package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Requests per minute and tokens per minute for one model, over a sliding window: a caller waits
 * until one more request (with its estimated tokens) fits in the last window. Fair enough for a
 * test run: waiting callers are served as capacity frees up.
 */
@API(status = INTERNAL, since = "0.1")
public final class RateLimiter {

  /** @param at when the request was let through (nanos) @param tokens its estimated tokens */
  private record Grant(long at, long tokens) {}

  private final int requestsPerWindow;
  private final long tokensPerWindow;
  private final long windowNanos;
  private final LongSupplier clock;
  private final Deque<Grant> grants = new ArrayDeque<>();
  private long tokensInWindow;

  /**
   * @param requestsPerWindow 0 for no request limit
   * @param tokensPerWindow 0 for no token limit
   */
  public RateLimiter(int requestsPerWindow, long tokensPerWindow, Duration window, LongSupplier clock) {
    this.requestsPerWindow = requestsPerWindow;
    this.tokensPerWindow = tokensPerWindow;
    this.windowNanos = window.toNanos();
    this.clock = clock;
  }

  public static RateLimiter perMinute(int requests, long tokens) {
    return new RateLimiter(requests, tokens, Duration.ofMinutes(1), System::nanoTime);
  }

  public boolean limits() {
    return requestsPerWindow > 0 || tokensPerWindow > 0;
  }

  /** Whether requests' tokens count (a tokens-per-minute limit): else {@link #acquire} ignores them. */
  public boolean limitsTokens() {
    return tokensPerWindow > 0;
  }

  /** Waits until a request of about {@code tokens} tokens may be sent; returns how long it waited. */
  public synchronized Duration acquire(long tokens) throws InterruptedException {
    if (!limits()) {
      return Duration.ZERO;
    }
    long start = clock.getAsLong();
    while (true) {
      long now = clock.getAsLong();
      while (!grants.isEmpty() && now - grants.peekFirst().at() >= windowNanos) {
        tokensInWindow -= grants.removeFirst().tokens();
      }
      boolean requestsOk = requestsPerWindow <= 0 || grants.size() < requestsPerWindow;
      // a single request larger than the whole token budget still goes through, alone in its window
      boolean tokensOk = tokensPerWindow <= 0 || grants.isEmpty() || tokensInWindow + tokens <= tokensPerWindow;
      if (requestsOk && tokensOk) {
        grants.addLast(new Grant(now, tokens));
        tokensInWindow += tokens;
        return Duration.ofNanos(now - start);
      }
      long waitNanos = Math.max(1_000_000, grants.peekFirst().at() + windowNanos - now);
      wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    }
  }
}
