package io.promptunit.check;

import io.promptunit.check.Conversation;
import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.Example;
import java.util.Optional;

/** One condition an output must meet. All checks of a suite must pass for an example to pass. */
@API(status = INTERNAL, since = "0.1")
public interface OutputCheck {

  /** Short name used in failure messages, e.g. {@code normalized equality}. */
  String name();

  /** Empty when {@code output} passes; otherwise why not. */
  Optional<CheckFailure> check(Example example, Conversation conversation, String output);

  /**
   * Chat-model calls one run of this check makes at most: 0 for a check computed in process, 1 for
   * an LLM judge. Budgets and estimates count them with the scoring call they follow; a new check
   * that asks a model says so here, and nothing outside this package needs to know its type.
   */
  default int modelCalls() {
    return 0;
  }
}
