package io.promptunit.eval;

import io.promptunit.check.Conversation;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import io.promptunit.Example;
import io.promptunit.model.Reply;
import java.util.List;
import java.util.Optional;

/**
 * How one example fared over all its runs.
 *
 * @param example the example
 * @param conversation what the model was shown
 * @param attempts every run, in order
 * @param requiredPasses how many runs had to pass
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ExampleResult(Example example, Conversation conversation, List<Attempt> attempts, int requiredPasses) {

  /** PASSED: enough runs passed. FAILED: an answer failed checks. ERROR: no answer could be had (or a check broke). */
  public enum Status { PASSED, FAILED, ERROR }

  public ExampleResult {
    attempts = List.copyOf(attempts);
  }

  public long passedRuns() {
    return attempts.stream().filter(Attempt::passed).count();
  }

  public Status status() {
    if (passedRuns() >= requiredPasses) {
      return Status.PASSED;
    }
    return firstError().isPresent() ? Status.ERROR : Status.FAILED;
  }

  public Optional<RuntimeException> firstError() {
    return attempts.stream().flatMap(a -> a.error().stream()).findFirst();
  }

  /** The first run that answered but failed its checks. */
  public Optional<Attempt> firstFailedAttempt() {
    return attempts.stream().filter(a -> a.error().isEmpty() && !a.failures().isEmpty()).findFirst();
  }

  public long inputTokens() {
    return attempts.stream().flatMap(a -> a.reply().stream()).mapToLong(Reply::inputTokens).sum();
  }

  public long outputTokens() {
    return attempts.stream().flatMap(a -> a.reply().stream()).mapToLong(Reply::outputTokens).sum();
  }

  public long latencyMillis() {
    return attempts.stream().flatMap(a -> a.reply().stream()).mapToLong(Reply::latencyMillis).sum();
  }

  /** Every answer came from the cassette: no call was made, so there is no latency to speak of. */
  public boolean cached() {
    List<Reply> replies = attempts.stream().flatMap(a -> a.reply().stream()).toList();
    return !replies.isEmpty() && replies.stream().allMatch(Reply::cached);
  }

  public long modelCalls() {
    return attempts.stream().flatMap(a -> a.reply().stream()).mapToLong(Reply::attempts).sum();
  }
}
