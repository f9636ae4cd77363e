package io.promptunit.junit;

import io.promptunit.core.SupportedJUnit;
import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.PromptTest;
import io.promptunit.config.Configuration;
import io.promptunit.config.ConfigurationProblem;
import java.util.List;
import io.promptunit.core.PromptUnit;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.DiscoveryIssue;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.discovery.EngineDiscoveryRequestResolver;
import org.junit.platform.engine.support.hierarchical.HierarchicalTestEngine;

/**
 * The PromptUnit test engine: every {@link PromptTest} class is a suite container, every labeled
 * example one test. All behaviour lives in the descriptors.
 *
 * <p>It first checks the JUnit version ({@link SupportedJUnit}): this class and what it touches
 * before that check link only against API that every JUnit Platform 1.x has, so that on one too old
 * every suite fails with the reason and the fix instead of discovery failing on a missing class.
 * Then it checks that the JUnit jars are of one release ({@link MixedJUnit}).
 */
@API(status = INTERNAL, since = "0.1")
public final class PromptUnitTestEngine implements TestEngine {

  /**
   * The engine id; unique ids look like {@code
   * [engine:promptunit]/[suite:com.acme.RouterPromptTest]/[example:refund-1]}.
   */
  public static final String ENGINE_ID = "promptunit";

  private final Supplier<Optional<String>> junitProblem;
  private final Supplier<Optional<String>> junitMix;

  public PromptUnitTestEngine() {
    this(SupportedJUnit::platformProblem, SupportedJUnit::releaseMix);
  }

  /**
   * An engine that takes the given reasons (if any) for why this JUnit is too old and why its jars cannot run
   * together, as the tests need.
   */
  PromptUnitTestEngine(Supplier<Optional<String>> junitProblem, Supplier<Optional<String>> junitMix) {
    this.junitProblem = junitProblem;
    this.junitMix = junitMix;
  }

  @Override
  public String getId() {
    return ENGINE_ID;
  }

  @Override
  public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
    Optional<String> unsupported = junitProblem.get();
    if (unsupported.isPresent()) {
      return UnsupportedJUnitSuite.discover(request, uniqueId, UnsupportedJUnitSuite.Reason.tooOld(unsupported.get()));
    }
    Optional<String> mix = junitMix.get();
    if (mix.isPresent()) {
      return MixedJUnit.discover(request, uniqueId, mix.get());
    }
    return Discovery.discover(request, uniqueId);
  }

  @Override
  public void execute(ExecutionRequest request) {
    if (request.getRootTestDescriptor() instanceof PromptUnitEngineDescriptor) {
      new Execution().execute(request);
    } else {
      UnsupportedJUnitSuite.execute(request);
    }
  }

  /*
   * The resolver and the executor live in classes of their own: they link against Platform API newer
   * than the oldest JUnit the engine must load on (to say that it is too old), so they are loaded only
   * once the version is known to be supported.
   */

  private static final class Discovery {

    /** Reads the configuration once (its problems are discovery issues, before anything runs), then the suites. */
    static TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
      ConfigurationParameters parameters = request.getConfigurationParameters();
      Configuration configuration = Configuration.fromLauncher(parameters::get, parameters::keySet);
      List<ConfigurationProblem> problems = PromptUnit.problems(configuration);
      problems.forEach(problem -> request.getDiscoveryListener().issueEncountered(uniqueId,
          DiscoveryIssue.create(problem.error() ? DiscoveryIssue.Severity.ERROR : DiscoveryIssue.Severity.WARNING,
              problem.message())));
      boolean configurationFails = problems.stream().anyMatch(ConfigurationProblem::error);
      PromptUnitEngineDescriptor engine = new PromptUnitEngineDescriptor(uniqueId, configuration);
      EngineDiscoveryRequestResolver.<PromptUnitEngineDescriptor>builder()
          .addClassContainerSelectorResolver(SuiteResolver::isSuite)
          .addSelectorResolver(context -> new SuiteResolver(context.getClassNameFilter(), configuration,
              configurationFails, parameters,
              issue -> request.getDiscoveryListener().issueEncountered(uniqueId, issue)))
          .build()
          .resolve(request, engine);
      return engine;
    }
  }

  /** Runs the descriptors as JUnit's hierarchical engines do (each one a {@code Node}). */
  private static final class Execution extends HierarchicalTestEngine<RunContext> {

    @Override
    public String getId() {
      return ENGINE_ID;
    }

    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
      throw new UnsupportedOperationException("PromptUnitTestEngine discovers");
    }

    @Override
    protected RunContext createExecutionContext(ExecutionRequest request) {
      return RunContext.start(request, ((PromptUnitEngineDescriptor) request.getRootTestDescriptor()).configuration());
    }
  }
}
