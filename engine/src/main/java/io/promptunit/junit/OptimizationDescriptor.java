package io.promptunit.junit;

import io.promptunit.config.Configuration;
import io.promptunit.Optimize;
import io.promptunit.model.ModelClient;
import io.promptunit.optimize.Optimization;
import io.promptunit.optimize.OptimizationResult;
import io.promptunit.optimize.OptimizeOptions;
import io.promptunit.optimize.Strategies;
import io.promptunit.report.ComparisonReport;
import io.promptunit.suite.Suite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * The {@code @Optimize} container of a suite, after its examples: one dynamic test per round, then
 * a verdict test that passes only when the optimized prompt passes the suite on held-out examples.
 * With {@code compare}, one nested container per strategy and a comparison table at the end.
 */
final class OptimizationDescriptor extends AbstractTestDescriptor implements Node<RunContext> {

  static final String SEGMENT_TYPE = "optimization";

  private final Suite suite;
  private final Optimize optimize;

  OptimizationDescriptor(UniqueId parent, Suite suite, Optimize optimize, Configuration settings) {
    super(parent.append(SEGMENT_TYPE, segment(optimize)), displayName(optimize, settings),
        ModelDescriptor.verdictSource(parent, suite.anchor()));
    this.suite = suite;
    this.optimize = optimize;
  }

  /** {@code compare}, or the declared strategy's name in lower case, e.g. {@code protegi}. */
  private static String segment(Optimize optimize) {
    return Strategies.declaredComparison(optimize).isEmpty()
        ? Strategies.displayName(Strategies.declared(optimize)).toLowerCase(Locale.ROOT)
        : "compare";
  }

  /**
   * {@code optimize (PROTEGI)}, {@code optimize (compare PROTEGI, RULEBOOK)}: the strategies that will run, by their
   * registered names ({@code promptunit.optimize.strategy} and {@code .compare} win over the annotation, as when the
   * optimization runs; the unique id keeps the declared one, so that a rerun by id finds the container). A setting
   * naming no registered strategy leaves the declared name; the optimization then fails saying why.
   */
  private static String displayName(Optimize optimize, Configuration settings) {
    List<String> compared;
    String strategy;
    try {
      compared = OptimizeOptions.compared(optimize, settings);
      strategy = OptimizeOptions.strategyName(optimize, settings);
    } catch (IllegalArgumentException unknown) {
      compared = Strategies.declaredComparison(optimize);
      strategy = Strategies.declared(optimize);
    }
    return compared.isEmpty()
        ? "optimize (" + Strategies.displayName(strategy) + ")"
        : "optimize (compare " + compared.stream().map(Strategies::displayName).collect(Collectors.joining(", ")) + ")";
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
    // the suite's class, or its model's container in a suite of several models
    return getParent().map(org.junit.platform.engine.TestDescriptor::getLegacyReportingName).orElse(suite.name());
  }

  /** Tells the suite that the optimization ran (asked its models), so its cassette entries are in use. */
  private void markRan() {
    Optional<org.junit.platform.engine.TestDescriptor> parent = getParent();
    parent.filter(ModelDescriptor.class::isInstance).map(ModelDescriptor.class::cast)
        .ifPresent(container -> container.suite().optimizationRan());
    parent.filter(SuiteDescriptor.class::isInstance).map(SuiteDescriptor.class::cast)
        .ifPresent(SuiteDescriptor::optimizationRan);
  }

  /** Why the optimization should not run, if it should not (the core decides, as for every caller). */
  private Optional<String> skipReason(RunContext context) {
    return context.core().optimizationSkipReason(suite, context.taskModel().map(ModelClient::name));
  }

  /** Registers and runs a test standing for the optimization that does not run. */
  private RunContext notRun(NotRunDescriptor test, DynamicTestExecutor executor,
      RunContext context) throws InterruptedException {
    addChild(test);
    executor.execute(test);
    executor.awaitFinished();
    return context;
  }

