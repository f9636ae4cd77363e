package io.promptunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promptunit.config.Configuration;
import io.promptunit.config.InvalidConfigurationException;
import io.promptunit.eval.ScoringSession;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.fixtures.valid.BoundedSuite;
import io.promptunit.fixtures.valid.ConfiguredModelSuite;
import io.promptunit.fixtures.valid.RouterSuite;
import io.promptunit.model.ModelConfigurationException;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.optimize.Optimization;
import io.promptunit.optimize.OptimizationResult;
import io.promptunit.testing.Models;
import io.promptunit.testing.Tickets;
import io.promptunit.testing.ScriptedChatModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one way from a configuration to a suite's session, shared by the engine, the Jupiter integration and plain Java. */
class PromptUnitTest {

  @TempDir
  Path cassettes;

  @Test
  void concurrencyComesFromTheSuiteThenTheSettingThenTheDefault() {
    assertThat(concurrency(RouterSuite.class, Map.of())).isEqualTo(8);
    assertThat(concurrency(RouterSuite.class, Map.of("promptunit.concurrency", "3"))).isEqualTo(3);
    Suite bounded = SuiteLoader.load(BoundedSuite.class);
    assertThat(concurrency(BoundedSuite.class, Map.of("promptunit.concurrency", "3"))).isEqualTo(bounded.options().concurrency().orElseThrow());
  }

  @Test
  void aSessionHasTheConfiguredConcurrencyCassetteAndOutputCapAndNamesItsModels() {
    List<String> named = new ArrayList<>();
    try (PromptUnit core = PromptUnit.start(configuration(Map.of("promptunit.concurrency", "2", "promptunit.max-output-tokens", "64")));
        ScoringSession session = ((SuiteStart.Ready) core.open(SuiteLoader.load(ConfiguredModelSuite.class), named::add)).session()) {
      assertThat(session.concurrency()).isEqualTo(2);
      assertThat(session.outputCap()).contains(64);
      assertThat(session.cassette()).map(c -> c.file()).contains(cassettes.resolve(ConfiguredModelSuite.class.getName() + ".jsonl"));
      assertThat(named).containsExactly("openai:gpt-4o-mini");
    }
  }

  @Test
  void noCassetteWhenCachingIsOff() {
    Models.use(ScriptedChatModel.answering(prompt -> "billing"));
    try (PromptUnit core = PromptUnit.start(configuration(Map.of("promptunit.cache", "off")));
        ScoringSession session = core.session(SuiteLoader.load(RouterSuite.class))) {
      assertThat(session.cassette()).isEmpty();
    }
  }

  /** The request of an example depends on the suite only: a cassette recorded with optimization on replays with it off. */
  @Test
  void theScoringRequestsOfAnOptimizedSuiteAreTheSameWithOptimizationOnOrOff() {
    Models.use(ScriptedChatModel.answering(prompt -> "P3"));
    Suite tickets = SuiteLoader.load(TicketsSuite.class);
    Optional<Integer> on;
    Optional<Integer> off;
    try (PromptUnit core = PromptUnit.start(configuration(Map.of()))) {
      on = core.outputCap(tickets);
      assertThat(core.optimizes(tickets)).isTrue();
    }
    try (PromptUnit core = PromptUnit.start(configuration(Map.of("promptunit.optimize", "false")))) {
      off = core.outputCap(tickets);
      assertThat(core.optimizes(tickets)).isFalse();
    }
    assertThat(on).isEqualTo(off).contains(512);
    try (PromptUnit core = PromptUnit.start(configuration(Map.of("promptunit.max-output-tokens", "100")))) {
      assertThat(core.outputCap(tickets)).as("the setting wins").contains(100);
      assertThat(core.outputCap(SuiteLoader.load(RouterSuite.class))).contains(100);
    }
    try (PromptUnit core = PromptUnit.start(configuration(Map.of()))) {
      assertThat(core.outputCap(SuiteLoader.load(RouterSuite.class))).as("no @Optimize, no setting: the provider's").isEmpty();
    }
  }

  @Test
  void noModelIsATypedOutcomeThatEachCallerWordsItself() {
    try (PromptUnit core = PromptUnit.start(Configuration.of(Map.of("promptunit.embedded", "false")))) {
      SuiteStart start = core.open(SuiteLoader.load(ConfiguredModelSuite.class), name -> {});

      assertThat(start).isInstanceOf(SuiteStart.NoModel.class);
      assertThat(((SuiteStart.NoModel) start).notRun("the suite cannot run"))
          .startsWith("No model configured, so the suite cannot run. Configure one of:");
      assertThatThrownBy(() -> core.session(SuiteLoader.load(ConfiguredModelSuite.class)))
          .isInstanceOf(ModelConfigurationException.class).hasMessageStartingWith("No model configured, so the suite cannot be scored.")
          .satisfies(e -> assertThat(((ModelConfigurationException) e).noModelConfigured()).isTrue());
    }
  }

