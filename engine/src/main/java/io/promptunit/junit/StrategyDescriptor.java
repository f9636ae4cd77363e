package io.promptunit.junit;

import io.promptunit.optimize.Optimization;
import io.promptunit.optimize.OptimizationResult;
import io.promptunit.suite.Suite;
import java.util.Locale;
import java.util.Optional;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/** One strategy of a comparison: its rounds and its verdict. Nothing is applied in a comparison. */
final class StrategyDescriptor extends AbstractTestDescriptor implements Node<RunContext> {

  private final Suite suite;
  private final Optimization optimization;
  private OptimizationResult result;

  StrategyDescriptor(UniqueId parent, String strategy, Suite suite, Optimization optimization) {
    super(parent.append("strategy", strategy.toLowerCase(Locale.ROOT)), strategy);
    this.suite = suite;
    this.optimization = optimization;
  }

  @Override
  public Type getType() {
    return Type.CONTAINER;
  }

  /** Surefire's classname of this strategy's round and verdict tests: the suite class. */
  @Override
  public String getLegacyReportingName() {
    return suite.name();
  }

  @Override
  public boolean mayRegisterTests() {
    return true;
  }

  @Override
  public RunContext execute(RunContext context, DynamicTestExecutor executor) throws InterruptedException {
    result = StrategyRun.run(this, executor, suite, optimization, context, false);
    executor.awaitFinished();
    return context;
  }

  Optional<OptimizationResult> result() {
    return Optional.ofNullable(result);
  }
}
