package io.promptunit.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
/** A check could not decide (it threw something other than an assertion error): reported as an error. */
@API(status = INTERNAL, since = "0.1")
public final class CheckError extends RuntimeException {
  public CheckError(String message, Throwable cause) {
    super(message, cause);
  }
}