  @Test
  void aConfigurationWithProblemsDoesNotStart() {
    assertThatThrownBy(() -> PromptUnit.start(Configuration.of(Map.of("promptunit.concurency", "4", "promptunit.timeout-seconds", "0"))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("The configuration has 2 problems")
        .hasMessageContaining("did you mean promptunit.concurrency?")
        .hasMessageContaining("promptunit.timeout-seconds=0");
  }

  /** The README's plain-Java example: load, open, optimize, all through the core; the cassette on (read-write), concurrency 4. */
  @Test
  void thePlainJavaWayRunsAnOptimizationThroughTheCore() {
    Models.use(ScriptedChatModel.answering(question -> {
      String meta = Tickets.optimizerAnswer(question);
      return meta.equals("I do not understand the request.") ? Tickets.taskAnswer(question) : meta;
    }));
    Configuration configuration = Configuration.of(Map.of("promptunit.cache-dir", cassettes.toString(), "promptunit.concurrency", "4",
        "promptunit.progress-seconds", "0"));
    OptimizationResult result;
    try (PromptUnit promptUnit = PromptUnit.start(configuration);
         ScoringSession session = promptUnit.session(TicketsSuite.class)) {
      Optimization optimization = promptUnit.optimization(session);
      assertThat(optimization.estimate().describe()).isNotBlank();
      result = optimization.run((round, progress) -> {});
    }

    assertThat(result.passedHeldOut()).as(result.stopDetail()).isTrue();
    assertThat(result.best().text()).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE);
    assertThat(cassettes.resolve(TicketsSuite.class.getName() + ".jsonl")).exists();
  }

  @Test
  void plainJavaHonoursTheOptimizationSwitchesAsTheEngineDoes() {
    Models.use(ScriptedChatModel.answering(Tickets::taskAnswer));
    try (PromptUnit off = PromptUnit.start(configuration(Map.of("promptunit.optimize", "false")));
        ScoringSession session = off.session(TicketsSuite.class)) {
      assertThatThrownBy(() -> off.optimization(session)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("optimization is off (promptunit.optimize=false)").hasMessageContaining("nothing was spent");
    }
    try (PromptUnit shard = PromptUnit.start(configuration(Map.of("promptunit.shard", "2/3")));
        ScoringSession session = shard.session(TicketsSuite.class)) {
      assertThatThrownBy(() -> shard.optimization(session)).hasMessageContaining("runs in shard 1 only");
    }
    try (PromptUnit dryRun = PromptUnit.start(configuration(Map.of("promptunit.optimize.dry-run", "true")));
        ScoringSession session = dryRun.session(TicketsSuite.class)) {
      Optimization optimization = dryRun.optimization(session);
      assertThat(optimization.dryRun()).isTrue();
      assertThatThrownBy(() -> optimization.run((round, progress) -> {})).hasMessageStartingWith("Dry run")
          .hasMessageContaining("spent nothing");
      assertThat(session.spend().total().calls()).isZero();
    }
  }

  private int concurrency(Class<?> anchor, Map<String, String> settings) {
    Models.use(ScriptedChatModel.answering(prompt -> "billing"));
    try (PromptUnit core = PromptUnit.start(configuration(settings)); ScoringSession session = core.session(SuiteLoader.load(anchor))) {
      return session.concurrency();
    }
  }

  /** Replay mode with a named model: sessions open without a key and no call can leave the machine. */
  private Configuration configuration(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(Map.of("promptunit.model", "openai:gpt-4o-mini", "promptunit.cache", "replay",
        "promptunit.cache-dir", cassettes.toString()));
    all.putAll(settings);
    return Configuration.of(all);
  }

  @Test
  void applyingFromPlainJavaInASuiteOfSeveralModelsWritesNothingWithoutTheModelNamed() {
    Suite matrix = SuiteLoader.load(io.promptunit.fixtures.matrix.MatrixSuite.class);
    try (PromptUnit core = PromptUnit.start(Configuration.of(Map.of("promptunit.optimize.apply", "true",
        "promptunit.embedded", "false")))) {
      // refused before the result is looked at: which model's prompt it is cannot be told here
      Applied applied = core.apply(matrix, null);

      assertThat(applied.message()).contains("the suite runs against several models",
          "promptunit.optimize.apply-model", "was left unchanged");
    }
  }
}
