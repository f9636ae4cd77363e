package io.promptunit.junit;

import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;
import org.opentest4j.TestAbortedException;

/**
 * Stands for an optimization that does not run, as a test with an honest name ("optimize (PROTEGI):
 * not run", "optimize (PROTEGI): dry run", "optimize (PROTEGI): the checked-in prompt already passes")
 * carrying the reason: skipped (switched off, a dry run), aborted (no model), failed (unusable
 * options) or passed (the checked-in prompt already passes: nothing to optimize). A container that
 * is skipped or fails itself shows up in Surefire as a test named {@code initializationError}.
 */
final class NotRunDescriptor extends AbstractTestDescriptor implements Node<RunContext> {

  enum Outcome { SKIPPED, ABORTED, FAILED, PASSED }

  private final Outcome outcome;
  private final String reason;
  private final RuntimeException failure;

  private NotRunDescriptor(UniqueId parent, String name, Outcome outcome, String reason, RuntimeException failure) {
    this(parent, "not-run", name, outcome, reason, failure);
  }

  private NotRunDescriptor(UniqueId parent, String segment, String name, Outcome outcome, String reason,
      RuntimeException failure) {
    super(parent.append(segment, outcome.name().toLowerCase(java.util.Locale.ROOT)), name);
    this.outcome = outcome;
    this.reason = reason;
    this.failure = failure;
  }

  static NotRunDescriptor skipped(UniqueId parent, String name, String reason) {
    return new NotRunDescriptor(parent, name + ": not run", Outcome.SKIPPED, reason, null);
  }

  static NotRunDescriptor aborted(UniqueId parent, String name, String reason) {
    return new NotRunDescriptor(parent, name + ": not run", Outcome.ABORTED, reason, null);
  }

  /** A dry run: skipped, named so, its reason the estimate. */
  static NotRunDescriptor dryRun(UniqueId parent, String name, String reason) {
    return new NotRunDescriptor(parent, "dry-run", name + ": dry run", Outcome.SKIPPED, reason, null);
  }

  /** The checked-in prompt already passes the suite: a passing test saying so, nothing spent. */
  static NotRunDescriptor alreadyPasses(UniqueId parent, String name, String reason) {
    return new NotRunDescriptor(parent, "already-passes", name + ": the checked-in prompt already passes",
        Outcome.PASSED, reason, null);
  }

  /** A suite whose files or declaration are broken: one failing test listing every problem. */
  static NotRunDescriptor brokenSuite(UniqueId parent, RuntimeException failure) {
    return new NotRunDescriptor(parent, "suite cannot run: its files or declaration have problems", Outcome.FAILED,
        failure.getMessage(), failure);
  }

  static NotRunDescriptor failed(UniqueId parent, String name, RuntimeException failure) {
    return new NotRunDescriptor(parent, name + ": cannot start", Outcome.FAILED, failure.getMessage(), failure);
  }

  @Override
  public Type getType() {
    return Type.TEST;
  }

  @Override
  public SkipResult shouldBeSkipped(RunContext context) {
    return outcome == Outcome.SKIPPED ? SkipResult.skip(reason) : SkipResult.doNotSkip();
  }

  @Override
  public RunContext execute(RunContext context, DynamicTestExecutor executor) {
    if (outcome == Outcome.PASSED) {
      context.listener().reportingEntryPublished(this, ReportEntry.from(ReportEntryKeys.VERDICT, reason));
      return context;
    }
    if (outcome == Outcome.ABORTED) {
      throw new TestAbortedException(reason);
    }
    throw failure;
  }
}
