package io.promptunit.engine;

import io.promptunit.Optimize;
import io.promptunit.config.Keys;
import io.promptunit.eval.Checks;
import io.promptunit.model.ModelClient;
import io.promptunit.model.PriceTable;
import io.promptunit.model.SuiteModels;
import io.promptunit.optimize.History;
import io.promptunit.optimize.Optimization;
import io.promptunit.optimize.OptimizationResult;
import io.promptunit.optimize.OptimizeOptions;
import io.promptunit.report.OptimizationReport;
import io.promptunit.report.PromptFile;
import io.promptunit.suite.Resource;
import io.promptunit.suite.Suite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.hierarchical.Node;
import org.opentest4j.TestAbortedException;

/**
 * The {@code @Optimize} container of a suite, after its examples: one dynamic test per round, then
 * a verdict test that passes only when the optimized prompt passes the suite on held-out examples.
 */
final class OptimizationDescriptor extends AbstractTestDescriptor implements Node<RunContext> {

  static final String SEGMENT_TYPE = "optimization";

  private final Suite suite;
  private final Optimize optimize;

  OptimizationDescriptor(UniqueId parent, Suite suite, Optimize optimize) {
    super(parent.append(SEGMENT_TYPE, optimize.strategy().name().toLowerCase(Locale.ROOT)),
        "optimize (" + optimize.strategy().name() + ")", ClassSource.from(suite.anchor()));
    this.suite = suite;
    this.optimize = optimize;
  }

  @Override
  public Type getType() {
    return Type.CONTAINER;
  }

  @Override
  public boolean mayRegisterTests() {
    return true;
  }

  @Override
  public String getLegacyReportingName() {
    return suite.name();
  }

  @Override
  public SkipResult shouldBeSkipped(RunContext context) {
    boolean enabled = context.settings().get(Keys.OPTIMIZE).map(Boolean::parseBoolean).orElse(true);
    return enabled ? SkipResult.doNotSkip() : SkipResult.skip("optimization is off (" + Keys.OPTIMIZE + "=false)");
  }

  @Override
  public RunContext execute(RunContext context, DynamicTestExecutor executor) throws InterruptedException {
    Optional<String> abort = context.abortReason();
    if (abort.isPresent()) {
      throw new TestAbortedException(abort.get());
    }
    OptimizeOptions options = OptimizeOptions.from(optimize, context.settings());
    ModelClient task = context.taskModel().orElseThrow();
    SuiteModels models = new SuiteModels(context.models(), context.settings(), context.call());
    SuiteState state = context.suite().orElseThrow();
    ModelClient optimizerClient = optimizerModel(context, task);
    ModelClient optimizer = optimizerClient == task ? task : state.spend().meter(optimizerClient);
    if (optimizer != task && state.cassette().isPresent()) {
      optimizer = optimizer.withCassette(state.cassette().get());
    }
    int concurrency = suite.options().concurrency().orElse(context.settings().getInt(Keys.CONCURRENCY, Keys.DEFAULT_CONCURRENCY));
    Optimization optimization = Optimization.prepare(suite, Checks.of(suite, spec -> models.judgeModel(spec, task)), options, task, optimizer,
        new PriceTable(context.settings()), concurrency);

    String name = suite.anchor().getSimpleName();
    String estimate = optimization.estimate().describe();
    Console.line(name + ": " + options.strategy().name().toLowerCase(Locale.ROOT) + " with optimizer " + optimizer.name() + "; " + estimate);
    context.listener().reportingEntryPublished(this, ReportEntry.from(Map.of("promptunit.estimate", estimate)));
    if (context.settings().get(Keys.OPTIMIZE_DRY_RUN).map(Boolean::parseBoolean).orElse(false)) {
      throw new TestAbortedException("Dry run (" + Keys.OPTIMIZE_DRY_RUN + "=true): nothing was spent. " + estimate);
    }

    OptimizationResult result = optimization.run((round, progress) -> {
      RoundDescriptor descriptor = new RoundDescriptor(getUniqueId(), round, optimization.splits().selectionName());
      addChild(descriptor);
      executor.execute(descriptor);
      Console.line(name + " " + progress.strategy() + " round " + round.round() + "/" + progress.rounds() + ": " + descriptor.summary());
    });

    Path directory = outputDirectory(context).resolve(suite.anchor().getName()).resolve(result.strategy());
    OptimizationReport.Files3 files;
    try {
      files = OptimizationReport.write(directory, suite.name(), suite.prompt().path(), result);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the optimization report to " + directory, e);
    }
    String applied = apply(context, result);
    VerdictDescriptor verdict = new VerdictDescriptor(getUniqueId(), result, files, applied);
    addChild(verdict);
    executor.execute(verdict);
    executor.awaitFinished();
    return context;
  }

  private ModelClient optimizerModel(RunContext context, ModelClient task) {
    if (!optimize.optimizerModel().isBlank()) {
      return new ModelClient(context.models().resolve(optimize.optimizerModel(), "@Optimize(optimizerModel)"), optimize.optimizerModel(),
          context.call());
    }
    return context.settings().get(Keys.OPTIMIZER_MODEL)
        .map(spec -> new ModelClient(context.models().resolve(spec, context.settings().describeSource(Keys.OPTIMIZER_MODEL)), spec, context.call()))
        .orElse(task);
  }

  private static Path outputDirectory(RunContext context) {
    return Path.of(context.settings().get(Keys.OUTPUT_DIR).orElse("target/promptunit"));
  }

  /** In apply mode, writes a prompt that passed held-out over the checked-in file; says what happened. */
  private String apply(RunContext context, OptimizationResult result) {
    if (!context.settings().get(Keys.OPTIMIZE_APPLY).map(Boolean::parseBoolean).orElse(false)) {
      return "";
    }
    if (!result.passedHeldOut() || !result.improved()) {
      return " Apply mode is on, but " + (result.improved() ? "the prompt did not pass the held-out examples" : "there is no new prompt")
          + ", so " + suite.prompt().path() + " was left unchanged.";
    }
    Optional<Path> source = Resource.find(suite.anchor().getClassLoader(), suite.prompt().path()).flatMap(Resource::sourceFile);
    if (source.isEmpty()) {
      return " Apply mode is on, but " + suite.prompt().path() + " is not a plain file, so it was left unchanged.";
    }
    try {
      Path backup = PromptFile.replace(source.get(), result.best().text());
      return " Applied: " + source.get() + " now holds the optimized prompt; the previous version is in " + backup + ".";
    } catch (IOException e) {
      return " Apply mode is on, but writing " + source.get() + " failed (" + e.getMessage() + "); the file is unchanged.";
    }
  }

  static String percent(Double value) {
    return value == null ? "—" : String.format(Locale.ROOT, "%.0f%%", value * 100);
  }

  static String scores(History.Scores scores) {
    return "train " + percent(scores.train) + ", selection " + percent(scores.selection) + ", held-out " + percent(scores.heldOut);
  }
}
