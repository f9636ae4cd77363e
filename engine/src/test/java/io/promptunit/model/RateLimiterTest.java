package io.promptunit.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  /** A real clock that remembers, per thread, the last time it was read: after acquire, that is the grant's time. */
  private static final class RecordingClock {
    final ThreadLocal<Long> last = new ThreadLocal<>();

    long read() {
      long now = System.nanoTime();
      last.set(now);
      return now;
    }
  }

  @Test
  void underConcurrencyNoWindowEverHoldsMoreRequestsThanTheLimit() throws Exception {
    RecordingClock clock = new RecordingClock();
    Duration window = Duration.ofMillis(100);
    RateLimiter limiter = new RateLimiter(4, 0, window, clock::read);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Long> grants = Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(pool.submit(() -> {
        limiter.acquire(1);
        grants.add(clock.last.get());
        return null;
      }));
    }
    for (Future<?> call : calls) {
      call.get();
    }
    pool.shutdown();

    List<Long> sorted = new ArrayList<>(grants);
    Collections.sort(sorted);
    assertThat(sorted).hasSize(20);
    for (int i = 0; i + 4 < sorted.size(); i++) {
      // any 5 consecutive grants span at least one full window
      assertThat(sorted.get(i + 4) - sorted.get(i)).isGreaterThanOrEqualTo(window.toNanos());
    }
  }

  @Test
  void theTokenBudgetHoldsTooButALoneOversizedRequestStillGoes() throws InterruptedException {
    RecordingClock clock = new RecordingClock();
    RateLimiter limiter = new RateLimiter(0, 100, Duration.ofMillis(50), clock::read);

    limiter.acquire(60);
    long first = clock.last.get();
    limiter.acquire(60);
    long second = clock.last.get();
    limiter.acquire(500);

    assertThat(second - first).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
  }

  @Test
  void withoutLimitsNobodyWaits() throws InterruptedException {
    RateLimiter limiter = RateLimiter.perMinute(0, 0);

    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.acquire(1_000_000)).isEqualTo(Duration.ZERO);
    }
  }
}
