package io.promptunit.junit;

import io.promptunit.Example;
import io.promptunit.eval.ExampleResult;
import io.promptunit.eval.SuiteRun;
import io.promptunit.report.SuiteReport;
import io.promptunit.suite.Suite;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.engine.support.hierarchical.Node;
import org.opentest4j.TestAbortedException;

/** One labeled example: a test whose source is its line in the examples file. */
final class ExampleDescriptor extends AbstractTestDescriptor implements Node<RunContext> {

  static final String SEGMENT_TYPE = "example";
  private final Example example;

  /**
   * @param examplesSource the editable examples file ({@link io.promptunit.suite.Resource#sourceFile()}),
   *     looked up once per suite rather than once per example
   */
  ExampleDescriptor(UniqueId uniqueId, Example example, Suite suite, Optional<Path> examplesSource) {
    super(uniqueId, displayName(example), source(example, suite, examplesSource));
    this.example = example;
  }

  Example example() {
    return example;
  }

  /**
   * The example's tags and its split ({@code split-test}) as JUnit tags, so that {@code --include-tag},
   * Surefire's {@code groups}/{@code excludedGroups} and IDE tag filters select examples. Tags JUnit
   * cannot take (blank, or with whitespace or one of {@code , ( ) & | !}) are left out.
   */
  @Override
  public Set<TestTag> getTags() {
    Set<TestTag> tags = new LinkedHashSet<>();
    for (String tag : example.tags()) {
      if (TestTag.isValid(tag.strip())) {
        tags.add(TestTag.create(tag.strip()));
      }
    }
    example.split().ifPresent(split -> tags.add(TestTag.create("split-" + split.name()
        .toLowerCase(java.util.Locale.ROOT))));
    return tags;
  }

  @Override
  public Type getType() {
    return Type.TEST;
  }

  @Override
  public RunContext execute(RunContext context, DynamicTestExecutor dynamicTestExecutor) throws Exception {
    Optional<String> abort = context.abortReason();
    if (abort.isPresent()) {
      context.suiteReport().ifPresent(report -> report.add(SuiteReport.Row.aborted(example, abort.get())));
      throw new TestAbortedException(abort.get());
    }
    SuiteRun run = context.suiteRun().orElseThrow();
    ExampleResult result = run.await(example);
    String model = context.taskModel().map(io.promptunit.model.ModelClient::name).orElseThrow();
    context.suiteReport().ifPresent(report -> {
      report.add(model, SuiteReport.Row.of(result, run.suite().options().toleratesFailures()));
      report.run(model).tokens(result.inputTokens(), result.outputTokens());
    });
    ExampleOutcome.publishEntries(this, result, context.listener());
    ExampleOutcome.raise(result, run.suite().options().toleratesFailures());
    return context;
  }

  private static String displayName(Example example) {
    return io.promptunit.suite.ExampleName.of(example);
  }

  /** @see io.promptunit.suite.ExampleName#oneLinePreview */
  static String oneLinePreview(String text) {
    return io.promptunit.suite.ExampleName.oneLinePreview(text);
  }

  private static TestSource source(Example example, Suite suite, Optional<Path> file) {
    FilePosition position = FilePosition.from(example.line());
    return file.<TestSource>map(path -> FileSource.from(path.toFile(), position))
        .orElseGet(() -> ClasspathResourceSource.from(suite.examplesFile().path(), position));
  }
}
