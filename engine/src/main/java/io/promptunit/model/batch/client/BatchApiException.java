package io.promptunit.model.batch.client;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.io.IOException;

/** A provider's batch API refused a call (its HTTP status and message, redacted). */
@API(status = INTERNAL, since = "0.1")
public final class BatchApiException extends IOException {

  private final int status;

  public BatchApiException(String message, int status) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** Worth asking again later: the provider is busy or briefly broken. */
  public boolean transientFailure() {
    return status == 429 || status == 408 || status >= 500;
  }
}
