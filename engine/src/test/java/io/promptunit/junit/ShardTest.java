package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.promptunit.fixtures.baseline.FortySuite;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.config.Shard;
import io.promptunit.testing.Models;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** promptunit.shard=i/n: every example in exactly one shard, optimization in shard 1 only, a bad value a clear failure. */
class ShardTest {

  @AfterEach
  void clear() {
    Models.clear();
  }

  private static List<String> examples(String shard) {
    TestDescriptor engine = EngineTestKit.engine(PromptUnitTestEngine.ENGINE_ID).selectors(selectClass(FortySuite.class))
        .configurationParameters(shard == null ? Map.of() : Map.of("promptunit.shard", shard)).discover().getEngineDescriptor();
    return engine.getDescendants().stream().filter(TestDescriptor::isTest)
        .filter(d -> d.getUniqueId().getLastSegment().getType().equals(ExampleDescriptor.SEGMENT_TYPE))
        .map(d -> d.getUniqueId().getLastSegment().getValue()).toList();
  }

  @Test
  void theShardsOfASuiteAreDisjointAndTogetherAreTheWholeSuite() {
    List<String> all = examples(null);
    List<String> union = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 1; i <= 3; i++) {
      List<String> shard = examples(i + "/3");
      assertThat(shard).as("shard %d/3 of 40 examples", i).hasSizeBetween(5, 25);
      shard.forEach(id -> assertThat(seen.add(id)).as("%s in two shards", id).isTrue());
      union.addAll(shard);
    }

    assertThat(all).hasSize(40);
    assertThat(union).containsExactlyInAnyOrderElementsOf(all);
    assertThat(examples("1/1")).isEqualTo(all);
  }

  @Test
  void anExamplesShardDependsOnlyOnItsSuiteAndId() {
    Shard second = new Shard(2, 5);
    assertThat(second.contains("com.acme.RouterTest", "refund-1")).isEqualTo(new Shard(2, 5).contains("com.acme.RouterTest", "refund-1"));
    long inSecond = java.util.stream.IntStream.range(0, 1000).filter(i -> second.contains("S", "id-" + i)).count();
    assertThat(inSecond).as("about a fifth of 1000").isBetween(150L, 250L);
  }

  @Test
  void malformedShardsAreClearErrors() {
    assertThat(problem("3/2")).contains("promptunit.shard=3/2").contains("1 <= i <= n");
    assertThat(problem("half")).contains("is not a shard").contains("e.g. 2/4");
    assertThat(problem("0/4")).contains("1 <= i <= n");
  }

  private static String problem(String shard) {
    return io.promptunit.core.PromptUnit.problems(io.promptunit.config.Configuration.of(java.util.Map.of("promptunit.shard", shard)))
        .get(0).message();
  }

  @Test
  void aMalformedShardIsOneDiscoveryErrorBeforeAnythingRuns() {
    assertThat(EngineRuns.discoveryIssues(Map.of("promptunit.shard", "2of4"), selectClass(FortySuite.class))).singleElement().satisfies(issue -> {
      assertThat(issue.severity()).isEqualTo(org.junit.platform.engine.DiscoveryIssue.Severity.ERROR);
      assertThat(issue.message()).contains("promptunit.shard=2of4", "is not a shard", "use i/n with 1 <= i <= n");
    });
  }

  @Test
  void anOptimizationRunsOnlyInShardOne() {
    Models.use(Tickets.taskModel());
    EngineExecutionResults second = EngineRuns.run(Map.of("promptunit.shard", "2/2"),
        selectClass(TicketsSuite.class));

    assertThat(second.allEvents().skipped().stream().map(e -> e.getRequiredPayload(String.class)))
        .anySatisfy(reason -> assertThat(reason).contains("an optimization runs in shard 1 only; this is shard 2/2"));
  }

  @Test
  void aMalformedReportSwitchStopsTheRunBeforeAnyExampleRuns() {
    Models.use(ScriptedChatModel.answering(prompt -> "ok"));
    EngineExecutionResults results = EngineRuns.run(Map.of("promptunit.report", "no"), selectClass(FortySuite.class));

    assertThat(results.testEvents().started().count()).isZero();
    assertThat(results.containerEvents().failed().stream().map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage()))
        .singleElement().asString().contains("promptunit.report=no", "use true or false");
  }
}
