package io.promptunit.junit;

import io.promptunit.eval.SuiteRun;
import io.promptunit.suite.Suite;
import java.util.Locale;
import java.util.Optional;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The verdict of a suite that tolerates failures up to {@code minPassRate}: a test after the
 * examples that fails when the pass rate is below the bar. Being a test (not the suite container
 * failing) gives it an honest name in every report, e.g. "pass rate at least 90.0% (minPassRate)".
 */
final class PassRateDescriptor extends AbstractTestDescriptor implements Node<RunContext> {

  static final String SEGMENT_TYPE = "pass-rate";

  private final Suite suite;
  /** The model whose verdict this is, in a suite that runs against several. */
  private final Optional<String> model;

  PassRateDescriptor(UniqueId suiteId, Suite suite) {
    this(suiteId, suite, Optional.empty());
  }

  PassRateDescriptor(UniqueId parentId, Suite suite, Optional<String> model) {
    super(parentId.append(SEGMENT_TYPE, "minPassRate"), String.format(Locale.ROOT,
        "pass rate at least %s (minPassRate)", SuiteExecution.percent(suite.options().minPassRate())),
        ModelDescriptor.verdictSource(parentId, suite.anchor()));
    this.suite = suite;
    this.model = model;
  }

  @Override
  public Type getType() {
    return Type.TEST;
  }

  @Override
  public RunContext execute(RunContext context, DynamicTestExecutor executor) {
    Optional<String> abort = context.abortReason();
    if (abort.isPresent()) {
      throw new TestAbortedException(abort.get());
    }
    SuiteRun.Tally tally = context.suiteRun().orElseThrow().tally();
    double required = suite.options().minPassRate();
    String measured = String.format(Locale.ROOT, "%d of %d examples (%s)", tally.passed(), tally.total(),
        SuiteExecution.percent(tally.passRate()));
    if (tally.passRate() + 1e-9 < required) {
      throw new AssertionFailedError(String.format(Locale.ROOT,
          "Suite %s passed %s, below its required pass rate of %s (@PromptTest(minPassRate = %s)); "
              + "the failing examples are reported as aborted with their failures.",
          suite.anchor().getSimpleName() + model.map(m -> " with model " + m).orElse(""), measured,
          SuiteExecution.percent(required), required),
          SuiteExecution.percent(required), SuiteExecution.percent(tally.passRate()));
    }
    context.listener().reportingEntryPublished(this, ReportEntry.from(ReportEntryKeys.PASS_RATE, measured));
    return context;
  }
}
