package io.promptunit.model;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.util.Optional;

/** An HTTP error that keeps the server's {@code Retry-After}, so that retries wait as long as the provider asked. */
final class RetryAfterHttpException extends HttpException {

  private final Duration retryAfter;

  public RetryAfterHttpException(int statusCode, String body, Duration retryAfter) {
    super(statusCode, body);
    this.retryAfter = retryAfter;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
