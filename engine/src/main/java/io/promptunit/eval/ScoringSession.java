package io.promptunit.eval;

import io.promptunit.check.JudgeModels;
import io.promptunit.check.Checks;
import io.promptunit.check.OutputCheck;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import io.promptunit.Example;
import io.promptunit.model.BoundedChatModel;
import io.promptunit.model.Budget;
import io.promptunit.model.Cassette;
import io.promptunit.model.DaemonThreads;
import io.promptunit.model.MeteredChatModel;
import io.promptunit.model.ModelClient;
import io.promptunit.model.PriceTable;
import io.promptunit.model.SpendMeter;
import io.promptunit.suite.Suite;
import io.promptunit.suite.Template;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;

/**
 * One suite's evaluation machinery, shared by everything that scores the suite's prompts — the
 * JUnit engine, every optimization strategy, plain-Java callers: the task and judge models
 * (metered into one {@link SpendMeter}, answering through the suite's cassette), the checks (built
 * once), the scoring concurrency, and a memory of results.
 *
 * <p>Every scoring request has one shape — the suite's temperature, repeats and output cap — so the
 * suite run and the optimizer share cassette entries; and a session that remembers results answers
 * a (prompt, example) pair it has already evaluated, or is evaluating, without a second call.
 *
 * <pre>{@code
 * try (ScoringSession session = ScoringSession.builder(suite, task).concurrency(8).build()) {
 *   ExampleResult result = session.evaluate(suite.prompt().text(), suite.examples().get(0)).join();
 * }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ScoringSession implements AutoCloseable {

  private final Suite suite;
  private final ModelClient task;
  private final JudgeModels judges;
  private final List<OutputCheck> checks;
  private final int concurrency;
  private final SpendMeter spend;
  private final PriceTable prices;
  private final Optional<Cassette> cassette;
  private final Optional<Integer> outputCap;
  private final ExecutorService workers;
  private final Map<String, Evaluator> evaluators = new ConcurrentHashMap<>();
  /** Results by (prompt text, example id); shared with every budgeted view of the session. Null: not remembered. */
  private final Map<String, CompletableFuture<ExampleResult>> results;
  private final boolean owner;
  /** Evaluations submitted and not finished: failed on {@link #close} rather than left waiting forever. */
  private final java.util.Set<CompletableFuture<ExampleResult>> pending;

  /** The session {@code built} describes, calling the metered {@code task} and {@code judges}; it owns its workers. */
  private ScoringSession(Builder built, SpendMeter spend, ModelClient task, JudgeModels judges) {
    this.suite = built.suite;
    this.task = task;
    this.judges = judges;
    this.checks = Checks.of(suite, judges);
    this.concurrency = built.concurrency;
    this.spend = spend;
    this.prices = built.prices;
    this.cassette = built.cassette;
    this.outputCap = built.outputCap;
    String simpleName = suite.name().substring(suite.name().lastIndexOf('.') + 1);
    this.workers = Executors.newFixedThreadPool(concurrency * 2, DaemonThreads.named("promptunit-" + simpleName + "-"));
    this.results = built.remember ? new ConcurrentHashMap<>() : null;
    this.owner = true;
    this.pending = ConcurrentHashMap.newKeySet();
  }

  /** A view of {@code session} calling other models with another output cap; it shares the workers and results. */
  private ScoringSession(ScoringSession session, ModelClient task, JudgeModels judges, Optional<Integer> outputCap,
      Map<String, CompletableFuture<ExampleResult>> results) {
    this.suite = session.suite;
    this.task = task;
    this.judges = judges;
    this.checks = Checks.of(suite, judges);
    this.concurrency = session.concurrency;
    this.spend = session.spend;
    this.prices = session.prices;
    this.cassette = session.cassette;
    this.outputCap = outputCap;
    this.workers = session.workers;
    this.results = results;
    this.owner = false;
    this.pending = session.pending;
  }

  /** @param task the suite's task model, unmetered: the session meters it and routes it through its cassette */
  public static Builder builder(Suite suite, ModelClient task) {
    return new Builder(suite, task);
  }

  public Suite suite() {
    return suite;
  }

  /** The task model: metered, through the cassette. */
  public ModelClient taskModel() {
    return task;
  }

  public JudgeModels judges() {
    return judges;
  }

  public List<OutputCheck> checks() {
    return checks;
  }

  /** At most this many examples are evaluated at once. */
  public int concurrency() {
    return concurrency;
  }

  /** What the session's calls cost so far (task, judge and every client handed out by {@link #client}). */
  public SpendMeter spend() {
    return spend;
  }

  /** The prices that turn tokens into dollars. */
  public PriceTable prices() {
    return prices;
  }

  public Optional<Cassette> cassette() {
    return cassette;
  }

  /** The output cap of every scoring request, if the suite sets one. */
  public Optional<Integer> outputCap() {
    return outputCap;
  }

  /** {@code raw} metered into this session's spend and answering through its cassette (e.g. an optimizer model). */
  public ModelClient client(ModelClient raw) {
    return Builder.through(spend.meter(raw), cassette);
  }

  /** The evaluator of {@code promptText}: the suite with that prompt, the session's checks, model and request shape. */
  private Evaluator evaluator(String promptText) {
    return evaluators.computeIfAbsent(promptText, text -> new Evaluator(
        text.equals(suite.prompt().text()) ? suite : suite.withPrompt(new Template(suite.prompt().path(), text)),
        checks, task, outputCap));
  }

  /**
   * The result of {@code promptText} on {@code example}, evaluated on the session's workers. A
   * session that remembers results returns the same future for the same pair, finished or in flight.
   */
  public CompletableFuture<ExampleResult> evaluate(String promptText, Example example) {
    String key = key(promptText, example);
    CompletableFuture<ExampleResult> created = new CompletableFuture<>();
    if (results != null) {
      CompletableFuture<ExampleResult> existing = results.putIfAbsent(key, created);
      if (existing != null) {
        return existing;
      }
    }
    pending.add(created);
    try {
      workers.execute(() -> {
        try {
          ExampleResult result = evaluator(promptText).evaluate(example);
          if (result.status() == ExampleResult.Status.ERROR) {
            // an error is no answer: a later evaluation (another round, after a transient fault) asks again
            forget(key, created);
          }
          created.complete(result);
        } catch (RuntimeException | Error e) {
          // Not remembered: a call refused by a budget may be affordable under another.
          forget(key, created);
          created.completeExceptionally(e);
        } finally {
          pending.remove(created);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      forget(key, created);
      pending.remove(created);
      created.completeExceptionally(new IllegalStateException("the session of " + suite.name() + " is closed", e));
    }
    return created;
  }

  private void forget(String key, CompletableFuture<ExampleResult> future) {
    if (results != null) {
      results.remove(key, future);
    }
  }

  /** The remembered result of {@code promptText} on {@code example}, if it is finished. */
  public Optional<ExampleResult> known(String promptText, Example example) {
    if (results == null) {
      return Optional.empty();
    }
    CompletableFuture<ExampleResult> future = results.get(key(promptText, example));
    return future != null && future.isDone() && !future.isCompletedExceptionally()
        ? Optional.of(future.join()) : Optional.empty();
  }

  /**
   * The same session with every task and judge call also charged to {@code budget} — the worst case
   * reserved before the call, the real usage settled after — sharing models, cassette, spend,
   * workers and remembered results (a view always remembers; answers are never bought twice).
   * Scoring requests keep the session's shape (its output cap, if any), so a budgeted run asks what
   * an unbudgeted one asks and shares its cassette entries. A request with an output cap is reserved
   * exactly; one without is reserved as if capped at {@code assumedOutputCap}, and a real spend above
   * a reservation is reported as a crossed budget ({@link Budget#settle}).
   *
   * @param assumedOutputCap the output tokens reserved for a request that sets no cap
   */
  public ScoringSession budgeted(Budget budget, int assumedOutputCap) {
    Map<String, CompletableFuture<ExampleResult>> shared = results != null ? results : new ConcurrentHashMap<>();
    ModelClient budgetedTask = budgeted(task, budget, prices, assumedOutputCap);
    JudgeModels budgetedJudges =
        ((JudgeModels) spec -> budgeted(judges.judge(spec), budget, prices, assumedOutputCap)).cached();
    return new ScoringSession(this, budgetedTask, budgetedJudges, outputCap, shared);
  }

  /**
   * {@code client} also charged to {@code budget}; cached answers cost nothing, as the cassette sits outside the meter.
   */
  public static ModelClient budgeted(ModelClient client, Budget budget, PriceTable prices, int assumedOutputCap) {
    return client.withModel(new MeteredChatModel(client.model(), client.name(), budget,
        prices.priceOf(client.name()), assumedOutputCap));
  }

  private static String key(String promptText, Example example) {
    return promptText + '\u0000' + example.id();
  }

  /** Stops the workers and writes the cassette (the session that was built owns them; views close nothing). */
  @Override
  public void close() {
    closeWorkers();
    if (owner) {
      cassette.ifPresent(Cassette::close);
    }
  }

  /**
   * Stops the workers but leaves the cassette open: for a session that shares its cassette with the sessions of a
   * suite's other models, whose caller writes it when all of them are done.
   */
  public void closeWorkers() {
    if (owner) {
      workers.shutdownNow();
      // evaluations that never started: whoever waits for them learns why instead of waiting forever
      for (CompletableFuture<ExampleResult> future : List.copyOf(pending)) {
        future.completeExceptionally(new IllegalStateException("the session of " + suite.name()
            + " was closed before this example ran"));
      }
    }
  }

  /** How a session is made; only the suite and its task model are required. */
  public static final class Builder {
    private final Suite suite;
    private final ModelClient task;
    private JudgeModels judges;
    private int concurrency = 8;
    private PriceTable prices = new PriceTable(io.promptunit.config.Configuration.of(Map.of()));
    private Optional<Cassette> cassette = Optional.empty();
    private Optional<Integer> outputCap = Optional.empty();
    private boolean remember;

    private Builder(Suite suite, ModelClient task) {
      this.suite = Objects.requireNonNull(suite, "suite");
      this.task = Objects.requireNonNull(task, "task");
    }

    /**
     * The judge models of {@code @ExpectJudge} checks, unmetered (the session meters them); the
     * default judge is the task model.
     */
    public Builder judges(JudgeModels judges) {
      this.judges = judges;
      return this;
    }

    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    public Builder prices(PriceTable prices) {
      this.prices = prices;
      return this;
    }

    /** Where answers are recorded and replayed from; the session closes (writes) it. */
    public Builder cassette(Optional<Cassette> cassette) {
      this.cassette = cassette;
      return this;
    }

    /** The output cap of every scoring request (e.g. {@code promptunit.max-output-tokens}). */
    public Builder outputCap(Optional<Integer> outputCap) {
      this.outputCap = outputCap;
      return this;
    }

    /**
     * Whether results are remembered from the start, so that an optimization that follows the suite
     * run starts from them. Costs memory per example; an optimization remembers in any case.
     */
    public Builder remember(boolean remember) {
      this.remember = remember;
      return this;
    }

    public ScoringSession build() {
      SpendMeter spend = new SpendMeter(prices);
      // At most `concurrency` task and judge calls are on the wire at once. Workers are twice as many,
      // so that examples waiting out a retry's backoff (which holds no permit) do not idle the calls.
      Semaphore permits = new Semaphore(concurrency);
      ModelClient meteredTask = through(spend.meter(bounded(task, permits)), cassette);
      JudgeModels raw = judges;
      JudgeModels metered = ((JudgeModels) spec -> {
        ModelClient judge = raw == null ? task : raw.judge(spec);
        return judge == task ? meteredTask : through(spend.meter(bounded(judge, permits)), cassette);
      }).cached();
      return new ScoringSession(this, spend, meteredTask, metered);
    }

    private static ModelClient bounded(ModelClient client, Semaphore permits) {
      return client.withModel(new BoundedChatModel(client.model(), permits));
    }

    private static ModelClient through(ModelClient client, Optional<Cassette> cassette) {
      return cassette.map(client::withCassette).orElse(client);
    }
  }
}
