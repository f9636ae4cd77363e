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
 */
@API(status = INTERNAL, since = "0.1")
public record Answer(Optional<String> text, String failure) {

  static Answer of(String text) {
    return new Answer(Optional.of(text), "");
  }

  static Answer failed(String reason) {
    return new Answer(Optional.empty(), reason);
  }

  public boolean failed() {
    return text.isEmpty();
  }

  /** A rejection of a failed call, for the history. */
  public Yield rejection(int round, String parent, String origin) {
    return Yield.rejected(round, parent, origin, "the optimizer call failed: " + failure, "");
  }
}
