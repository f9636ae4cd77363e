package io.promptunit.eval;

/** A check could not decide (it threw something other than an assertion error): reported as an error. */
public final class CheckError extends RuntimeException {
  public CheckError(String message, Throwable cause) {
    super(message, cause);
  }
}
