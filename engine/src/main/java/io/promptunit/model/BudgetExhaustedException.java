package io.promptunit.model;

/** A call was not made because it could exceed a budget cap. The run ends with the best result so far. */
public final class BudgetExhaustedException extends RuntimeException {
  public BudgetExhaustedException(String message) {
    super(message, null, false, false);
  }
}
