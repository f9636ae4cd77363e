package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.Optional;

/**
 * The optimizer model's answer to one question, or why there is none (a provider error after
 * retries, a content filter, an unrecorded request in replay mode): one failed call never ends a run.
 *
 * @param text the answer, when the call succeeded
 * @param failure why the call failed, otherwise
 * @param truncated whether the model stopped at the call's output cap (finish reason {@code LENGTH}): the answer is
 *     cut off, and a block it left open is lost
 * @param outputCap the call's output cap in tokens
 */
@API(status = INTERNAL, since = "0.1")
public record Answer(Optional<String> text, String failure, boolean truncated, int outputCap) {

  public Answer(Optional<String> text, String failure) {
    this(text, failure, false, 0);
  }

  static Answer of(String text) {
    return new Answer(Optional.of(text), "");
  }

  static Answer of(String text, boolean truncated, int outputCap) {
    return new Answer(Optional.of(text), "", truncated, outputCap);
  }

  static Answer failed(String reason) {
    return new Answer(Optional.empty(), reason);
  }

  /**
   * The rejection of an answer without a usable {@code <tag>...</tag>} block: a cut-off answer is told as cut
   * off at its output cap (the block was lost, not left out), any other as a format error.
   */
  public Yield missing(String tag, int round, String parent, String origin) {
    String reason = truncated
        ? "the optimizer's answer was cut off at its output cap of " + outputCap
            + " tokens (finish reason LENGTH) before a complete <" + tag + ">...</" + tag + "> block"
        : "the optimizer's answer has no <" + tag + ">...</" + tag + "> block";
    return Yield.rejected(round, parent, origin, reason, text.orElse(""));
  }

  /**
   * A note for the history when a cut-off answer still held {@code complete} usable blocks of the {@code asked}:
   * the rest were lost to the output cap. Empty for an answer that was not cut off.
   */
  public Optional<String> truncationNote(int round, String origin, int complete, int asked) {
    if (!truncated || complete >= asked) {
      return Optional.empty();
    }
    return Optional.of("Round " + round + ": an optimizer answer (" + origin + ") was cut off at its output cap of "
        + outputCap + " tokens (finish reason LENGTH); " + complete + " of the " + asked
        + " texts asked for were complete.");
  }

  public boolean failed() {
    return text.isEmpty();
  }

  /** A rejection of a failed call, for the history. */
  public Yield rejection(int round, String parent, String origin) {
    return Yield.rejected(round, parent, origin, "the optimizer call failed: " + failure, "");
  }
}
