package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.promptunit.fixtures.valid.RouterSuite;
import io.promptunit.model.ModelCallException;
import io.promptunit.testing.Models;
import io.promptunit.testing.Routers;
import io.promptunit.testing.ScriptedChatModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Cassettes through the engine: a warm re-run is free, replay never calls a model, broken entries are survived. */
class CacheTest {

  @TempDir
  Path cassettes;

  private ScriptedChatModel model = Routers.model();

  @AfterEach
  void clear() {
    Models.clear();
  }

  private EngineExecutionResults run(String mode, org.junit.platform.engine.DiscoverySelector selector) {
    Models.use(model);
    return EngineRuns.run(Map.of("promptunit.cache", mode, "promptunit.cache-dir", cassettes.toString()), selector);
  }

  private Path cassette() {
    return cassettes.resolve(RouterSuite.class.getName() + ".jsonl");
  }

  @Test
  void aSecondReadWriteRunMakesNoModelCallsAndGivesTheSameResults() {
    model = ScriptedChatModel.answering(prompt -> prompt.contains("password") ? "billing" : Routers.route(prompt));
    EngineExecutionResults first = run("read-write", selectClass(RouterSuite.class));
    int callsAfterFirst = model.calls();

    EngineExecutionResults second = run("read-write", selectClass(RouterSuite.class));

    assertThat(callsAfterFirst).isEqualTo(5);
    assertThat(model.calls()).isEqualTo(callsAfterFirst);
    assertThat(outcomes(second)).isEqualTo(outcomes(first));
    assertThat(second.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class).getKeyValuePairs())
        .filter(entries -> entries.containsKey("promptunit.cachedAnswers") && entries.containsKey("promptunit.passRate")))
        .singleElement().satisfies(entries -> {
          assertThat(entries).containsEntry("promptunit.cachedAnswers", "5").containsEntry("promptunit.calls", "0");
        });
  }

  /** A well-formed entry no request of the suite makes any more (an older prompt's). */
  private String addStaleEntry() throws IOException {
    String line = Files.readAllLines(cassette()).get(0);
    String staleKey = "0".repeat(64);
    Files.writeString(cassette(), line.replaceFirst("\"key\":\"[0-9a-f]{64}\"", "\"key\":\"" + staleKey + "\"") + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    return staleKey;
  }

  @Test
  void recordLeavesExactlyTheEntriesTheRunMade() throws IOException {
    run("read-write", selectClass(RouterSuite.class));
    String stale = addStaleEntry();
    assertThat(Files.readString(cassette())).contains(stale);

    run("record", selectClass(RouterSuite.class));

    assertThat(Files.readAllLines(cassette())).hasSize(5).isSorted().noneMatch(line -> line.contains(stale));
    assertThat(model.calls()).isEqualTo(10);
  }

  @Test
  void recordingSomeExamplesPrunesNothing() throws IOException {
    run("read-write", selectClass(RouterSuite.class));
    String stale = addStaleEntry();

    run("record", selectUniqueId(UniqueId.forEngine("promptunit").append("suite", RouterSuite.class.getName()).append("example", "crash")));

    assertThat(Files.readAllLines(cassette())).hasSize(6).anyMatch(line -> line.contains(stale));
  }

  @Test
  void cachePrunedropsStaleEntriesWithoutCallingAModel() throws IOException {
    run("read-write", selectClass(RouterSuite.class));
    String stale = addStaleEntry();
    int calls = model.calls();

    Models.use(model);
    EngineRuns.run(Map.of("promptunit.cache", "read-write", "promptunit.cache-dir", cassettes.toString(), "promptunit.cache-prune", "true"),
        selectClass(RouterSuite.class));

    assertThat(model.calls()).isEqualTo(calls);
    assertThat(Files.readAllLines(cassette())).hasSize(5).noneMatch(line -> line.contains(stale));
  }

  @Test
  void aMalformedPruneSwitchIsAClearErrorNotFalse() throws IOException {
    run("read-write", selectClass(RouterSuite.class));
    String stale = addStaleEntry();

    Models.use(model);
    EngineExecutionResults results = EngineRuns.run(Map.of("promptunit.cache", "read-write", "promptunit.cache-dir", cassettes.toString(),
        "promptunit.cache-prune", "ture"), selectClass(RouterSuite.class));

    assertThat(results.allEvents().failed().stream().map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage()))
        .anySatisfy(text -> assertThat(text).contains("promptunit.cache-prune=ture", "use true or false"));
    assertThat(Files.readString(cassette())).contains(stale);
  }

  @Test
  void aSuiteWhoseOptimizationDidNotRunIsNotPruned() throws IOException {
    Models.use(io.promptunit.testing.Tickets.taskModel());
    Map<String, String> off = Map.of("promptunit.cache", "read-write", "promptunit.cache-dir", cassettes.toString(), "promptunit.optimize", "false");
    EngineRuns.run(off, selectClass(io.promptunit.fixtures.optimize.TicketsSuite.class));
    Path tickets = cassettes.resolve(io.promptunit.fixtures.optimize.TicketsSuite.class.getName() + ".jsonl");
    String line = Files.readAllLines(tickets).get(0);
    String optimizerEntry = line.replaceFirst("\"key\":\"[0-9a-f]{64}\"", "\"key\":\"" + "1".repeat(64) + "\"");
    Files.writeString(tickets, optimizerEntry + "\n", java.nio.file.StandardOpenOption.APPEND);

    Map<String, String> record = new java.util.HashMap<>(off);
    record.put("promptunit.cache", "record");
    EngineRuns.run(record, selectClass(io.promptunit.fixtures.optimize.TicketsSuite.class));

    assertThat(Files.readString(tickets)).as("the optimization's answers survive a run that did not optimize").contains("1".repeat(64));
  }

  @Test
  void theCassetteIsSortedDiffFriendlyTextWithoutSecrets() throws IOException {
    run("read-write", selectClass(RouterSuite.class));

    List<String> lines = Files.readAllLines(cassette());
    assertThat(lines).hasSize(5).isSorted();
    assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("{\"key\":\"").contains("\"request\":", "\"response\":")
        .doesNotContain("Authorization", "Bearer", "api-key"));
    assertThat(Files.readString(cassette())).contains("I cannot reset my password");
  }

  @Test
  void replayAnswersFromTheCassetteAndAnUnrecordedRequestFailsOnlyItsExampleNamingIt() {
    UniqueId suite = UniqueId.forEngine("promptunit").append("suite", RouterSuite.class.getName());
    run("record", selectUniqueId(suite.append("example", "refund")));
    run("record", selectUniqueId(suite.append("example", "crash")));
    model = ScriptedChatModel.answering(prompt -> {
      throw new AssertionError("replay must never call the model");
    });

    EngineExecutionResults replay = run("replay", selectClass(RouterSuite.class));

    replay.testEvents().assertThatEvents()
        .haveExactly(1, event(test("refund"), finishedSuccessfully()))
        .haveExactly(1, event(test("crash"), finishedSuccessfully()))
        .haveExactly(1, event(test("password"), finishedWithFailure(instanceOf(ModelCallException.class), message(m ->
            m.contains("has no recorded answer for this request in " + cassette()) && m.contains("I cannot reset my password")
                && m.contains("-Dpromptunit.cache=read-write")))))
        .haveExactly(3, finishedWithFailure(instanceOf(ModelCallException.class)));
    assertThat(model.calls()).isZero();
  }

  @Test
  void replayNeedsNoApiKeyForAHostedModel() {
    EngineExecutionResults replay = EngineRuns.run(Map.of("promptunit.cache", "replay", "promptunit.cache-dir", cassettes.toString(),
        "promptunit.model", "openai:gpt-4o-mini", "promptunit.openai.base-url", "https://api.openai.com/v1"),
        selectClass(io.promptunit.fixtures.valid.ConfiguredModelSuite.class));

    // nothing is recorded, so every example fails with "no recorded answer" — and none with a missing key
    replay.testEvents().assertThatEvents().haveExactly(5, finishedWithFailure(message(m -> m.contains("has no recorded answer"))));
  }

  @Test
  void aCorruptOrPartialEntryIsIgnoredWithAWarningAndReRecorded() throws IOException {
    run("read-write", selectClass(RouterSuite.class));
    List<String> lines = Files.readAllLines(cassette());
    String truncated = lines.get(0).substring(0, lines.get(0).length() / 2);
    Files.write(cassette(), List.of(truncated, "not json at all", lines.get(1), lines.get(2), lines.get(3), lines.get(4)));

    EngineExecutionResults again = run("read-write", selectClass(RouterSuite.class));

    again.testEvents().assertStatistics(stats -> stats.succeeded(5));
    assertThat(model.calls()).isEqualTo(5 + 1);
    assertThat(Files.readAllLines(cassette())).hasSize(5).doesNotContain("not json at all", truncated);
  }

  @Test
  void aRequestRecordedTwiceWithDifferentAnswersWarnsNamingTheLinesUsesTheLastAndTheRunKeepsOne() throws IOException {
    run("read-write", selectClass(RouterSuite.class));
    List<String> lines = Files.readAllLines(cassette());
    int crash = 0;
    while (!lines.get(crash).contains("crash")) {
      crash++;
    }
    String changed = lines.get(crash).replace("\"text\":\"technical\"", "\"text\":\"billing\"");
    // a union merge of two recordings: the other recording's line lands at the end
    Files.writeString(cassette(), changed + "\n", java.nio.file.StandardOpenOption.APPEND);
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    EngineExecutionResults again;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      again = run("read-write", selectClass(RouterSuite.class));
    } finally {
      System.setErr(original);
    }

    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains(cassette() + " records one request",
        "twice with different answers, at lines " + (crash + 1) + " and 6; line 6 (the last in the file) is used");
    again.testEvents().assertThatEvents().haveExactly(1, event(test("crash"), finishedWithFailure(message(m ->
        m.contains("actual:   billing")))));
    assertThat(model.calls()).as("every answer replayed").isEqualTo(5);
    assertThat(Files.readAllLines(cassette())).hasSize(5).contains(changed).isSorted();
  }

  @Test
  void offNeitherReadsNorWrites() {
    run("off", selectClass(RouterSuite.class));
    run("off", selectClass(RouterSuite.class));

    assertThat(model.calls()).isEqualTo(10);
    assertThat(cassette()).doesNotExist();
  }

  private static List<String> outcomes(EngineExecutionResults results) {
    return results.testEvents().finished().stream()
        .map(e -> e.getTestDescriptor().getUniqueId().getLastSegment().getValue() + "="
            + e.getRequiredPayload(TestExecutionResult.class).getStatus())
        .sorted()
        .toList();
  }
}
