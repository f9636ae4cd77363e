package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import io.promptunit.model.Spend;
import java.util.Optional;

/**
 * How an optimization run ended.
 *
 * @param original the checked-in prompt
 * @param best the best prompt found (by selection score), possibly the original
 * @param passedHeldOut whether {@code best} passes the suite on the held-out split
 * @param stop why the run stopped
 * @param stopDetail a sentence about the stop (e.g. which cap was reached)
 * @param history everything that happened
 * @param spend total spend, every call of the run settled
 * @param seconds wall time
 * @param strategy the strategy's name
 * @param budgetCrossed how the real spend crossed a cap, with the true total, when a provider returned more than its
 *     calls were reserved ({@link io.promptunit.model.Budget#overrun()}); empty when every cap held
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record OptimizationResult(Candidate original, Candidate best, boolean passedHeldOut,
    Stop stop, String stopDetail,
    History history, Splits splits, Spend spend, long seconds, String strategy, Optional<String> budgetCrossed) {

  public enum Stop { PASSED, ROUNDS, PATIENCE, BUDGET }

  public History.Scores bestScores() {
    return history.scores().get(best.id());
  }

  public History.Scores originalScores() {
    return history.scores().get(original.id());
  }

  /** Train score minus held-out score of the best prompt: large gaps mean overfitting. */
  public Optional<Double> gap() {
    History.Scores scores = bestScores();
    return scores.train() == null || scores.heldOut() == null ? Optional.empty()
        : Optional.of(scores.train() - scores.heldOut());
  }

  /**
   * How the scores moved from the checked-in prompt to the best:
   * {@code train 50% → 100%, dev 67% → 100%, held-out 54% → 100%}.
   */
  public String movement() {
    History.Scores from = originalScores();
    History.Scores to = bestScores();
    return "train " + arrow(from.train(), to.train()) + ", " + splits.selectionName() + " "
        + arrow(from.selection(), to.selection())
        + ", held-out " + arrow(from.heldOut(), to.heldOut());
  }

  static String arrow(Double from, Double to) {
    return percent(from) + " → " + percent(to);
  }

  static String percent(Double value) {
    return value == null ? "—" : String.format(java.util.Locale.ROOT, "%.0f%%", value * 100);
  }

  public boolean improved() {
    return !best.id().equals(original.id());
  }
}
