package io.promptunit.check;

/** A check could not decide (it threw something other than an assertion error): reported as an error. */
final class CheckError extends RuntimeException {
  public CheckError(String message, Throwable cause) {
    super(message, cause);
  }
}
