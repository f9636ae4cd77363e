package io.promptunit.junit;

import io.promptunit.core.SupportedJUnit;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;

/**
 * The engine on a class path whose JUnit jars are of different releases ({@link SupportedJUnit#releaseMix()}): when
 * the request selects a suite, the run fails at discovery with one error that names each JUnit jar, its version and the
 * fix.
 *
 * <p>A discovery error, not a failing test as on a JUnit that is too old ({@link UnsupportedJUnitSuite}), because a mix
 * usually breaks Jupiter's discovery too (Jupiter 5.14 beside Platform 6 fails every class with a {@code
 * NoSuchMethodError}), and the launcher then stops the run before any engine executes, a failing suite included.
 * Surefire prints the first engine's critical discovery issues on the console; PromptUnit's jars usually come first on
 * such a class path (its dependencies are the ones that won), so the message shown is this one. Here the Platform is
 * 1.13 or newer (an older one is refused as too old first), which has discovery issues. The suites stay in the tree,
 * each refusing to run, for a launcher that would execute an engine despite an error.
 *
 * <p>A run that selects no suite (one Jupiter class in an IDE) is left alone: a Jupiter class that uses PromptUnit
 * fails with the same message from {@code PromptUnitExtension}, and other tests are none of PromptUnit's business.
 */
final class MixedJUnit {

  private MixedJUnit() {}

  static TestDescriptor discover(EngineDiscoveryRequest request, UniqueId engineId, String mix) {
    TestDescriptor engine = UnsupportedJUnitSuite.discover(request, engineId,
        new UnsupportedJUnitSuite.Reason("needs JUnit jars of one release", mix));
    if (!engine.getChildren().isEmpty()) {
      request.getDiscoveryListener().issueEncountered(engineId, DiscoveryIssue.create(DiscoveryIssue.Severity.ERROR,
          mix));
    }
    return engine;
  }
}
