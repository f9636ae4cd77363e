package io.promptunit.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.promptunit.Example;
import io.promptunit.Optimize;
import io.promptunit.config.Configuration;
import io.promptunit.config.ConfigurationProblem;
import io.promptunit.config.InvalidConfigurationException;
import io.promptunit.config.KeyFamily;
import io.promptunit.config.Keys;
import io.promptunit.config.Shard;
import io.promptunit.eval.BatchFill;
import io.promptunit.eval.ScoringSession;
import io.promptunit.model.Cassette;
import io.promptunit.model.ConsoleText;
import io.promptunit.model.ModelChoice;
import io.promptunit.model.ModelClient;
import io.promptunit.model.ModelConfigurationException;
import io.promptunit.model.ModelResolver;
import io.promptunit.model.PriceTable;
import io.promptunit.model.Providers;
import io.promptunit.model.RetryPolicy;
import io.promptunit.model.Secrets;
import io.promptunit.optimize.Optimization;
import io.promptunit.optimize.OptimizationResult;
import io.promptunit.optimize.OptimizeOptions;
import io.promptunit.report.PromptFile;
import io.promptunit.suite.Resource;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * The one way from a configuration to running suites, used alike by the JUnit engine, the Jupiter
 * integration and plain Java: it holds a run's models (resolved once, closed at the end), retry
 * policy and prices, and opens each suite's {@link ScoringSession} — task model, judges, cassette,
 * concurrency, output cap — from the suite and the configuration only, so that a suite scored
 * anywhere asks the same requests and shares its cassette.
 *
 * <pre>{@code
 * try (PromptUnit promptUnit = PromptUnit.start(RouterPromptTest.class);
 *      ScoringSession session = promptUnit.session(SuiteLoader.load(RouterPromptTest.class))) {
 *   ExampleResult result = session.evaluate(session.suite().prompt().text(), session.suite().examples().get(0)).join();
 * }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PromptUnit implements AutoCloseable {

  private final Configuration configuration;
  private final ModelResolver resolver;
  private final PriceTable prices;
  private final ModelChoice models;
  /** Models this run has warned about, so that each is warned about once. */
  private final Set<String> unpricedWarned = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicBoolean pruneNoticeGiven =
      new java.util.concurrent.atomic.AtomicBoolean();
  /** The sessions opened from plain Java ({@link #session}), whose unpriced calls are told on {@link #close}. */
  private final List<ScoringSession> opened = new java.util.concurrent.CopyOnWriteArrayList<>();

  private PromptUnit(Configuration configuration) {
    this.configuration = configuration;
    this.resolver = new ModelResolver(configuration);
    this.prices = new PriceTable(configuration);
    this.models = new ModelChoice(resolver, configuration, RetryPolicy.from(configuration));
  }

  /**
   * A run with {@code configuration}.
   *
   * @throws InvalidConfigurationException listing every problem of the configuration (unknown keys, values not
   * accepted)
   */
  public static PromptUnit start(Configuration configuration) {
    List<ConfigurationProblem> problems = problems(configuration);
    List<ConfigurationProblem> errors = problems.stream().filter(ConfigurationProblem::error).toList();
    if (!errors.isEmpty()) {
      throw new InvalidConfigurationException(errors);
    }
    problems.forEach(warning -> System.err.println("[PromptUnit] warning: " + warning.message()));
    return new PromptUnit(configuration);
  }

  /**
   * A run with {@code configuration} whose problems its caller has reported already (the engine, at
   * discovery: a run with errors never gets this far); not checked again, so that a system property
   * set by a test meanwhile cannot fail the run half-way.
   */
  public static PromptUnit startReported(Configuration configuration) {
    return new PromptUnit(configuration);
  }

  /**
   * A run configured as a JUnit launch of {@code anchor} would be: system properties, then
   * {@code junit-platform.properties} on its class path, then the environment.
   */
  public static PromptUnit start(Class<?> anchor) {
    ClassLoader loader = anchor.getClassLoader() != null ? anchor.getClassLoader() : ClassLoader.getSystemClassLoader();
    return start(Configuration.forClassPath(loader));
  }

  /**
   * Every problem of {@code configuration}, its key families included (prices, providers' base URLs, optimizer
   * attributes).
   */
  public static List<ConfigurationProblem> problems(Configuration configuration) {
    // a problem quotes the value it rejects: a key written where a variable's name belongs must not be printed
    return configuration.problems(keyFamilies()).stream()
        .map(problem -> new ConfigurationProblem(problem.key(), Secrets.redact(problem.message()), problem.error()))
        .toList();
  }

  /** The key families beyond the fixed keys, each declared by the layer that knows its members. */
  static List<KeyFamily> keyFamilies() {
    return List.of(PriceTable.keyFamily(), Providers.baseUrlKeys(), Providers.apiKeyEnvKeys(),
        OptimizeOptions.keyFamily());
  }

  public Configuration configuration() {
    return configuration;
  }

  public PriceTable prices() {
    return prices;
  }

  /** The models a suite is scored and judged by. */
  public ModelChoice models() {
    return models;
  }

  /**
   * The once-per-run warnings for the models of {@code session} that made calls without a price ("its
   * 12 calls counted as $0"): a model that only answered from the cassette, or was never called, cost
   * nothing and is not worth a warning, whatever its price. This holds for task, judge and optimizer models alike
   * (an optimizer model is metered by the session it optimizes). Call it when the session's calls are done, the
   * optimization's included.
   */
  public List<String> unpricedWarnings(ScoringSession session) {
    List<String> warnings = new ArrayList<>();
    session.spend().unpricedCalls().forEach((model, calls) -> unpricedWarning(model, calls)
        .ifPresent(warnings::add));
    return warnings;
  }

  private Optional<String> unpricedWarning(String model, long calls) {
    if (calls == 0 || prices.priceOf(model).isPresent() || !unpricedWarned.add(model)) {
      return Optional.empty();
    }
    String key = Keys.PRICE_PREFIX + model.substring(model.indexOf(':') + 1);
    String escaped = key.replace(":", "\\:").replace("=", "\\=");
    return Optional.of("warning: no price is known for model " + model
        + ", so its " + calls + (calls == 1 ? " call" : " calls") + " counted as $0 in the spend figures and cost caps"
        + " (its calls until now: this is said once a run, and any later ones count alike);"
        + " set " + key + "=<input>,<output> (dollars per million tokens) to price it"
        + (escaped.equals(key) ? "" : " (in junit-platform.properties write the key as " + escaped + ")"));
  }

  /**
   * Once per run, for an evaluation outside the engine (Jupiter, plain Java) when pruning was asked for
   * ({@code promptunit.cache-prune=true}, or {@code record} mode): why its cassette is not pruned. Only the engine
   * knows that a whole suite ran; an evaluation cannot tell whether the other tests sharing its cassette ran.
   */
  public Optional<String> pruneNotice(Suite suite) {
    io.promptunit.config.CacheMode mode = configuration.cache();
    boolean asked = mode == io.promptunit.config.CacheMode.RECORD
        || configuration.cachePrune() && mode != io.promptunit.config.CacheMode.OFF;
    if (!asked || !pruneNoticeGiven.compareAndSet(false, true)) {
      return Optional.empty();
    }
    Path file = cassettePath(suite);
    return Optional.of("note: cassettes of evaluations made from Jupiter or plain Java ("
        + io.promptunit.suite.Resource.inWorkingDirectory(file).orElse(file.toString()) + ")"
        + ") are not pruned (" + (configuration.cachePrune() ? Keys.CACHE_PRUNE + "=true" : Keys.CACHE + "=record")
        + "): an evaluation cannot tell whether every test sharing its cassette ran, so unused entries are kept;"
        + " delete the cassette and record it again to drop them");
  }

  /**
   * In a sharded run ({@code promptunit.shard}), which shard this is and how many of the suite's
   * examples it holds: {@code shard 2/4: 11 of 40 examples}.
   */
  public Optional<String> shardNote(Suite suite) {
    Shard shard = configuration.shard();
    if (shard.isAll()) {
      return Optional.empty();
    }
    long mine = suite.examples().stream().filter(example -> shard.contains(suite.name(), example.id())).count();
    int all = suite.examples().size();
    return Optional.of("shard " + shard + ": " + mine + " of " + all + (all == 1 ? " example" : " examples"));
  }

  /**
   * Opens {@code suite}: its task model, judges, cassette, concurrency and output cap.
   *
   * @param modelUsed told the name of every model the session comes to use (task and judges), e.g. to warn about
   * unpriced ones
   * @return the session, or why there is no model to score with
   * @throws ModelConfigurationException when a model is configured but cannot be used
   */
  public SuiteStart open(Suite suite, Consumer<String> modelUsed) {
    List<String> matrix = matrix(suite, configuration);
    if (matrix.size() > 1) {
      throw ModelConfigurationException.invalid(suite.anchor().getSimpleName() + " runs against " + matrix.size()
          + " models (" + String.join(", ", matrix) + "): evaluate them side by side (evaluateModels() in Jupiter,"
          + " openAll(suite, ...) in plain Java), or name one with -D" + Keys.MODELS + "=<model>.");
    }
    ModelClient task;
    try {
      task = matrix.isEmpty() ? models.taskModel(suite.anchor(), suite.options().model())
          : models.taskModel(suite.anchor(), matrix.get(0), matrixSource(suite));
    } catch (ModelConfigurationException e) {
      if (e.noModelConfigured()) {
        return new SuiteStart.NoModel(e);
      }
      throw e;
    }
    return new SuiteStart.Ready(session(suite, task, cassette(suite), modelUsed));
  }

  /**
   * The models {@code suite} runs against side by side ({@code promptunit.models}, else {@code @PromptTest(models)},
   * else its {@code @ModelFactory} methods when it has several): empty for a suite with one model as before; one name
   * is that one model, run as before.
   */
  public static List<String> matrix(Suite suite, Configuration configuration) {
    return ModelChoice.matrix(suite.anchor(), suite.options().models(), configuration);
  }

  /** Where the names of {@code suite}'s models come from, for messages. */
  private String matrixSource(Suite suite) {
    return configuration.models().isEmpty() ? "@PromptTest(models) of " + suite.anchor().getSimpleName()
        : configuration.describeSource(Keys.MODELS);
  }

  /**
   * Opens {@code suite} once per model of its {@link #matrix}, in that order, sharing one cassette (its keys name the
   * model): a session for each model that can start, {@link SuiteStart.Unusable} with why for one that cannot (no key,
   * an unknown provider), so that the others still run.
   */
  public List<SuiteStart> openAll(Suite suite, Consumer<String> modelUsed) {
    Optional<Cassette> shared = cassette(suite);
    List<SuiteStart> starts = new ArrayList<>();
    for (String model : matrix(suite, configuration)) {
      try {
        ModelClient task = models.taskModel(suite.anchor(), model, matrixSource(suite));
        starts.add(new SuiteStart.Ready(session(suite, task, shared, modelUsed)));
      } catch (ModelConfigurationException e) {
        starts.add(new SuiteStart.Unusable(model, Secrets.redact(e.getMessage())));
      }
    }
    return starts;
  }

  private ScoringSession session(Suite suite, ModelClient task, Optional<Cassette> cassette,
      Consumer<String> modelUsed) {
    modelUsed.accept(task.name());
    return ScoringSession.builder(suite, task)
        .judges(spec -> {
          ModelClient judge = models.judgeModel(spec, task);
          modelUsed.accept(judge.name());
          return judge;
        })
        .concurrency(suite.options().concurrency().orElse(configuration.concurrency()))
        .prices(prices)
        .cassette(cassette)
        .outputCap(outputCap(suite))
        .remember(optimizes(suite))
        .build();
  }

  /**
   * Opens {@code suite} for plain-Java use. A model without a price that the session came to call is
   * warned about when this closes.
   *
   * @throws ModelConfigurationException when no model is configured, or the configured one cannot be used
   */
  public ScoringSession session(Suite suite) {
    // an unpriced model is worth a warning only once its calls were counted as $0: when this closes
    SuiteStart start = open(suite, name -> { });
    if (start instanceof SuiteStart.NoModel noModel) {
      throw noModel.cause().worded("the suite cannot be scored");
    }
    ScoringSession session = ((SuiteStart.Ready) start).session();
    opened.add(session);
    if (configuration.batch()) {
      try {
        fillByBatch(session, suite.examples().stream().filter(e -> configuration.shard().contains(suite.name(), e.id()))
            .toList(),
            PromptUnit::line);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }
    return session;
  }

  private static void line(String text) {
    System.out.println("[PromptUnit] " + ConsoleText.escape(text));
  }

  /** Loads the suite anchored at {@code anchor} and opens it ({@link #session(Suite)}). */
  public ScoringSession session(Class<?> anchor) {
    return session(SuiteLoader.load(anchor));
  }

  /**
   * Batch mode ({@code promptunit.batch=true}): answers every request of {@code examples} that the
   * suite's cassette lacks through the provider's batch API and records the answers, so that the
   * examples then run from the cassette. Callers run it before scoring when
   * {@code configuration().batch()} is on.
   *
   * @param progress takes progress lines (submission, status while waiting)
   * @throws ModelConfigurationException when batch mode cannot run (no read-write cassette, a model without a batch
   * API)
   */
  public void fillByBatch(ScoringSession session, List<Example> examples, Consumer<String> progress) {
    BatchFill.fill(session, examples, configuration, resolver, progress);
  }

  /**
   * The optimization of {@code session}'s suite as its {@code @Optimize} and the configuration
   * say, with the configured optimizer model (else the task model). With
   * {@code promptunit.optimize.dry-run=true} its estimate is there and running it spends nothing
   * (it says so instead).
   *
   * @throws IllegalArgumentException when the suite has no {@code @Optimize} or its options are unusable
   * @throws IllegalStateException when the configuration says it must not run ({@link #optimizationSkipReason})
   */
  public Optimization optimization(ScoringSession session) {
    Optimize annotation = session.suite().anchor().getAnnotation(Optimize.class);
    if (annotation == null) {
      throw new IllegalArgumentException(session.suite().anchor().getName() + " has no @Optimize");
    }
    Optional<String> skip = optimizationSkipReason(session.suite(), Optional.of(session.taskModel().name()));
    if (skip.isPresent()) {
      throw new IllegalStateException("The optimization of " + session.suite().anchor().getSimpleName()
          + " does not run: " + skip.get()
          + "; nothing was spent.");
    }
    OptimizeOptions options = OptimizeOptions.from(annotation, configuration, session.suite().anchor()
        .getClassLoader());
    return optimization(session, options, models.optimizerModel(annotation.optimizerModel()));
  }

  /**
   * The optimization of {@code session}'s suite with {@code options} (one strategy of a comparison, say), honouring a
   * dry run.
   */
  public Optimization optimization(ScoringSession session, OptimizeOptions options, Optional<ModelClient> optimizer) {
    return Optimization.prepare(session, options, optimizer, configuration.optimizeDryRun());
  }

  /**
   * Why the optimization of {@code suite} must not run in this configuration, if it must not:
   * optimization switched off, a shard other than the first, or the embedded CPU model with no
   * optimizer model named and optimization not asked for explicitly.
   *
   * @param taskModel the name of the suite's task model, when it has one
   */
  public Optional<String> optimizationSkipReason(Suite suite, Optional<String> taskModel) {
    if (!configuration.optimize()) {
      return Optional.of("optimization is off (" + Keys.OPTIMIZE + "=false)");
    }
    Shard shard = configuration.shard();
    if (shard.index() != 1) {
      return Optional.of("an optimization runs in shard 1 only; this is shard " + shard + " (" + Keys.SHARD + ")");
    }
    Optimize optimize = suite.anchor().getAnnotation(Optimize.class);
    boolean embedded = taskModel.filter(ModelResolver.EMBEDDED_NAME::equals).isPresent();
    boolean optimizerNamed = optimize != null && !optimize.optimizerModel().isBlank() || configuration.optimizerModel()
        .isPresent();
    if (embedded && !optimizerNamed && !configuration.optimizeIsSet()) {
      return Optional.of("optimization is not run by default with the embedded CPU model (it would be slow, and a 0.5B"
          + " model is a weak optimizer): set -D" + Keys.OPTIMIZE + "=true to run it anyway, or name a stronger "
              + Keys.OPTIMIZER_MODEL);
    }
    return Optional.empty();
  }

  /**
   * Apply mode ({@code promptunit.optimize.apply=true}): writes the best prompt of {@code result}
   * over {@code suite}'s checked-in prompt file when it passed the held-out examples (atomically,
   * keeping the previous version, with the file's permissions). The file is the prompt's source, never the build's
   * copy the run read ({@link Resource#editableFile()}: found in the module's folders by path and content, so a
   * custom test-resource folder works); when no single source is found, nothing is written and the result says
   * why. Does nothing when apply mode is off.
   */
  public Applied apply(Suite suite, OptimizationResult result) {
    if (configuration.optimizeApply() && matrix(suite, configuration).size() > 1) {
      // which model's prompt this is cannot be told here: writing it would let the last model to finish win
      return new Applied(" Apply mode is on, but the suite runs against several models: apply with"
          + " apply(suite, result, model) and name the model whose prompt to write with -D"
          + Keys.OPTIMIZE_APPLY_MODEL + "; " + suite.prompt().path() + " was left unchanged.", false);
    }
    return apply(suite, result, Optional.empty());
  }

  /**
   * {@link #apply(Suite, OptimizationResult)} for {@code model}'s optimization in a suite that runs against several
   * models: only the model named by {@code promptunit.optimize.apply-model} has its prompt written; without that
   * setting nothing is, and the result says how to choose.
   */
  public Applied apply(Suite suite, OptimizationResult result, Optional<String> model) {
    if (!configuration.optimizeApply()) {
      return Applied.NOTHING;
    }
    if (model.isPresent()) {
      Optional<String> chosen = configuration.optimizeApplyModel();
      if (chosen.isEmpty()) {
        return new Applied(" Apply mode is on, but the suite runs against several models: name the one whose prompt"
            + " to write with -D" + Keys.OPTIMIZE_APPLY_MODEL + "=" + model.get() + " (say); "
            + suite.prompt().path() + " was left unchanged.", false);
      }
      if (!chosen.get().equals(model.get())) {
        return new Applied(" Apply mode writes the prompt of " + chosen.get() + " (" + Keys.OPTIMIZE_APPLY_MODEL
            + "), not this model's.", false);
      }
    }
    if (!result.passedHeldOut() || !result.improved()) {
      return new Applied(" Apply mode is on, but " + (result.improved()
          ? "the prompt did not pass the held-out examples"
          : "there is no new prompt") + ", so " + suite.prompt().path() + " was left unchanged.", false);
    }
    Resource.Editable editable = Resource.find(suite.anchor().getClassLoader(), suite.prompt().path())
        .map(Resource::editableFile)
        .orElseGet(() -> new Resource.Editable(Optional.empty(), "it is no longer on the class path"));
    if (editable.file().isEmpty()) {
      return new Applied(" Apply mode is on, but " + suite.prompt().path() + " was not replaced: "
          + editable.refusal() + ". Nothing was written; copy the best prompt into the file by hand.", true);
    }
    return write(editable.file().get(), result.best().text());
  }

  private static Applied write(Path source, String text) {
    try {
      Path backup = PromptFile.replace(source, text);
      return new Applied(" Applied: " + source + " now holds the optimized prompt; the previous version is in "
          + backup + ".", false);
    } catch (AccessDeniedException e) {
      return new Applied(" Apply mode is on, but " + source + " was not replaced: " + (e.getReason() != null
          ? e.getReason()
          : "permission denied (make the file and its folder writable)") + ". The file is unchanged.", true);
    } catch (IOException e) {
      return new Applied(" Apply mode is on, but writing " + source + " failed (" + e.getClass().getSimpleName()
          + ": " + e.getMessage() + "); the file is unchanged.", true);
    }
  }

  /**
   * The output cap of every scoring request of {@code suite}: {@code promptunit.max-output-tokens},
   * else, for a suite with {@code @Optimize}, its {@code maxOutputTokens} — whether or not the
   * optimization runs, so that a request is the same in every run and its cassette entry replays
   * with optimization off.
   */
  public Optional<Integer> outputCap(Suite suite) {
    Optional<Integer> configured = configuration.maxOutputTokens();
    Optimize optimize = suite.anchor().getAnnotation(Optimize.class);
    if (configured.isPresent() || optimize == null) {
      return configured;
    }
    return OptimizeOptions.maxOutputTokens(optimize, configuration);
  }

  /** Whether {@code suite} will be optimized in this run (so its session remembers results from the start). */
  public boolean optimizes(Suite suite) {
    return suite.anchor().isAnnotationPresent(Optimize.class) && configuration.optimize();
  }

  /** {@code <promptunit.cache-dir>/<suite name>.jsonl}. */
  private Path cassettePath(Suite suite) {
    return configuration.cacheDir().resolve(suite.name() + ".jsonl");
  }

  private Optional<Cassette> cassette(Suite suite) {
    return configuration.cache() == io.promptunit.config.CacheMode.OFF ? Optional.empty()
        : Optional.of(Cassette.open(cassettePath(suite), configuration.cache(), System.err));
  }

  /** Frees the models this run built (local models hold native memory). */
  @Override
  public void close() {
    resolver.close();
    opened.forEach(session -> unpricedWarnings(session).forEach(PromptUnit::line));
    opened.clear();
  }
}