  @Override
  public RunContext execute(RunContext context, DynamicTestExecutor executor) throws InterruptedException {
    Optional<String> skip = skipReason(context);
    if (skip.isPresent()) {
      return notRun(NotRunDescriptor.skipped(getUniqueId(), getDisplayName(), skip.get()), executor, context);
    }
    Optional<String> abort = context.abortReason();
    if (abort.isPresent()) {
      return notRun(NotRunDescriptor.aborted(getUniqueId(), getDisplayName(), abort.get()), executor, context);
    }
    OptimizeOptions options;
    try {
      options = OptimizeOptions.from(optimize, context.configuration(), suite.anchor().getClassLoader());
    } catch (IllegalArgumentException e) {
      return notRun(NotRunDescriptor.failed(getUniqueId(), getDisplayName(), e), executor, context);
    }
    StrategyRun.Models models = StrategyRun.models(context, optimize);
    if (options.compare().isEmpty()) {
      Optimization optimization = StrategyRun.prepare(options, models, context);
      Optional<NotRunDescriptor> without = withoutSpending(optimization, context, () -> StrategyRun.announce(suite,
          options.strategy().name(), models, optimization, this, context));
      if (without.isPresent()) {
        return notRun(without.get(), executor, context);
      }
      markRan();
      StrategyRun.run(this, executor, suite, optimization, context, true);
      executor.awaitFinished();
      return context;
    }
    compare(options.compare(), models, context, executor);
    return context;
  }

  /**
   * The test standing for an optimization that spends nothing, said on the console too: the checked-in prompt already
   * passes (checked before {@code estimate} is made and printed), or a dry run that prints {@code estimate}.
   */
  private Optional<NotRunDescriptor> withoutSpending(Optimization optimization, RunContext context,
      java.util.function.Supplier<String> estimate) {
    String name = StrategyRun.who(suite, context);
    Optional<String> passes = optimization.alreadyPasses();
    if (passes.isPresent()) {
      Console.line(name + ": " + passes.get() + ".");
      return Optional.of(NotRunDescriptor.alreadyPasses(getUniqueId(), getDisplayName(), passes.get() + "."));
    }
    String told = estimate.get();
    if (!optimization.dryRun()) {
      return Optional.empty();
    }
    String reason = StrategyRun.dryRunReason(told);
    Console.line(name + ": " + reason);
    return Optional.of(NotRunDescriptor.dryRun(getUniqueId(), getDisplayName(), reason));
  }

  private void compare(List<String> strategies, StrategyRun.Models models, RunContext context,
      DynamicTestExecutor executor)
      throws InterruptedException {
    List<Optimization> prepared = new ArrayList<>();
    for (String strategy : strategies) {
      prepared.add(StrategyRun.prepare(OptimizeOptions.from(optimize, context.configuration(),
          suite.anchor().getClassLoader(), strategy), models, context));
    }
    Optional<NotRunDescriptor> without = withoutSpending(prepared.get(0), context, () -> {
      StringBuilder estimates = new StringBuilder();
      for (int i = 0; i < strategies.size(); i++) {
        estimates.append(strategies.get(i)).append(": ").append(StrategyRun.announce(suite, strategies.get(i), models,
            prepared.get(i), this, context)).append(". ");
      }
      return estimates.toString().strip();
    });
    if (without.isPresent()) {
      notRun(without.get(), executor, context);
      return;
    }
    markRan();
    List<StrategyDescriptor> runs = new ArrayList<>();
    for (int i = 0; i < strategies.size(); i++) {
      StrategyDescriptor child = new StrategyDescriptor(getUniqueId(), strategies.get(i), suite, prepared.get(i));
      addChild(child);
      runs.add(child);
      executor.execute(child);
    }
    executor.awaitFinished();
    List<OptimizationResult> results = runs.stream().map(StrategyDescriptor::result).flatMap(Optional::stream).toList();
    String table = ComparisonReport.table(results);
    Path directory = StrategyRun.outputDirectory(context, suite);
    try {
      Path file = ComparisonReport.write(directory, suite.name(), results);
      Console.line(suite.anchor().getSimpleName() + ": strategy comparison (" + file.toAbsolutePath() + ")\n" + table);
      context.listener().reportingEntryPublished(this, ReportEntry.from(Map.of(ReportEntryKeys.COMPARISON,
          file.toAbsolutePath().toString(),
          ReportEntryKeys.COMPARISON_TABLE, table)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the comparison to " + directory, e);
    }
  }
}
