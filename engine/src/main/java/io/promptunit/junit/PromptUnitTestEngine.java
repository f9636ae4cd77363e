package io.promptunit.junit;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.PromptTest;
import io.promptunit.config.Configuration;
import io.promptunit.core.PromptUnit;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.discovery.EngineDiscoveryRequestResolver;
import org.junit.platform.engine.support.hierarchical.HierarchicalTestEngine;

/**
 * The PromptUnit test engine: every {@link PromptTest} class is a suite container, every labeled
 * example one test. All behaviour lives in the descriptors.
 */
@API(status = INTERNAL, since = "0.1")
public final class PromptUnitTestEngine extends HierarchicalTestEngine<RunContext> {

  /** The engine id; unique ids look like {@code [engine:promptunit]/[suite:com.acme.RouterPromptTest]/[example:refund-1]}. */
  public static final String ENGINE_ID = "promptunit";

  @Override
  public String getId() {
    return ENGINE_ID;
  }

  @Override
  public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
    // the configuration is read once, here: every problem is a discovery issue, before anything runs
    ConfigurationParameters parameters = request.getConfigurationParameters();
    Configuration configuration = Configuration.fromLauncher(parameters::get, parameters::keySet);
    PromptUnit.problems(configuration).forEach(problem -> request.getDiscoveryListener()
        .issueEncountered(uniqueId, DiscoveryIssue.create(DiscoveryIssue.Severity.ERROR, problem.message())));
    PromptUnitEngineDescriptor engine = new PromptUnitEngineDescriptor(uniqueId, configuration);
    EngineDiscoveryRequestResolver.<PromptUnitEngineDescriptor>builder()
        .addClassContainerSelectorResolver(SuiteResolver::isSuite)
        .addSelectorResolver(context -> new SuiteResolver(context.getClassNameFilter(), configuration, parameters,
            issue -> request.getDiscoveryListener().issueEncountered(uniqueId, issue)))
        .build()
        .resolve(request, engine);
    return engine;
  }

  @Override
  protected RunContext createExecutionContext(ExecutionRequest request) {
    return RunContext.start(request, ((PromptUnitEngineDescriptor) request.getRootTestDescriptor()).configuration());
  }
}
