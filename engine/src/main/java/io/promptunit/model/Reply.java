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
 */
@API(status = INTERNAL, since = "0.1")
public record Reply(String text, long inputTokens, long outputTokens, long latencyMillis,
    int attempts, boolean cached) {

  public Reply(String text, long inputTokens, long outputTokens, long latencyMillis, int attempts) {
    this(text, inputTokens, outputTokens, latencyMillis, attempts, false);
  }
}
