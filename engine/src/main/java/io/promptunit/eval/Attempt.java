package io.promptunit.eval;

import io.promptunit.check.CheckFailure;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import io.promptunit.model.Reply;
import java.util.List;
import java.util.Optional;

/**
 * One run of an example: the model's reply and what the checks said, or the error that prevented an answer.
 *
 * @param reply the model's reply, empty when the call failed
 * @param failures failed checks (empty when the run passed)
 * @param error the error that stopped this run (model call or broken check), if any
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Attempt(Optional<Reply> reply, List<CheckFailure> failures, Optional<RuntimeException> error) {

  /** The words {@link #cutOff} starts with. */
  public static final String CUT_OFF = "the answer was cut off at its output cap";

  public Attempt {
    failures = List.copyOf(failures);
  }

  public boolean passed() {
    return error.isEmpty() && failures.isEmpty();
  }

  public String output() {
    return reply.map(Reply::text).orElse("");
  }

  /**
   * What to say of a failed run whose answer the model cut off at the request's output cap (finish reason
   * {@code LENGTH}), so that it is not read as a wrong answer alone; empty when the answer was complete.
   */
  public Optional<String> cutOff() {
    return reply.filter(Reply::truncated).map(r -> CUT_OFF + " (finish reason LENGTH): "
        + "raise promptunit.max-output-tokens (or @Optimize(maxOutputTokens)) if the expected answer needs more");
  }
}
