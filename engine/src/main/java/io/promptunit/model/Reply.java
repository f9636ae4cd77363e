package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
/**
 * A model's answer with what it cost.
 *
 * @param text the answer text (empty, never null, when the model said nothing)
 * @param inputTokens input tokens the provider reported (0 when it reports none); for an answer from the cassette,
 *     those recorded with it (what the answer costs, though nothing was spent now)
 * @param outputTokens output tokens the provider reported (0 when it reports none); recorded ones likewise
 * @param latencyMillis wall time of the successful attempt
 * @param attempts calls made, including retries (0 when the answer came from the cassette)
 * @param cached whether the answer came from the cassette (then nothing was spent, whatever its tokens)
 * @param truncated whether the model stopped at the call's output cap (finish reason {@code LENGTH}): the answer is
 *     cut off, not finished
 */
@API(status = INTERNAL, since = "0.1")
public record Reply(String text, long inputTokens, long outputTokens, long latencyMillis,
    int attempts, boolean cached, boolean truncated) {

  public Reply(String text, long inputTokens, long outputTokens, long latencyMillis, int attempts) {
    this(text, inputTokens, outputTokens, latencyMillis, attempts, false, false);
  }

  public Reply(String text, long inputTokens, long outputTokens, long latencyMillis, int attempts, boolean cached) {
    this(text, inputTokens, outputTokens, latencyMillis, attempts, cached, false);
  }

  /** An answer replayed from the cassette: its recorded tokens (what it costs), though nothing is spent now. */
  static Reply replayed(Cassette.Entry entry, String text) {
    return new Reply(text, entry.inputTokens(), entry.outputTokens(), 0, 0, true, entry.truncated());
  }
}
