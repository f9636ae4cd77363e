package io.promptunit.model;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/** A call was not made because it could exceed a budget cap. The run ends with the best result so far. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class BudgetExhaustedException extends RuntimeException {
  public BudgetExhaustedException(String message) {
    super(message, null, false, false);
  }
}
