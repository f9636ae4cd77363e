package io.promptunit.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.promptunit.Example;
import io.promptunit.config.Keys;
import io.promptunit.core.PromptUnit;
import io.promptunit.core.SuiteStart;
import io.promptunit.config.Configuration;
import io.promptunit.eval.Attempt;
import io.promptunit.check.Conversation;
import io.promptunit.eval.ExampleResult;
import io.promptunit.eval.SuiteRun;
import io.promptunit.eval.ScoringSession;
import io.promptunit.model.Budget;
import io.promptunit.model.BudgetExhaustedException;
import io.promptunit.model.ConsoleText;
import io.promptunit.model.ModelClient;
import io.promptunit.model.ModelConfigurationException;
import io.promptunit.model.Spend;
import io.promptunit.report.HtmlReport;
import io.promptunit.report.SuiteReport;
import io.promptunit.suite.Resource;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteDeclaration;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.suite.SuiteOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Evaluates prompt templates on examples files with the engine's own machinery: the files are read
 * as a {@code @PromptTest} suite reads them, the task model is chosen the same way (a static
 * {@code @ModelFactory} method of the anchor class, else {@code promptunit.model}, else the embedded
 * model), checks come from the anchor's {@code @Expect...} annotations and {@code @Check} methods
 * (normalized equality by default), answers go through the anchor's cassette
 * ({@code src/test/cassettes/<anchor class>.jsonl}), calls run {@code promptunit.concurrency} at a
 * time, and the spend is counted.
 *
 * <p>In a Jupiter test, {@link PromptUnitExtension} injects one per test class (the class is the
 * anchor, settings come from JUnit's configuration). From plain Java:
 *
 * <pre>{@code
 * try (PromptEvaluator evaluator = PromptEvaluator.builder(RouterChecks.class).build()) {
 * Evaluation evaluation =
 * evaluator.prompt("prompts/router.prompt").examples("prompts/router.jsonl").split("test").evaluate();
 *   System.out.println(evaluation);
 * }
 * }</pre>
 *
 * <p>Thread-safe; closing it frees the models it built (local models hold native memory).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PromptEvaluator implements AutoCloseable {

  /**
   * The output tokens a budget reserves for a call that sets no cap ({@code promptunit.max-output-tokens}); the request
   * itself
   * is unchanged, so a budgeted evaluation shares its cassette entries with every other run of the suite.
   */
  static final int BUDGET_OUTPUT_CAP = 1024;

  private final Class<?> anchor;
  private final PromptUnit core;
  private final boolean abortWithoutModel;
  /** Every evaluation so far, for the HTML report written when the evaluator closes. */
  private final List<SuiteReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closed;
  /** How many evaluations so far carry each title, so that two of one test can be told apart. */
  private final java.util.Map<String, Integer> titles = new java.util.concurrent.ConcurrentHashMap<>();

  /** The Jupiter test running on this thread, set by {@link PromptUnitExtension}. */
  static final ThreadLocal<TestName> CURRENT_TEST = new ThreadLocal<>();

  /** Which test (its unique id, or none) made each evaluation, to give the evaluation its test's verdict. */
  private final java.util.Map<SuiteReport, Optional<String>> madeBy = new java.util.concurrent.ConcurrentHashMap<>();
  /** The outcomes of the class's tests, from {@link PromptUnitExtension}: passed, failed, or neither (aborted). */
  private final List<TestOutcome> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A finished Jupiter test of the anchor class. */
  record TestOutcome(String uniqueId, TestName name, Optional<Boolean> passed) {}

  /** A Jupiter test: its unique id, its method's name and its display name. */
  record TestName(String uniqueId, String method, String displayName) {

    /**
     * {@code method()}, followed by the display name when it says more than the method's name
     * ({@code @DisplayName}, a parameterized invocation's {@code [n] ...}).
     */
    String describe() {
      boolean plain = displayName.equals(method) || displayName.startsWith(method + "(");
      return method + "()" + (plain ? "" : ": " + displayName);
    }
  }

  /** Whether closing this evaluator closes its core (not when the core is the test run's, shared by its classes). */
  private final boolean ownsCore;

  private PromptEvaluator(Class<?> anchor, PromptUnit core, boolean abortWithoutModel, boolean ownsCore) {
    this.anchor = anchor;
    this.core = core;
    this.abortWithoutModel = abortWithoutModel;
    this.ownsCore = ownsCore;
  }

  /**
   * An evaluator whose checks, {@code @ModelFactory} and cassette are those of {@code anchor}.
   * Settings default to system properties, then {@code junit-platform.properties} on the anchor's
   * class path, then the environment — the order the JUnit launcher uses.
   */
  public static Builder builder(Class<?> anchor) {
    return new Builder(anchor);
  }

  /**
   * In a Jupiter test: the test run's core (JUnit's configuration, read and checked once per run, its models built
   * once and its warnings given once), and no model configured means the test is skipped (like the engine's
   * examples).
   */
  static PromptEvaluator forJupiter(Class<?> testClass, PromptUnit core) {
    return new PromptEvaluator(testClass, core, true, false);
  }

  /** The anchor class. */
  public Class<?> anchor() {
    return anchor;
  }

  /** An evaluation of the prompt template at classpath {@code path} (e.g. {@code prompts/router.prompt}). */
  public Request prompt(String path) {
    return new Request(Objects.requireNonNull(path, "path"), Optional.empty());
  }

  /** An evaluation of {@code template}, given as text ({@code {{variable}}} syntax). */
  public Request promptText(String template) {
    return new Request("prompt text of " + anchor.getSimpleName(), Optional.of(Objects.requireNonNull(template,
        "template")));
  }

  /** The template at classpath {@code promptPath} on every example of {@code examplesPath}. */
  public Evaluation evaluate(String promptPath, String examplesPath) {
    return prompt(promptPath).examples(examplesPath).evaluate();
  }

  /** Called by {@link PromptUnitExtension} when a test of the anchor class finished. */
  void testFinished(TestOutcome outcome) {
    outcomes.add(outcome);
  }

  /**
   * An evaluation's verdict: in a Jupiter test, that test's outcome; made outside a test ({@code @BeforeAll}), the
   * outcomes of the class's tests; in plain Java (no test outcomes known), none: the caller's assertions decide.
   */
  private SuiteReport.Verdict verdictOf(SuiteReport report) {
    if (!abortWithoutModel) {
      return new SuiteReport.Verdict(Optional.empty(), "no test verdict: the caller's assertions decide");
    }
    Optional<String> test = madeBy.getOrDefault(report, Optional.empty());
    List<TestOutcome> relevant = outcomes.stream()
        .filter(o -> test.isEmpty() || o.uniqueId().equals(test.get())).toList();
    List<TestOutcome> failed = relevant.stream().filter(o -> o.passed().equals(Optional.of(false))).toList();
    long decided = relevant.stream().filter(o -> o.passed().isPresent()).count();
    if (decided == 0) {
      return new SuiteReport.Verdict(Optional.empty(), relevant.isEmpty() ? "no test asserted on it"
          : "its tests were aborted");
    }
    if (test.isPresent()) {
      return new SuiteReport.Verdict(Optional.of(failed.isEmpty()), "decided by its test "
          + relevant.get(0).name().describe() + ": " + (failed.isEmpty() ? "passed" : "failed"));
    }
    String failing = failed.stream().limit(5).map(o -> o.name().describe()).collect(Collectors.joining(", "))
        + (failed.size() > 5 ? ", …" : "");
    return new SuiteReport.Verdict(Optional.of(failed.isEmpty()), "decided by the " + decided + " tests of "
        + anchor.getSimpleName() + ": " + (failed.isEmpty() ? "all passed" : failed.size() + " failed: " + failing));
  }

  /** Frees the models this evaluator built; evaluating afterwards is an error. */
  @Override
  public void close() {
    closed = true;
    if (ownsCore) {
      core.close();
    }
    reports.forEach(report -> report.verdict(verdictOf(report)));
    if (!reports.isEmpty() && core.configuration().report()) {
      Path file = core.configuration().outputDir().resolve("jupiter").resolve(anchor.getName() + ".html");
      Spend total = reports.stream().map(SuiteReport::spend).reduce(Spend.NONE, Spend::plus);
      try {
        line("report: " + HtmlReport.write(file, reports, total).toUri());
      } catch (IOException e) {
        line("warning: cannot write the report " + file + " (" + e.getMessage() + ")");
      }
    }
  }

  private static void line(String text) {
    System.out.println("[PromptUnit] " + ConsoleText.escape(text));
    System.out.flush();
  }

  /** One evaluation to run: a template, an examples file, which examples, how to score. */
  public final class Request {
    private final String prompt;
    private final Optional<String> promptText;
    private String system = "";
    private String examples;
    private String[] splits = {};
    private String[] tags = {};
    private int repeats = 1;
    private int minPasses;
    private double temperature;
    private int concurrency;
    private long maxCalls = Long.MAX_VALUE;
    private double maxCost = Double.POSITIVE_INFINITY;
    private List<String> models = List.of();
    private double minPassRate = 1.0;

    private Request(String prompt, Optional<String> promptText) {
      this.prompt = prompt;
      this.promptText = promptText;
    }

    /** The system message template at classpath {@code path}. */
    public Request system(String path) {
      this.system = Objects.requireNonNull(path, "path");
      return this;
    }

    /** The examples file at classpath {@code path}: {@code .jsonl} or {@code .csv}, as for {@code @PromptTest}. */
    public Request examples(String path) {
      this.examples = Objects.requireNonNull(path, "path");
      return this;
    }

    /** Only the examples of these splits ({@code train}, {@code dev}, {@code test}). */
    public Request split(String... splits) {
      this.splits = splits.clone();
      return this;
    }

    /** Only the examples carrying at least one of these tags. */
    public Request tags(String... tags) {
      this.tags = tags.clone();
      return this;
    }

    /**
     * Runs each example up to {@code repeats} times; it passes when {@code minPasses} runs pass (as {@code
     * @PromptTest(repeats, minPasses)}).
     */
    public Request repeats(int repeats, int minPasses) {
      this.repeats = repeats;
      this.minPasses = minPasses;
      return this;
    }

    /** Sampling temperature of the calls (0 by default). */
    public Request temperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    /**
     * The models {@link #evaluateModels()} evaluates side by side, e.g. {@code "openai:gpt-4o-mini",
     * "anthropic:claude-haiku-4-5"} or the names of the anchor's {@code @ModelFactory} methods ({@code
     * RouterTest.cheap()}); the {@code promptunit.models} setting wins, as for {@code @PromptTest(models)}.
     */
    public Request models(String... models) {
      this.models = List.of(models);
      return this;
    }

    /** The pass rate on held-out examples a model must reach to pass in {@link #evaluateModels()} (1 by default). */
    public Request minPassRate(double minPassRate) {
      if (!(minPassRate > 0.0 && minPassRate <= 1.0)) {
        throw new IllegalArgumentException("minPassRate(" + minPassRate + ") must be in (0, 1], e.g. 0.9");
      }
      this.minPassRate = minPassRate;
      return this;
    }

    /**
     * Evaluates the selected examples with each model of {@link #models} at once, side by side: one {@link
     * Evaluation} per model, the matrix on the console and in the report, and the cheapest model that passes
     * held-out. A model that cannot start (no key, an unknown provider) is reported skipped with why; the others run.
     *
     * @throws IllegalStateException when no model is named (here or by {@code promptunit.models})
     */
    public ModelEvaluations evaluateModels() {
      if (examples == null) {
        throw new IllegalStateException("no examples file: call examples(\"prompts/....jsonl\") before"
            + " evaluateModels()");
      }
      ExampleSelection selection = ExampleSelection.of(splits, tags, "PromptEvaluator.split");
      Suite suite = SuiteLoader.load(new SuiteDeclaration(anchor, anchor.getName(), "PromptEvaluator", prompt,
          promptText, system, examples, options()));
      List<Example> selected = inThisShard(selection.select(suite.examples(), suite.examplesFile().displayPath()),
          suite);
      String promptShown = promptText.isPresent() ? prompt
          : Resource.find(loader(), prompt).map(Resource::displayPath).orElse(prompt);
      String title = title(promptShown);
      String where = anchor.getPackageName().isEmpty() ? "" : anchor.getPackageName() + ".";
      SuiteReport report = new SuiteReport(where + title, title, promptShown, suite.examplesFile().displayPath(),
          minPassRate);
      ModelEvaluations evaluations = new ModelRuns(core, suite, report, new Budget.Caps(maxCalls, Long.MAX_VALUE,
          maxCost, Long.MAX_VALUE)).evaluate(selected, selection.equals(ExampleSelection.ALL) ? ""
          : selection.describe(), promptShown);
      core.shardNote(suite).ifPresent(report::shard);
      reports.add(report);
      madeBy.put(report, Optional.ofNullable(CURRENT_TEST.get()).map(TestName::uniqueId));
      line(title + ": models side by side");
      evaluations.table().lines().forEach(PromptEvaluator::line);
      line(title + ": " + evaluations.conclusion());
      return evaluations;
    }

    /** Concurrent model calls; default {@code promptunit.concurrency}. */
    public Request concurrency(int concurrency) {
      if (concurrency < 1 || concurrency > Keys.MAX_CONCURRENCY) {
        throw new IllegalArgumentException("concurrency(" + concurrency + ") must be from 1 to "
            + Keys.MAX_CONCURRENCY);
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * At most this many model calls (answers from the cassette are free); examples that would need
     * more are reported as errors. A call's worst case is reserved before it is made.
     */
    public Request maxCalls(long maxCalls) {
      this.maxCalls = maxCalls;
      return this;
    }

    /** At most this many US dollars (from the price table, {@code promptunit.price.<model>}); as {@link #maxCalls}. */
    public Request maxCost(double maxCost) {
      this.maxCost = maxCost;
      return this;
    }

    /**
     * Runs the evaluation: every selected example through the model (or the cassette), checked.
     *
     * @throws io.promptunit.suite.InvalidSuiteException when a file is missing or broken, naming {@code file:line} and
     * the fix
     * @throws IllegalArgumentException for an unknown split or a selection without examples
     * @throws ModelConfigurationException when no usable model is configured (in a Jupiter test: the test is skipped
     * instead,
     *     unless {@code promptunit.require-model=true})
     */
    public Evaluation evaluate() {
      if (examples == null) {
        throw new IllegalStateException("no examples file: call examples(\"prompts/....jsonl\") before evaluate()");
      }
      if (closed) {
        throw new IllegalStateException("this PromptEvaluator of " + anchor.getSimpleName()
            + " is closed (its test class has finished)");
      }
      String origin = "PromptEvaluator";
      ExampleSelection selection = ExampleSelection.of(splits, tags, origin + ".split");
      Suite suite = SuiteLoader.load(new SuiteDeclaration(anchor, anchor.getName(), origin, prompt, promptText, system,
          examples, options()));
      List<Example> selected = inThisShard(selection.select(suite.examples(), suite.examplesFile().displayPath()),
          suite);
      ScoringSession session = open(suite);
      ModelClient task = session.taskModel();
      List<ScoredExample> scored = new ArrayList<>(selected.size());
      try (session) {
        if (core.configuration().batch()) {
          core.fillByBatch(session, selected, PromptEvaluator::line);
        }
        Budget budget = new Budget(new Budget.Caps(maxCalls, Long.MAX_VALUE, maxCost, Long.MAX_VALUE));
        budget.start();
        boolean budgeted = maxCalls != Long.MAX_VALUE || maxCost != Double.POSITIVE_INFINITY;
        SuiteRun run = new SuiteRun(budgeted ? session.budgeted(budget, session.outputCap().orElse(BUDGET_OUTPUT_CAP))
            : session, selected);
        for (Example example : selected) {
          scored.add(new ScoredExample(await(run, suite, example)));
        }
      }
      String promptShown = promptText.isPresent() ? prompt
          : Resource.find(loader(), prompt).map(Resource::displayPath).orElse(prompt);
      Evaluation evaluation = new Evaluation(promptShown, suite.examplesFile().displayPath(),
          selection.equals(ExampleSelection.ALL) ? "" : selection.describe(), scored, task.name(), session.spend()
              .total(),
          session.cassette().map(c -> (long) c.hits()).orElse(0L));
      report(evaluation, promptShown, suite, session);
      return evaluation;
    }

    /** A console line for the evaluation and its failing examples, and its part of the class's HTML report. */
    private void report(Evaluation evaluation, String promptShown, Suite suite, ScoringSession session) {
      String title = title(promptShown);
      String where = anchor.getPackageName().isEmpty() ? "" : anchor.getPackageName() + ".";
      SuiteReport report = new SuiteReport(where + title, title, promptShown,
          suite.examplesFile().displayPath(), 1.0);
      report.model(evaluation.model());
      evaluation.examples().forEach(example -> report.add(SuiteReport.Row.of(example.result(), false)));
      report.spend(evaluation.spend());
      Optional<String> shard = core.shardNote(suite);
      shard.ifPresent(report::shard);
      reports.add(report);
      madeBy.put(report, Optional.ofNullable(CURRENT_TEST.get()).map(TestName::uniqueId));
      line(title + shard.map(note -> " (" + note + ")").orElse("") + ": " + evaluation);
      report.unmetLines().forEach(PromptEvaluator::line);
      core.unpricedWarnings(session).forEach(PromptEvaluator::line);
      core.pruneNotice(suite).ifPresent(PromptEvaluator::line);
    }

    /**
     * {@code RouterTest.routesWell()} (with the display name when it says more) in a Jupiter test, else
     * {@code RouterTest: router.prompt}; a second evaluation under the same name is {@code ... #2}.
     */
    private String title(String promptShown) {
      TestName test = CURRENT_TEST.get();
      String base = anchor.getSimpleName() + (test != null ? "." + test.describe()
          : ": " + promptShown.substring(promptShown.lastIndexOf('/') + 1));
      int n = titles.merge(base, 1, Integer::sum);
      return n == 1 ? base : base + " #" + n;
    }

    private SuiteOptions options() {
      if (repeats < 1 || minPasses < 0 || minPasses > repeats) {
        throw new IllegalArgumentException("repeats(" + repeats + ", " + minPasses
            + "): repeats must be at least 1 and minPasses in 0.." + repeats
            + " (0 for all)");
      }
      if (!(temperature >= 0.0 && temperature <= 2.0)) {
        throw new IllegalArgumentException("temperature(" + temperature
            + ") must be in [0, 2]; use 0 for deterministic scoring");
      }
      return new SuiteOptions(Optional.empty(), temperature, repeats, minPasses == 0 ? repeats : minPasses,
          minPassRate, concurrency > 0 ? Optional.of(concurrency) : Optional.empty(), models);
    }
  }

  /**
   * A shard of a CI matrix ({@code promptunit.shard}) evaluates its part of the examples, as the
   * engine runs its part of a suite; a shard with none of them skips the evaluation, saying so.
   */
  private List<Example> inThisShard(List<Example> selected, Suite suite) {
    io.promptunit.config.Shard shard = core.configuration().shard();
    List<Example> mine = selected.stream().filter(example -> shard.contains(suite.name(), example.id())).toList();
    if (mine.isEmpty()) {
      String message = "None of the " + selected.size() + " selected examples of " + suite.examplesFile().displayPath()
          + " is in shard "
          + shard + " (" + Keys.SHARD + "); the other shards evaluate them.";
      throw abortWithoutModel ? new org.opentest4j.TestAbortedException(message) : new IllegalStateException(message);
    }
    return mine;
  }

  /**
   * The suite's session; no model means a skipped test in Jupiter (unless {@code promptunit.require-model=true}), else
   * an error.
   */
  private ScoringSession open(Suite suite) {
    // an unpriced model is worth a warning only once its calls were counted as $0 (report)
    SuiteStart start = core.open(suite, name -> { });
    if (start instanceof SuiteStart.NoModel noModel) {
      if (core.configuration().requireModel()) {
        throw ModelConfigurationException.invalid(noModel.notRun("the evaluation cannot run (" + Keys.REQUIRE_MODEL
            + "=true)"));
      }
      if (abortWithoutModel) {
        throw new org.opentest4j.TestAbortedException(noModel.notRun("this evaluation was not run"));
      }
      throw noModel.cause().worded("this evaluation was not run");
    }
    return ((SuiteStart.Ready) start).session();
  }

  /** The example's result; one the budget could not afford is an error of that example, the others go on. */
  static ExampleResult await(SuiteRun run, Suite suite, Example example) {
    try {
      return run.await(example);
    } catch (BudgetExhaustedException e) {
      return new ExampleResult(example, Conversation.render(suite, example), List.of(new Attempt(Optional.empty(),
          List.of(), Optional.of(e))), 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while evaluating " + example.location(), e);
    }
  }

  private ClassLoader loader() {
    return anchor.getClassLoader() != null ? anchor.getClassLoader() : ClassLoader.getSystemClassLoader();
  }

  /** How a plain-Java evaluator is made. */
  public static final class Builder {
    private final Class<?> anchor;
    private Configuration settings;

    private Builder(Class<?> anchor) {
      this.anchor = Objects.requireNonNull(anchor, "anchor");
    }

    /** Another configuration than system properties, {@code junit-platform.properties} and the environment. */
    public Builder configuration(Configuration configuration) {
      this.settings = Objects.requireNonNull(configuration, "configuration");
      return this;
    }

    /**
     * @throws io.promptunit.config.InvalidConfigurationException listing every problem of the configuration
     */
    public PromptEvaluator build() {
      ClassLoader loader = anchor.getClassLoader() != null ? anchor.getClassLoader()
          : ClassLoader.getSystemClassLoader();
      return new PromptEvaluator(anchor, PromptUnit.start(settings != null ? settings
          : Configuration.forClassPath(loader)), false, true);
    }
  }
}
