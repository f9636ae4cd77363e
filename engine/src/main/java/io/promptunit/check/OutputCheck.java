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
}
