package io.promptunit.model.batch;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.promptunit.config.Keys;
import io.promptunit.config.Settings;
import java.time.Duration;
import org.apiguardian.api.API;

/**
 * How batch mode waits and splits.
 *
 * @param maxWait how long a run waits for its batches ({@code promptunit.batch.max-wait-seconds}); zero: look once, do not wait
 * @param firstPoll the first pause between status checks ({@code promptunit.batch.poll-millis}); it doubles up to a minute
 * @param maxRequests requests per batch at most ({@code promptunit.batch.max-requests}); more make several batches
 * @param progressEvery a progress line at least this often while nothing changes ({@code promptunit.progress-seconds}); zero: only on changes
 */
@API(status = INTERNAL, since = "0.1")
public record BatchSettings(Duration maxWait, Duration firstPoll, int maxRequests, Duration progressEvery) {

  public BatchSettings {
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException(Keys.BATCH_MAX_WAIT_SECONDS + " must be 0 or more, got " + maxWait.toSeconds());
    }
    if (firstPoll.toMillis() < 1) {
      throw new IllegalArgumentException(Keys.BATCH_POLL_MILLIS + " must be at least 1, got " + firstPoll.toMillis());
    }
    if (maxRequests < 1) {
      throw new IllegalArgumentException(Keys.BATCH_MAX_REQUESTS + " must be at least 1, got " + maxRequests);
    }
  }

  public static BatchSettings from(Settings settings) {
    return new BatchSettings(Duration.ofSeconds(settings.getLong(Keys.BATCH_MAX_WAIT_SECONDS, Keys.DEFAULT_BATCH_MAX_WAIT_SECONDS)),
        Duration.ofMillis(settings.getLong(Keys.BATCH_POLL_MILLIS, Keys.DEFAULT_BATCH_POLL_MILLIS)),
        settings.getInt(Keys.BATCH_MAX_REQUESTS, Keys.DEFAULT_BATCH_MAX_REQUESTS),
        Duration.ofSeconds(Math.max(0, settings.getInt(Keys.PROGRESS_SECONDS, Keys.DEFAULT_PROGRESS_SECONDS))));
  }
}
