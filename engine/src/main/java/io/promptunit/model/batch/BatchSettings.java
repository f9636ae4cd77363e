package io.promptunit.model.batch;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.promptunit.config.Keys;
import io.promptunit.config.Configuration;
import java.time.Duration;
import org.apiguardian.api.API;

/**
 * How batch mode waits and splits.
 *
 * @param maxWait how long a run waits for its batches ({@code promptunit.batch.max-wait-seconds}); zero: look once, do
 *     not wait
 * @param firstPoll the first pause between status checks ({@code promptunit.batch.poll-millis}); it doubles up to a
 *     minute
 * @param maxRequests requests per batch at most ({@code promptunit.batch.max-requests}); more make several batches
 * @param progressEvery a progress line at least this often while nothing changes ({@code promptunit.progress-seconds});
 *     zero: only on changes
 */
@API(status = INTERNAL, since = "0.1")
public record BatchSettings(Duration maxWait, Duration firstPoll, int maxRequests, Duration progressEvery) {

  public BatchSettings {
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException(Keys.BATCH_MAX_WAIT_SECONDS + " must be 0 or more, got "
          + maxWait.toSeconds());
    }
    if (firstPoll.toMillis() < 1) {
      throw new IllegalArgumentException(Keys.BATCH_POLL_MILLIS + " must be at least 1, got " + firstPoll.toMillis());
    }
    if (maxRequests < 1) {
      throw new IllegalArgumentException(Keys.BATCH_MAX_REQUESTS + " must be at least 1, got " + maxRequests);
    }
  }

  public static BatchSettings from(Configuration settings) {
    return new BatchSettings(settings.batchMaxWait(), settings.batchPoll(), settings.batchMaxRequests(),
        Duration.ofSeconds(Math.max(0, settings.progressSeconds())));
  }
}
