package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import io.promptunit.eval.ExampleResult;
import io.promptunit.model.Spend;
import java.util.List;
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
 * @param usage what the task model's answers took with the original and with the best prompt, on the same examples
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record OptimizationResult(Candidate original, Candidate best, boolean passedHeldOut,
    Stop stop, String stopDetail,
    History history, Splits splits, Spend spend, long seconds, String strategy, Optional<String> budgetCrossed,
    Usage usage) {

  public enum Stop { PASSED, ROUNDS, PATIENCE, BUDGET }

  /**
   * What the task model's answers took with the original and with the best prompt, measured on the same examples:
   * every example both prompts were scored on and got an answer for. Each answer of an example counts (every run of
   * {@code @PromptTest(repeats)} that was made), answers replayed from the cassette with the tokens recorded with
   * them; the calls of checks that ask a model (a judge) are not counted.
   *
   * @param examples how many examples both prompts answered
   */
  public record Usage(int examples, Answers original, Answers best) {

    /** Nothing measured. */
    public static final Usage NONE = new Usage(0, Answers.NONE, Answers.NONE);
  }

  /**
   * A prompt's answers on some examples.
   *
   * @param count how many answers (an example run several times has several)
   */
  public record Answers(long count, long inputTokens, long outputTokens) {

    static final Answers NONE = new Answers(0, 0, 0);

    /** The answers of {@code results}. */
    static Answers of(List<ExampleResult> results) {
      return new Answers(results.stream().mapToLong(r -> r.attempts().stream().filter(a -> a.reply().isPresent())
          .count()).sum(), results.stream().mapToLong(ExampleResult::inputTokens).sum(),
          results.stream().mapToLong(ExampleResult::outputTokens).sum());
    }
  }

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
