package io.promptunit.engine;

import io.promptunit.Example;
import io.promptunit.eval.ExampleResult;
import io.promptunit.eval.SuiteRun;
import io.promptunit.suite.Suite;
import java.nio.file.Path;
import java.util.Optional;
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
  private static final int PREVIEW = 60;

  private final Example example;

  ExampleDescriptor(UniqueId uniqueId, Example example, Suite suite) {
    super(uniqueId, displayName(example), source(example, suite));
    this.example = example;
  }

  Example example() {
    return example;
  }

  @Override
  public Type getType() {
    return Type.TEST;
  }

  @Override
  public RunContext execute(RunContext context, DynamicTestExecutor dynamicTestExecutor) throws Exception {
    Optional<String> abort = context.abortReason();
    if (abort.isPresent()) {
      throw new TestAbortedException(abort.get());
    }
    SuiteRun run = context.suiteRun().orElseThrow();
    ExampleResult result = run.await(example);
    ExampleOutcome.publishEntries(this, result, context.listener());
    ExampleOutcome.raise(result, run.suite().options().toleratesFailures());
    return context;
  }

  private static String displayName(Example example) {
    String input = example.variables().size() == 1 ? example.variables().values().iterator().next().toString() : preview(example);
    String oneLine = input.strip().replaceAll("\\s+", " ");
    String shown = oneLine.length() > PREVIEW ? oneLine.substring(0, PREVIEW - 1) + "…" : oneLine;
    return shown.isEmpty() ? example.id() : example.id() + ": " + shown;
  }

  private static String preview(Example example) {
    return example.variables().values().stream().map(Object::toString).reduce((a, b) -> a + " | " + b).orElse("");
  }

  private static TestSource source(Example example, Suite suite) {
    FilePosition position = FilePosition.from(example.line());
    Optional<Path> file = suite.examplesFile().sourceFile();
    return file.<TestSource>map(path -> FileSource.from(path.toFile(), position))
        .orElseGet(() -> ClasspathResourceSource.from(suite.examplesFile().path(), position));
  }
}
