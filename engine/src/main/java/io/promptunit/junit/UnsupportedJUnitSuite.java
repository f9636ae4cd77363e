package io.promptunit.junit;

import io.promptunit.core.SupportedJUnit;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.platform.commons.JUnitException;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.discovery.EngineDiscoveryRequestResolver;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * A selected suite on a JUnit older than PromptUnit supports (or whose jars mix releases, {@link
 * MixedJUnit}): a container with one test that fails with {@link SupportedJUnit}'s message. A
 * discovery error would be the obvious way to refuse, but on a Platform before 1.13 Surefire prints
 * only "TestEngine with ID 'promptunit' failed to discover tests" for it and hides the cause in a
 * {@code .dump} file; a failing test shows its message on the console, in the XML
 * report and in the IDE, and fails the build. The tree is run here too, by plain listener calls:
 * JUnit's hierarchical executor would need a {@link RunContext}, which needs the newer Platform.
 *
 * <p>Everything here uses only JUnit Platform API that 1.x has had since 1.5, so that it links
 * where the rest of the engine cannot.
 */
final class UnsupportedJUnitSuite extends AbstractTestDescriptor {

  private final Class<?> anchor;

  private UnsupportedJUnitSuite(UniqueId parent, Class<?> anchor, Reason reason) {
    super(parent.append(SuiteDescriptor.SEGMENT_TYPE, anchor.getName()), anchor.getSimpleName(),
        ClassSource.from(anchor));
    this.anchor = anchor;
    addChild(new Refusal(getUniqueId(), reason));
  }

  /**
   * Why the suites refuse to run: the name of each suite's one test and the message it fails with.
   *
   * @param testName what the test is called ({@code needs JUnit 5.13 or newer})
   * @param message {@link SupportedJUnit}'s message: what was found and how to fix the pom
   */
  record Reason(String testName, String message) {

    /** On a JUnit older than the minimum. */
    static Reason tooOld(String message) {
      return new Reason("needs JUnit " + SupportedJUnit.minimum() + " or newer", message);
    }
  }

  /** The engine's tree on an unsupported JUnit: every suite the request selects, each refusing to run. */
  static EngineDescriptor discover(EngineDiscoveryRequest request, UniqueId engineId, Reason reason) {
    EngineDescriptor engine = new EngineDescriptor(engineId, "PromptUnit");
    EngineDiscoveryRequestResolver.<EngineDescriptor>builder()
        .addClassContainerSelectorResolver(SuiteResolver::isSuite)
        .addSelectorResolver(context -> new Resolver(context.getClassNameFilter(), reason))
        .build()
        .resolve(request, engine);
    return engine;
  }

  /** Runs the tree {@link #discover} built: each suite's one test fails with the reason. */
  static void execute(ExecutionRequest request) {
    EngineExecutionListener listener = request.getEngineExecutionListener();
    TestDescriptor engine = request.getRootTestDescriptor();
    listener.executionStarted(engine);
    for (TestDescriptor suite : engine.getChildren()) {
      listener.executionStarted(suite);
      for (TestDescriptor test : suite.getChildren()) {
        listener.executionStarted(test);
        listener.executionFinished(test, TestExecutionResult.failed(new JUnitException(((Refusal) test).problem)));
      }
      listener.executionFinished(suite, TestExecutionResult.successful());
    }
    listener.executionFinished(engine, TestExecutionResult.successful());
  }

  @Override
  public Type getType() {
    return Type.CONTAINER;
  }

  /** Surefire's XML names the class, as for a suite that runs. */
  @Override
  public String getLegacyReportingName() {
    return anchor.getName();
  }

  /**
   * Suites from class selectors (packages and class path roots arrive as those), from a suite's method selectors (an
   * example selected by id) and from unique ids of earlier runs.
   */
  private static final class Resolver implements SelectorResolver {

    private final Predicate<String> classNameFilter;
    private final Reason reason;

    Resolver(Predicate<String> classNameFilter, Reason reason) {
      this.classNameFilter = classNameFilter;
      this.reason = reason;
    }

    @Override
    public Resolution resolve(ClassSelector selector, Context context) {
      Class<?> anchor;
      try {
        anchor = selector.getJavaClass();
      } catch (RuntimeException | LinkageError unloadable) {
        // a class that cannot load is no suite to refuse; the others still say why the run cannot go on
        return Resolution.unresolved();
      }
      if (!SuiteResolver.isSuite(anchor) || !classNameFilter.test(anchor.getName())) {
        return Resolution.unresolved();
      }
      return context.addToParent(parent -> Optional.of(new UnsupportedJUnitSuite(parent.getUniqueId(), anchor,
          reason)))
          .map(suite -> Resolution.match(Match.exact(suite)))
          .orElse(Resolution.unresolved());
    }

    /** {@code RouterPromptTest#refund-1} (one example, as an IDE or {@code -Dtest} selects it): its suite refuses. */
    @Override
    public Resolution resolve(MethodSelector selector, Context context) {
      return ReflectionSupport.tryToLoadClass(selector.getClassName()).toOptional()
          .filter(SuiteResolver::isSuite)
          .map(anchor -> Resolution.selectors(Set.of(DiscoverySelectors.selectClass(anchor))))
          .orElse(Resolution.unresolved());
    }

    @Override
    public Resolution resolve(UniqueIdSelector selector, Context context) {
      // [engine:promptunit]/[suite:com.acme.RouterPromptTest]/... : the suite refuses as a whole
      return selector.getUniqueId().getSegments().stream()
          .filter(segment -> segment.getType().equals(SuiteDescriptor.SEGMENT_TYPE))
          .findFirst()
          .flatMap(segment -> ReflectionSupport.tryToLoadClass(segment.getValue()).toOptional())
          .filter(SuiteResolver::isSuite)
          .map(anchor -> Resolution.selectors(Set.of(DiscoverySelectors.selectClass(anchor))))
          .orElse(Resolution.unresolved());
    }
  }

  /** The one test of a refused suite. */
  private static final class Refusal extends AbstractTestDescriptor {

    private final String problem;

    Refusal(UniqueId suite, Reason reason) {
      super(suite.append("junit-version", "unsupported"), reason.testName());
      this.problem = reason.message();
    }

    @Override
    public Type getType() {
      return Type.TEST;
    }
  }
}
