package io.promptunit.optimize;

import io.promptunit.Example;
import io.promptunit.eval.Check;
import io.promptunit.eval.Evaluator;
import io.promptunit.eval.ExampleResult;
import io.promptunit.model.BudgetExhaustedException;
import io.promptunit.model.ModelClient;
import io.promptunit.suite.Suite;
import io.promptunit.suite.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scores candidate prompts on examples with the task model, concurrently, and never twice: every
 * (prompt text, example) result is remembered for the whole run.
 */
public final class Scorer implements AutoCloseable {

  private final Suite suite;
  private final List<Check> checks;
  private final ModelClient taskModel;
  private final Optional<Integer> maxOutputTokens;
  private final ExecutorService workers;
  private final Map<String, Evaluator> evaluators = new ConcurrentHashMap<>();
  private final Map<String, ExampleResult> results = new ConcurrentHashMap<>();

  public Scorer(Suite suite, List<Check> checks, ModelClient taskModel, int concurrency, Optional<Integer> maxOutputTokens) {
    this.suite = suite;
    this.checks = List.copyOf(checks);
    this.taskModel = taskModel;
    this.maxOutputTokens = maxOutputTokens;
    this.workers = Executors.newFixedThreadPool(Math.max(1, concurrency), runnable -> {
      Thread thread = new Thread(runnable, "promptunit-optimizer-scoring");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The results of {@code candidate} on {@code examples}, in order. */
  public List<ExampleResult> evaluate(Candidate candidate, List<Example> examples) {
    Map<Example, Future<ExampleResult>> pending = new LinkedHashMap<>();
    Map<Example, ExampleResult> done = new HashMap<>();
    for (Example example : examples) {
      ExampleResult known = results.get(key(candidate, example));
      if (known != null) {
        done.put(example, known);
      } else if (!pending.containsKey(example)) {
        pending.put(example, workers.submit(() -> evaluateOnce(candidate, example)));
      }
    }
    BudgetExhaustedException exhausted = null;
    RuntimeException failure = null;
    for (Map.Entry<Example, Future<ExampleResult>> entry : pending.entrySet()) {
      try {
        done.put(entry.getKey(), entry.getValue().get());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof BudgetExhaustedException budget) {
          exhausted = budget;
        } else if (e.getCause() instanceof RuntimeException runtime) {
          failure = runtime;
        } else {
          failure = new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while scoring", e);
      }
    }
    // Finished results are remembered before we give up, so no paid call is wasted.
    if (exhausted != null) {
      throw exhausted;
    }
    if (failure != null) {
      throw failure;
    }
    List<ExampleResult> ordered = new ArrayList<>(examples.size());
    for (Example example : examples) {
      ordered.add(done.get(example));
    }
    return ordered;
  }

  public ExampleResult evaluate(Candidate candidate, Example example) {
    return evaluate(candidate, List.of(example)).get(0);
  }

  /** The fraction of {@code examples} on which {@code candidate} passes (1.0 for none). */
  public double score(Candidate candidate, List<Example> examples) {
    if (examples.isEmpty()) {
      return 1.0;
    }
    return passed(evaluate(candidate, examples)) / (double) examples.size();
  }

  /** Score over the examples of {@code pool} already evaluated for {@code candidate}; empty if none. */
  public Optional<Double> knownScore(Candidate candidate, List<Example> pool) {
    int seen = 0;
    int passed = 0;
    for (Example example : pool) {
      ExampleResult result = results.get(key(candidate, example));
      if (result != null) {
        seen++;
        passed += result.status() == ExampleResult.Status.PASSED ? 1 : 0;
      }
    }
    return seen == 0 ? Optional.empty() : Optional.of(passed / (double) seen);
  }

  static long passed(List<ExampleResult> results) {
    return results.stream().filter(r -> r.status() == ExampleResult.Status.PASSED).count();
  }

  private ExampleResult evaluateOnce(Candidate candidate, Example example) {
    Evaluator evaluator = evaluators.computeIfAbsent(candidate.text(),
        text -> new Evaluator(suite.withPrompt(new Template(suite.prompt().path(), text)), checks, taskModel, maxOutputTokens));
    ExampleResult result = evaluator.evaluate(example);
    results.put(key(candidate, example), result);
    return result;
  }

  private static String key(Candidate candidate, Example example) {
    return candidate.text() + '\u0000' + example.id();
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
