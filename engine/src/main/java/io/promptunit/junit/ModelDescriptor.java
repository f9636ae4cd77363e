package io.promptunit.junit;

import io.promptunit.Example;
import io.promptunit.suite.Suite;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * One model of a suite that runs against several ({@code promptunit.models}, {@code @PromptTest(models)}): the
 * container of that model's examples, its pass-rate verdict, its baseline gate and its optimization, named by the
 * model. A model that cannot start is skipped with why; the others run.
 */
final class ModelDescriptor extends AbstractTestDescriptor implements Node<RunContext> {

  static final String SEGMENT_TYPE = "model";

  private final SuiteDescriptor suite;
  private final String model;

  ModelDescriptor(SuiteDescriptor suite, String model) {
    super(suite.getUniqueId().append(SEGMENT_TYPE, model), model, ClassSource.from(suite.anchor()));
    this.suite = suite;
    this.model = model;
  }

  String model() {
    return model;
  }

  /**
   * The source of a suite's verdict test under {@code parent}: the anchor class, but none under a model's container,
   * so that reports that name a test by its source's class (Surefire's XML) name it by its model's container
   * instead, and the verdicts of several models stay apart.
   */
  static ClassSource verdictSource(UniqueId parent, Class<?> anchor) {
    return parent.getLastSegment().getType().equals(SEGMENT_TYPE) ? null : ClassSource.from(anchor);
  }

  SuiteDescriptor suite() {
    return suite;
  }

  @Override
  public Type getType() {
    return Type.CONTAINER;
  }

  /** Surefire uses this as the {@code classname} of every example's testcase: the suite's class, as with one model. */
  @Override
  public String getLegacyReportingName() {
    return suite.anchor().getName() + "[" + model + "]";
  }

  ExampleDescriptor createChild(Example example) {
    return suite.createChild(getUniqueId(), example);
  }

  Optional<PassRateDescriptor> createPassRate() {
    return suite.suite().filter(s -> s.options().toleratesFailures()).map(s -> new PassRateDescriptor(getUniqueId(),
        s, Optional.of(model)));
  }

  Optional<BaselineDescriptor> createBaseline(io.promptunit.config.Configuration settings) {
    return suite.suite().flatMap(s -> BaselineDescriptor.of(getUniqueId(), s, settings, Optional.of(model)));
  }

  Optional<OptimizationDescriptor> createOptimization(io.promptunit.config.Configuration settings) {
    Suite loaded = suite.suite().orElse(null);
    io.promptunit.Optimize optimize = suite.anchor().getAnnotation(io.promptunit.Optimize.class);
    return loaded == null || optimize == null ? Optional.empty()
        : Optional.of(new OptimizationDescriptor(getUniqueId(), loaded, optimize, settings));
  }

  /** The examples selected for this model, in file order. */
  List<Example> selectedExamples() {
    return getChildren().stream()
        .filter(ExampleDescriptor.class::isInstance)
        .map(child -> ((ExampleDescriptor) child).example())
        .toList();
  }

  @Override
  public SkipResult shouldBeSkipped(RunContext context) {
    return context.matrix().flatMap(matrix -> matrix.skipReason(model)).map(SkipResult::skip)
        .orElse(SkipResult.doNotSkip());
  }

  @Override
  public RunContext before(RunContext context) {
    return context.matrix().map(matrix -> matrix.enter(this, context)).orElse(context);
  }

  @Override
  public void after(RunContext context) {
    SuiteExecution.finish(context);
  }
}
