package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.promptunit.fixtures.baseline.FortySuite;
import io.promptunit.testing.Models;
import io.promptunit.testing.ScriptedChatModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * The regression gate through the engine, as users run it: the read-write cassette on, concurrency 4,
 * repeats with a model whose answers vary, and a minPassRate that tolerates the failures.
 */
class BaselineGateTest {

  @TempDir
  Path cassettes;

  @AfterEach
  void clear() {
    Models.clear();
  }

  /**
   * Fails the listed items; every other item is flaky (wrong at its first call, then right), which
   * its repeats absorb. Each run is another model version, so its answers go in its own cassette
   * folder (a real prompt change would change the requests).
   */
  private EngineExecutionResults run(String baseline, Set<String> failing, String version) {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Models.use(ScriptedChatModel.answering(prompt -> {
      String item = prompt.replaceAll("(?s).*(item-\\d\\d).*", "$1");
      int call = calls.computeIfAbsent(item, k -> new AtomicInteger()).incrementAndGet();
      return failing.contains(item) || call == 1 ? "not ok" : "ok";
    }));
    Path folder = cassettes.resolve(version);
    try {
      Files.createDirectories(folder);
      Path file = cassettes.resolve(FortySuite.class.getName() + ".baseline.json");
      if (Files.exists(file)) {
        Files.copy(file, folder.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      EngineExecutionResults results = EngineRuns.run(Map.of("promptunit.cache", "read-write", "promptunit.cache-dir", folder.toString(),
          "promptunit.baseline", baseline), selectClass(FortySuite.class));
      Path written = folder.resolve(file.getFileName());
      if (baseline.equals("update")) {
        Files.copy(written, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return results;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Event gate(EngineExecutionResults results) {
    return results.testEvents().finished().stream()
        .filter(e -> e.getTestDescriptor().getUniqueId().getLastSegment().getType().equals(BaselineDescriptor.SEGMENT_TYPE))
        .findFirst().orElseThrow(() -> new AssertionError("no baseline test ran"));
  }

  private static TestExecutionResult result(Event event) {
    return event.getRequiredPayload(TestExecutionResult.class);
  }

  @Test
  void sixOfFortyFlippingToFailFailsTheGateListingThemWhileThePassRateStillPasses() throws IOException {
    EngineExecutionResults update = run("update", Set.of("item-01"), "v1");
    assertThat(result(gate(update)).getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    String written = Files.readString(cassettes.resolve(FortySuite.class.getName() + ".baseline.json"));
    assertThat(written).contains("\"item-01\" : \"fail\"", "\"item-02\" : \"pass\"").contains(FortySuite.class.getName());

    EngineExecutionResults worse = run("check", Set.of("item-01", "item-03", "item-04", "item-05", "item-06", "item-07", "item-08"), "v2");

    TestExecutionResult verdict = result(gate(worse));
    assertThat(verdict.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    assertThat(verdict.getThrowable().orElseThrow().getMessage())
        .contains("significantly worse than its baseline", "6 of 40 paired examples flipped from pass to fail, 0 from fail to pass", "p = 0.0156 < 0.05")
        .contains("item-03 (src/test/resources/fixtures/baseline/forty.jsonl:3) expected \"ok\", got \"not ok\"")
        .contains("item-08 (src/test/resources/fixtures/baseline/forty.jsonl:8)")
        .doesNotContain("item-01 (")
        .contains("-Dpromptunit.baseline=update");
    assertThat(worse.testEvents().finished().stream()
        .filter(e -> e.getTestDescriptor().getUniqueId().getLastSegment().getType().equals(PassRateDescriptor.SEGMENT_TYPE))
        .map(BaselineGateTest::result).map(TestExecutionResult::getStatus))
        .as("33 of 40 pass: above minPassRate 0.8, so only the gate sees the regression").containsExactly(TestExecutionResult.Status.SUCCESSFUL);
  }

  @Test
  void oneFlipOfFortyIsWithinNoise() {
    run("update", Set.of("item-01"), "v1");

    EngineExecutionResults noisy = run("check", Set.of("item-01", "item-02"), "v2");

    assertThat(result(gate(noisy)).getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    assertThat(noisy.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class).getKeyValuePairs().get("promptunit.baseline"))
        .filter(java.util.Objects::nonNull))
        .singleElement().asString().contains("within noise", "1 of 40 paired examples flipped from pass to fail", "p = 0.500 >= 0.05",
            "regressed: item-02").doesNotContain("improved");
  }

  @Test
  void examplesFlippingFromFailToPassAreReportedAsAnImprovementNotAsNoise() {
    run("update", Set.of("item-01", "item-02", "item-03", "item-04", "item-05", "item-06"), "v1");

    EngineExecutionResults better = run("check", Set.of(), "v2");

    assertThat(result(gate(better)).getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    assertThat(better.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class).getKeyValuePairs().get("promptunit.baseline"))
        .filter(java.util.Objects::nonNull))
        .singleElement().asString()
        .startsWith("better than the baseline")
        .contains("0 of 40 paired examples flipped from pass to fail, 6 from fail to pass",
            "improved: item-01, item-02, item-03, item-04, item-05, item-06", "-Dpromptunit.baseline=update")
        .doesNotContain("within noise", "regressed");
  }

  @Test
  void withoutABaselineThereIsNoGateAndAMalformedModeIsOneDiscoveryError() {
    EngineExecutionResults none = run("check", Set.of(), "v1");
    assertThat(none.testEvents().finished().stream()
        .filter(e -> e.getTestDescriptor().getUniqueId().getLastSegment().getType().equals(BaselineDescriptor.SEGMENT_TYPE))).isEmpty();

    assertThat(EngineRuns.discoveryIssues(Map.of("promptunit.baseline", "updat"), selectClass(FortySuite.class)))
        .singleElement().satisfies(issue -> assertThat(issue.message()).contains("promptunit.baseline=updat", "use one of check, update, off"));
  }

  @Test
  void aStricterSignificanceLetsSixFlipsThrough() {
    run("update", Set.of(), "v1");
    Models.use(ScriptedChatModel.answering(prompt -> prompt.matches("(?s).*item-0[1-6].*") ? "not ok" : "ok"));
    Path folder = cassettes.resolve("v2");
    try {
      Files.createDirectories(folder);
      Files.copy(cassettes.resolve(FortySuite.class.getName() + ".baseline.json"), folder.resolve(FortySuite.class.getName() + ".baseline.json"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    EngineExecutionResults strict = EngineRuns.run(Map.of("promptunit.cache", "read-write", "promptunit.cache-dir", folder.toString(),
        "promptunit.baseline.significance", "0.01"), selectClass(FortySuite.class));

    assertThat(result(gate(strict)).getStatus()).as("p = 1/64 is not below 0.01").isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
  }

  @Test
  void updatingFromAPartialRunUpdatesTheExamplesThatRan() throws IOException {
    run("update", Set.of("item-01"), "v1");
    Path file = cassettes.resolve(FortySuite.class.getName() + ".baseline.json");
    Models.use(ScriptedChatModel.answering(prompt -> "not ok"));
    Path folder = cassettes.resolve("v2");
    Files.createDirectories(folder);
    Files.copy(file, folder.resolve(file.getFileName()));

    EngineRuns.run(Map.of("promptunit.cache", "read-write", "promptunit.cache-dir", folder.toString(), "promptunit.baseline", "update",
        "test", "FortySuite#item-02+item-03"), selectClass(FortySuite.class));

    String written = Files.readString(folder.resolve(file.getFileName()));
    assertThat(written).contains("\"item-02\" : \"fail\"", "\"item-03\" : \"fail\"", "\"item-04\" : \"pass\"", "\"item-01\" : \"fail\"");
  }

  /** Checks a run in which every example passes against a hand-written baseline file. */
  private EngineExecutionResults checkAgainst(String baseline, java.util.function.Function<String, String> answers)
      throws IOException {
    Models.use(ScriptedChatModel.answering(answers));
    Path folder = cassettes.resolve("hand-written");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve(FortySuite.class.getName() + ".baseline.json"), baseline);
    return EngineRuns.run(Map.of("promptunit.cache-dir", folder.toString()), selectClass(FortySuite.class));
  }

  @Test
  void aBaselineWrittenForAnotherSuiteFailsTheGateNamingBothSuites() throws IOException {
    StringBuilder outcomes = new StringBuilder();
    for (int item = 1; item <= 40; item++) {
      outcomes.append(item == 1 ? "" : ", ").append(String.format("\"item-%02d\" : \"pass\"", item));
    }
    EngineExecutionResults results = checkAgainst("{ \"suite\" : \"com.acme.OtherPromptTest\", \"outcomes\" : { "
        + outcomes + " } }", prompt -> "ok");

    TestExecutionResult verdict = result(gate(results));
    assertThat(verdict.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    assertThat(verdict.getThrowable().orElseThrow().getMessage())
        .contains("was written for suite com.acme.OtherPromptTest", "not for " + FortySuite.class.getName())
        .contains("-Dpromptunit.baseline=update")
        .doesNotContain("same outcomes");
  }

  @Test
  void aBaselineSharingNoExampleWithTheRunSaysNothingCouldBeComparedAndFails() throws IOException {
    EngineExecutionResults results = checkAgainst("{ \"suite\" : \"" + FortySuite.class.getName()
        + "\", \"outcomes\" : { \"refund-1\" : \"pass\", \"crash-2\" : \"fail\" } }", prompt -> "ok");

    TestExecutionResult verdict = result(gate(results));
    assertThat(verdict.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    assertThat(verdict.getThrowable().orElseThrow().getMessage())
        .contains("Nothing could be compared", "none of the 40 examples of this run is in it", "crash-2, refund-1")
        .contains("-Dpromptunit.baseline=update")
        .doesNotContain("same outcomes");
  }

  @Test
  void aRunWhoseExamplesAllErroredComparesNothingAndIsNoPass() throws IOException {
    run("update", Set.of(), "v1");
    String baseline = Files.readString(cassettes.resolve(FortySuite.class.getName() + ".baseline.json"));

    EngineExecutionResults results = checkAgainst(baseline, prompt -> {
      throw new IllegalStateException("the model is down");
    });

    TestExecutionResult verdict = result(gate(results));
    assertThat(verdict.getStatus()).isEqualTo(TestExecutionResult.Status.ABORTED);
    assertThat(verdict.getThrowable().orElseThrow().getMessage())
        .contains("Nothing could be compared", "no example of this run passed or failed").doesNotContain("same outcomes");
  }

  @Test
  void updatingABaselineWrittenForAnotherSuiteReplacesItsOutcomesAndSaysSo() throws IOException {
    Models.use(ScriptedChatModel.answering(prompt -> "ok"));
    Path file = cassettes.resolve(FortySuite.class.getName() + ".baseline.json");
    Files.writeString(file, "{ \"suite\" : \"com.acme.OtherPromptTest\", \"outcomes\" : { \"refund-1\" : \"fail\" } }");

    EngineExecutionResults results = EngineRuns.run(Map.of("promptunit.cache-dir", cassettes.toString(),
        "promptunit.baseline", "update"), selectClass(FortySuite.class));

    assertThat(result(gate(results)).getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    assertThat(Files.readString(file)).contains(FortySuite.class.getName(), "\"item-01\" : \"pass\"")
        .doesNotContain("OtherPromptTest", "refund-1");
    assertThat(results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class).getKeyValuePairs()
            .get("promptunit.baseline"))
        .filter(java.util.Objects::nonNull))
        .singleElement().asString().contains("it held the outcomes of suite com.acme.OtherPromptTest, which were replaced");
  }
}
