package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import io.promptunit.model.Spend;

/**
 * Told about each round as it ends, and about long phases while they run (the engine turns both into console lines).
 */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.1")
public interface RoundListener {
  void roundFinished(History.Round round, Progress state);

  /** Called every few seconds while a phase runs (from another thread); by default ignored. */
  default void progress(Status status) {}

  /** @param bestText the best prompt so far */
  record Progress(String strategy, int rounds, String bestText) {}

  /**
   * Where a running optimization is.
   *
   * @param round the current round (0 before the first, {@code rounds + 1} for the final measurements)
   * @param phase what runs now
   * @param calls model calls made in this phase so far
   * @param planned calls this phase may make at most
   * @param spent spend of the whole run so far
   * @param seconds wall time of the run so far
   */
  record Status(String strategy, int round, int rounds, String phase, long calls, long planned,
      Spend spent, long seconds) {

    /** {@code protegi round 2/6: best-arm selection, 120/468 calls; spent 340 calls, 52.1k tokens, $0.0123; 42 s} */
    public String describe() {
      String where = round == 0 ? "start" : round > rounds ? "final measurements" : "round " + round + "/" + rounds;
      return strategy + " " + where + ": " + phase + ", " + calls + "/" + planned + " calls; spent " + spent.describe()
          + "; " + seconds + " s";
    }
  }
}
