package io.promptunit.junit;

import io.promptunit.config.Configuration;
import io.promptunit.Example;
import io.promptunit.Optimize;
import io.promptunit.check.Checks;
import io.promptunit.check.JudgeModels;
import io.promptunit.suite.InvalidSuiteException;
import io.promptunit.report.SuiteReport;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.suite.SuiteProblem;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * A prompt suite: the container of its examples. A suite whose files are broken is kept (with no
 * examples) and fails when executed, naming every problem — so the other suites still run.
 */
final class SuiteDescriptor extends AbstractTestDescriptor implements Node<RunContext> {

  static final String SEGMENT_TYPE = "suite";

  private final Class<?> anchor;
  private final Suite suite;
  private final InvalidSuiteException problem;
  /** A configuration problem found when the suite starts (an unknown provider, a failing @ModelFactory). */
  private volatile RuntimeException startFailure;
  /** The editable examples file, looked up once: every example's test source points into it. */
  private final Optional<Path> examplesSource;
  private Map<String, Example> byId;
  /** Whether this run's optimization asked its models (its cassette entries are then in use). */
  private volatile boolean optimizationRan;

  /** The models the suite runs against side by side (one container each); empty or one: the suite's one model. */
  private final List<String> matrix;

  private SuiteDescriptor(UniqueId uniqueId, Class<?> anchor, Suite suite, InvalidSuiteException problem,
      List<String> matrix) {
    super(uniqueId, anchor.getSimpleName(), ClassSource.from(anchor));
    this.anchor = anchor;
    this.suite = suite;
    this.problem = problem;
    this.matrix = List.copyOf(matrix);
    this.examplesSource = suite == null ? Optional.empty() : suite.examplesFile().sourceFile();
  }

  private SuiteDescriptor(UniqueId uniqueId, Class<?> anchor, Suite suite, InvalidSuiteException problem) {
    this(uniqueId, anchor, suite, problem, List.of());
  }

  static SuiteDescriptor create(UniqueId parent, Class<?> anchor, io.promptunit.config.Configuration settings) {
    UniqueId uniqueId = parent.append(SEGMENT_TYPE, anchor.getName());
    try {
      Suite suite = SuiteLoader.load(anchor);
      Checks.of(suite, JudgeModels.unavailable());
      return new SuiteDescriptor(uniqueId, anchor, suite, null, io.promptunit.core.PromptUnit.matrix(suite, settings));
    } catch (InvalidSuiteException e) {
      return new SuiteDescriptor(uniqueId, anchor, null, e);
    } catch (RuntimeException | LinkageError e) {
      // the suite's own problem, never the run's: its cause is kept, and the other suites still run
      String why = e instanceof ExceptionInInitializerError && e.getCause() != null
          ? e + ", caused by " + e.getCause() : e.toString();
      InvalidSuiteException wrapped = new InvalidSuiteException(new SuiteProblem(anchor.getName(), 0,
          "the suite cannot be loaded (" + why + ")", "check the @PromptTest declaration, the class's static "
              + "initializer and the files it names"), e);
      return new SuiteDescriptor(uniqueId, anchor, null, wrapped);
    }
  }

  @Override
  public Type getType() {
    return Type.CONTAINER;
  }

  /** A broken suite has no examples, yet must stay in the tree to report its problems. */
  @Override
  public boolean mayRegisterTests() {
    return problem != null;
  }

  /** Surefire uses this as the {@code classname} of every example's testcase. */
  @Override
  public String getLegacyReportingName() {
    return anchor.getName();
  }

  Class<?> anchor() {
    return anchor;
  }

  Optional<Suite> suite() {
    return Optional.ofNullable(suite);
  }

  List<Example> examples() {
    return suite == null ? List.of() : suite.examples();
  }

  synchronized Optional<Example> example(String id) {
    if (byId == null) {
      byId = new HashMap<>();
      examples().forEach(example -> byId.put(example.id(), example));
    }
    return Optional.ofNullable(byId.get(id));
  }

  void optimizationRan() {
    optimizationRan = true;
  }

  /** Whether the suite has no {@code @Optimize}, or its optimization ran in this run. */
  boolean optimizationCovered() {
    return !anchor.isAnnotationPresent(Optimize.class) || optimizationRan;
  }

