package io.promptunit.optimize;

/** Told about each round as it ends (the engine turns rounds into dynamic tests and console lines). */
@FunctionalInterface
public interface RoundListener {
  void roundFinished(History.Round round, Progress state);

  /** @param bestText the best prompt so far */
  record Progress(String strategy, int rounds, String bestText) {}
}
