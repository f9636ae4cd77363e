package io.promptunit.eval;

import io.promptunit.check.Conversation;
import io.promptunit.check.CheckFailure;
import io.promptunit.check.OutputCheck;
import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.Example;
import io.promptunit.model.BudgetExhaustedException;
import io.promptunit.model.ModelClient;
import io.promptunit.model.Reply;
import io.promptunit.suite.Suite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs a suite's prompt on one example (all its repeats) and applies the checks. Thread-safe. */
@API(status = INTERNAL, since = "0.1")
public final class Evaluator {

  private final Suite suite;
  private final List<OutputCheck> checks;
  private final ModelClient model;
  private final Optional<Integer> maxOutputTokens;

  public Evaluator(Suite suite, List<OutputCheck> checks, ModelClient model) {
    this(suite, checks, model, Optional.empty());
  }

  /** @param maxOutputTokens output cap of every scoring call (the optimizer sets one to bound its budget) */
  public Evaluator(Suite suite, List<OutputCheck> checks, ModelClient model, Optional<Integer> maxOutputTokens) {
    this.suite = suite;
    this.checks = List.copyOf(checks);
    this.model = model;
    this.maxOutputTokens = maxOutputTokens;
  }

  public Suite suite() {
    return suite;
  }

  public ExampleResult evaluate(Example example) {
    Conversation conversation = Conversation.render(suite, example);
    int repeats = suite.options().repeats();
    int required = suite.options().minPasses();
    List<Attempt> attempts = new ArrayList<>(repeats);
    int passed = 0;
    for (int run = 0; run < repeats; run++) {
      Attempt attempt = attempt(example, conversation, run);
      attempts.add(attempt);
      if (attempt.error().isPresent()) {
        break;
      }
      if (attempt.passed()) {
        passed++;
      }
      int remaining = repeats - run - 1;
      if (passed >= required || passed + remaining < required) {
        // The verdict cannot change any more; further runs would only cost money.
        break;
      }
    }
    return new ExampleResult(example, conversation, attempts, required);
  }

  private Attempt attempt(Example example, Conversation conversation, int run) {
    Reply reply;
    try {
      reply = model.chat(conversation.messages(), suite.options().temperature(), maxOutputTokens, run);
    } catch (BudgetExhaustedException e) {
      throw e;
    } catch (RuntimeException e) {
      // a model error, or anything else that kept us from an answer (a broken cassette write, a judge
      // that cannot be configured): an error of this example, counted as not passed
      return new Attempt(Optional.empty(), List.of(), Optional.of(e));
    }
    List<CheckFailure> failures = new ArrayList<>();
    try {
      for (OutputCheck check : checks) {
        check.check(example, conversation, reply.text()).ifPresent(failures::add);
      }
    } catch (BudgetExhaustedException e) {
      throw e;
    } catch (RuntimeException e) {
      return new Attempt(Optional.of(reply), failures, Optional.of(e));
    }
    return new Attempt(Optional.of(reply), failures, Optional.empty());
  }
}