  /** The {@code @Optimize} container, for suites that have one. */
  Optional<OptimizationDescriptor> createOptimization(Configuration settings) {
    Optimize optimize = anchor.getAnnotation(Optimize.class);
    return suite == null || optimize == null || isMatrix() ? Optional.empty()
        : Optional.of(new OptimizationDescriptor(getUniqueId(), suite, optimize, settings));
  }

  /** The pass-rate verdict, for suites that tolerate failures up to a minPassRate. */
  Optional<PassRateDescriptor> createPassRate() {
    return suite == null || !suite.options().toleratesFailures() || isMatrix() ? Optional.empty()
        : Optional.of(new PassRateDescriptor(getUniqueId(), suite));
  }

  /** The regression gate against the committed baseline, when updating or when the suite has one. */
  Optional<BaselineDescriptor> createBaseline(io.promptunit.config.Configuration settings) {
    return suite == null || isMatrix() ? Optional.empty() : BaselineDescriptor.of(getUniqueId(), suite, settings);
  }

  ExampleDescriptor createChild(Example example) {
    return createChild(getUniqueId(), example);
  }

  /** The test of {@code example} under {@code parent}: this suite, or one of its models. */
  ExampleDescriptor createChild(UniqueId parent, Example example) {
    return new ExampleDescriptor(parent.append(ExampleDescriptor.SEGMENT_TYPE, example.id()), example, suite,
        examplesSource);
  }

  /** Whether the suite runs against several models, one container each. */
  boolean isMatrix() {
    return matrix.size() > 1;
  }

  /** The models of a suite that runs against several, in their declared order; else empty. */
  List<String> matrix() {
    return isMatrix() ? matrix : List.of();
  }

  /** The container of {@code model} among this suite's children: it runs against several, and that one was selected. */
  Optional<ModelDescriptor> modelContainer(String model) {
    return getChildren().stream().filter(ModelDescriptor.class::isInstance).map(ModelDescriptor.class::cast)
        .filter(container -> container.model().equals(model)).findFirst();
  }

  /** The container of {@code model}, when the suite runs against it among several. */
  Optional<ModelDescriptor> createModel(String model) {
    return isMatrix() && matrix.contains(model) ? Optional.of(new ModelDescriptor(this, model)) : Optional.empty();
  }

  @Override
  public RunContext before(RunContext context) {
    if (problem != null) {
      io.promptunit.PromptTest declaration = anchor.getAnnotation(io.promptunit.PromptTest.class);
      SuiteReport report = new SuiteReport(anchor.getName(), declaration == null ? "" : declaration.prompt(),
          declaration == null ? "" : declaration.examples(), declaration == null ? 1.0 : declaration.minPassRate());
      report.problem(problem.getMessage());
      context.report(report);
      // reported by a test of its own (execute), so that it has an honest name in every report
      return context;
    }
    try {
      return isMatrix() ? MatrixExecution.start(this, context) : SuiteExecution.start(this, context);
    } catch (RuntimeException e) {
      // its examples are aborted with the reason; a test of its own (execute) fails with it
      startFailure = e;
      return context.withAbortReason("The suite cannot start: " + e.getMessage(), context.suiteReport().orElse(null));
    }
  }

  @Override
  public RunContext execute(RunContext context, DynamicTestExecutor executor) throws InterruptedException {
    RuntimeException failure = problem != null ? problem : startFailure;
    if (failure != null) {
      NotRunDescriptor broken = problem != null
          ? NotRunDescriptor.brokenSuite(getUniqueId(), problem)
          : NotRunDescriptor.failed(getUniqueId(), "suite", startFailure);
      addChild(broken);
      executor.execute(broken);
      executor.awaitFinished();
    }
    return context;
  }

  @Override
  public void after(RunContext context) {
    if (isMatrix()) {
      MatrixExecution.finish(context);
    } else {
      SuiteExecution.finish(context);
    }
  }

  /** The examples selected for this run, in file order. */
  List<Example> selectedExamples() {
    return getChildren().stream()
        .filter(ExampleDescriptor.class::isInstance)
        .map(child -> ((ExampleDescriptor) child).example())
        .toList();
  }
}
