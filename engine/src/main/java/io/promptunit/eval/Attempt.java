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

  public Attempt {
    failures = List.copyOf(failures);
  }

  public boolean passed() {
    return error.isEmpty() && failures.isEmpty();
  }

  public String output() {
    return reply.map(Reply::text).orElse("");
  }
}
