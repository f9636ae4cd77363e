package io.promptunit.optimize;

import io.promptunit.Example;
import io.promptunit.check.OutputCheck;
import io.promptunit.eval.ExampleResult;
import io.promptunit.eval.ScoringSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Scores candidate prompts on examples through the suite's session: concurrently on the session's
 * workers, and never twice — the session remembers every (prompt text, example) result of the run,
 * including the suite run's results for the checked-in prompt.
 */
final class Scorer {

  private final ScoringSession session;

  Scorer(ScoringSession session) {
    this.session = session;
  }

  /** Calls scoring one example can make: per repeat, the task call and the model calls the session's checks declare. */
  long callsPerExample() {
    int checkCalls = session.checks().stream().mapToInt(OutputCheck::modelCalls).sum();
    return (long) session.suite().options().repeats() * (1 + checkCalls);
  }

  /** The results of {@code candidate} on {@code examples}, in order, as they arrive. */
  CompletableFuture<List<ExampleResult>> evaluateAsync(Candidate candidate, List<Example> examples) {
    List<CompletableFuture<ExampleResult>> futures = new ArrayList<>(examples.size());
    for (Example example : examples) {
      futures.add(session.evaluate(candidate.text(), example));
    }
    return Async.all(futures);
  }

  /** The results of {@code candidate} on {@code examples}, in order. */
  List<ExampleResult> evaluate(Candidate candidate, List<Example> examples) {
    return Async.join(evaluateAsync(candidate, examples));
  }

  /** Every candidate on {@code examples}, all in one concurrent batch; results in candidate order. */
  List<List<ExampleResult>> evaluateAll(List<Candidate> candidates, List<Example> examples) {
    List<CompletableFuture<List<ExampleResult>>> futures = new ArrayList<>();
    for (Candidate candidate : candidates) {
      futures.add(evaluateAsync(candidate, examples));
    }
    return Async.join(Async.all(futures));
  }

  /** The fraction of {@code examples} on which {@code candidate} passes (1.0 for none). */
  double score(Candidate candidate, List<Example> examples) {
    return examples.isEmpty() ? 1.0 : fraction(evaluate(candidate, examples));
  }

  /** Score over the examples of {@code pool} already evaluated for {@code candidate}; empty if none. */
  Optional<Double> knownScore(Candidate candidate, List<Example> pool) {
    int seen = 0;
    int passed = 0;
    for (Example example : pool) {
      Optional<ExampleResult> result = session.known(candidate.text(), example);
      if (result.isPresent()) {
        seen++;
        passed += result.get().status() == ExampleResult.Status.PASSED ? 1 : 0;
      }
    }
    return seen == 0 ? Optional.empty() : Optional.of(passed / (double) seen);
  }

  /** Whether {@code candidate} is known to pass {@code example}: false when not evaluated yet or an error. */
  boolean knownPassed(Candidate candidate, Example example) {
    return session.known(candidate.text(), example).map(r -> r.status() == ExampleResult.Status.PASSED)
        .orElse(false);
  }

  /** The score over all of {@code examples} when every one is already known. */
  Optional<Double> fullyKnownScore(Candidate candidate, List<Example> examples) {
    for (Example example : examples) {
      if (session.known(candidate.text(), example).isEmpty()) {
        return Optional.empty();
      }
    }
    return examples.isEmpty() ? Optional.empty() : knownScore(candidate, examples);
  }

  /**
   * What {@code original}'s and {@code best}'s answers took on the examples of {@code examples} both were scored on
   * and answered.
   */
  OptimizationResult.Usage usage(Candidate original, Candidate best, List<Example> examples) {
    List<ExampleResult> before = new ArrayList<>();
    List<ExampleResult> after = new ArrayList<>();
    for (Example example : examples) {
      Optional<ExampleResult> was = session.known(original.text(), example);
      Optional<ExampleResult> is = session.known(best.text(), example);
      if (was.isPresent() && is.isPresent() && answered(was.get()) && answered(is.get())) {
        before.add(was.get());
        after.add(is.get());
      }
    }
    return new OptimizationResult.Usage(before.size(), OptimizationResult.Answers.of(before),
        OptimizationResult.Answers.of(after));
  }

  private static boolean answered(ExampleResult result) {
    return result.status() != ExampleResult.Status.ERROR;
  }

  static double fraction(List<ExampleResult> results) {
    return results.isEmpty() ? 1.0 : passed(results) / (double) results.size();
  }

  static long passed(List<ExampleResult> results) {
    return results.stream().filter(r -> r.status() == ExampleResult.Status.PASSED).count();
  }
}
