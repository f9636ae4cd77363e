package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.fixtures.optimize.UnlearnableSuite;
import io.promptunit.testing.Models;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code @Optimize} through the engine: truthful example results, one test per round, a held-out verdict and its files. */
class OptimizeEngineTest {

  @TempDir
  Path output;

  private final ScriptedChatModel task = Tickets.taskModel();
  private final ScriptedChatModel optimizer = Tickets.optimizerModel();

  /** One model for the suite: meta-prompts go to the optimizer script, everything else to the task script. */
  private final ChatModel both = new ChatModel() {
    @Override
    public ChatResponse doChat(ChatRequest request) {
      return ScriptedChatModel.systemMessage(request).contains("expert prompt engineer") ? optimizer.chat(request) : task.chat(request);
    }
  };

  @BeforeEach
  void useModels() {
    Models.use(both);
  }

  @AfterEach
  void clear() {
    Models.clear();
  }

  private EngineExecutionResults run(Class<?> suite, Map<String, String> extra) {
    java.util.HashMap<String, String> settings = new java.util.HashMap<>(extra);
    settings.put("promptunit.output-dir", output.toString());
    return EngineRuns.run(settings, selectClass(suite));
  }

  @Test
  void examplesReportTheCheckedInPromptAndTheOptimizationGoesGreenOnHeldOut() throws IOException {
    EngineExecutionResults results = run(TicketsSuite.class, Map.of());

    // the checked-in prompt still fails its security and outage examples: the report stays truthful
    results.testEvents().assertThatEvents()
        .haveExactly(16, event(test("example"), finishedWithFailure()))
        .haveExactly(8, event(test("example"), finishedSuccessfully()))
        .haveExactly(2, event(test("round"), finishedSuccessfully()))
        .haveExactly(1, event(test("verdict"), finishedSuccessfully()));
    assertThat(results.testEvents().succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()))
        .contains("round 1", "round 2")
        .contains("optimized prompt passes held-out test examples");

    Path folder = output.resolve(TicketsSuite.class.getName()).resolve("protegi");
    String best = Files.readString(folder.resolve("best.prompt"));
    JsonNode history = new ObjectMapper().readTree(folder.resolve("history.json").toFile());
    String summary = Files.readString(folder.resolve("summary.md"));
    assertThat(best).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE);
    String bestId = history.get("best").asText();
    JsonNode bestCandidate = null;
    for (JsonNode candidate : history.get("candidates")) {
      if (candidate.get("id").asText().equals(bestId)) {
        bestCandidate = candidate;
      }
    }
    assertThat(bestCandidate.get("text").asText() + "\n").isEqualTo(best);
    assertThat(history.get("passedHeldOut").asBoolean()).isTrue();
    assertThat(history.get("rounds")).hasSize(2);
    assertThat(summary).contains("passes the suite on the held-out test examples", "+ " + Tickets.SECURITY_RULE, "+ " + Tickets.OUTAGE_RULE,
        "Train vs held-out gap", "best (" + bestId + ")");
  }

  @Test
  void aPromptThatOnlyFitsTrainGivesAFailedVerdictSayingWhereTheFilesAre() {
    EngineExecutionResults results = run(UnlearnableSuite.class, Map.of());

    results.testEvents().assertThatEvents().haveExactly(1, event(test("verdict"), finishedWithFailure(message(m ->
        m.startsWith("The optimized prompt does not pass the suite on the held-out test examples")
            && m.contains("best.prompt") && m.contains("summary.md")
            // what apply mode did is said in words, never as a record's toString
            && !m.contains("Applied[")))));
  }

  @Test
  void applyModeReplacesTheSourcePromptAtomicallyAndKeepsTheOldOne(@TempDir Path sources) throws IOException {
    // apply mode writes to the prompt's source file; here the source is a copy in a temporary source tree
    Path prompt = Path.of("src/test/resources/fixtures/tickets.prompt");
    String original = Files.readString(prompt);
    try {
      EngineExecutionResults results = run(TicketsSuite.class, Map.of("promptunit.optimize.apply", "true"));

      results.testEvents().assertThatEvents().haveExactly(1, event(test("verdict"), finishedSuccessfully()));
      assertThat(Files.readString(prompt)).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE);
      try (var files = Files.list(prompt.getParent())) {
        Path backup = files.filter(p -> p.getFileName().toString().startsWith("tickets.prompt.") && p.toString().endsWith(".bak"))
            .findFirst().orElseThrow();
        assertThat(Files.readString(backup)).isEqualTo(original);
        Files.delete(backup);
      }
    } finally {
      Files.writeString(prompt, original);
    }
  }

  @Test
  void applyModeLeavesAReadOnlyPromptAloneAndTheVerdictSaysWhy() throws IOException {
    Path prompt = Path.of("src/test/resources/fixtures/tickets.prompt");
    String original = Files.readString(prompt);
    var permissions = Files.getPosixFilePermissions(prompt);
    Files.setPosixFilePermissions(prompt, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
    try {
      EngineExecutionResults results = run(TicketsSuite.class, Map.of("promptunit.optimize.apply", "true"));

      results.testEvents().assertThatEvents().haveExactly(1, event(test("verdict"), finishedWithFailure(message(m ->
          m.startsWith("The optimized prompt passes held-out") && m.contains("was not replaced: the file is read-only; make it writable")))));
      assertThat(Files.readString(prompt)).isEqualTo(original);
      try (var files = Files.list(prompt.getParent())) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("tickets.prompt.") && name.endsWith(".bak"));
      }
    } finally {
      Files.setPosixFilePermissions(prompt, permissions);
      Files.writeString(prompt, original);
    }
  }

  /**
   * A module in {@code root} whose build copied {@code custom/tickets.prompt} to {@code target/test-classes} from
   * each of {@code sources} (folders of the module); returns {@link io.promptunit.fixtures.optimize.CustomFolderSuite}
   * as a class of that module's test class path.
   */
  private static Class<?> customFolderSuite(Path root, String... sources) throws Exception {
    String original = Files.readString(Path.of("src/test/resources/fixtures/tickets.prompt"));
    Path classes = root.resolve("target/test-classes");
    Files.createDirectories(classes.resolve("custom"));
    Files.writeString(classes.resolve("custom/tickets.prompt"), original);
    for (String source : sources) {
      Files.createDirectories(root.resolve(source).resolve("custom"));
      Files.writeString(root.resolve(source).resolve("custom/tickets.prompt"), original);
    }
    String name = io.promptunit.fixtures.optimize.CustomFolderSuite.class.getName();
    ClassLoader parent = OptimizeEngineTest.class.getClassLoader();
    ClassLoader module = new java.net.URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, parent) {
      @Override
      protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
        if (!className.equals(name)) {
          return super.loadClass(className, resolve);
        }
        synchronized (getClassLoadingLock(className)) {
          Class<?> loaded = findLoadedClass(className);
          if (loaded == null) {
            try (var in = parent.getResourceAsStream(className.replace('.', '/') + ".class")) {
              byte[] bytes = in.readAllBytes();
              loaded = defineClass(className, bytes, 0, bytes.length);
            } catch (IOException e) {
              throw new ClassNotFoundException(className, e);
            }
          }
          return loaded;
        }
      }
    };
    return Class.forName(name, true, module);
  }

  @Test
  void applyModeWritesThePromptInACustomTestResourceFolderNotItsBuildCopy(@TempDir Path module) throws Exception {
    Class<?> suite = customFolderSuite(module, "src/test/prompts");
    Path source = module.resolve("src/test/prompts/custom/tickets.prompt");
    Path built = module.resolve("target/test-classes/custom/tickets.prompt");
    String original = Files.readString(built);

    EngineExecutionResults results = run(suite, Map.of("promptunit.optimize.apply", "true"));

    results.testEvents().assertThatEvents().haveExactly(1, event(test("verdict"), finishedSuccessfully()));
    assertThat(Files.readString(source)).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE);
    assertThat(Files.readString(built)).as("the build copy is the build's to refresh").isEqualTo(original);
    assertThat(results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class).getKeyValuePairs()
            .get("promptunit.verdict"))
        .filter(java.util.Objects::nonNull))
        .singleElement().asString().contains("Applied: " + source).doesNotContain("target/test-classes");
    try (var files = Files.list(source.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("tickets.prompt.") && n.endsWith(".bak"));
    }
  }

  @Test
  void applyModeRefusesToWriteABuildCopyWhoseSourceItCannotFindAndSaysWhy(@TempDir Path module) throws Exception {
    Class<?> suite = customFolderSuite(module);
    Files.createDirectories(module.resolve("src/test/prompts/custom"));
    Files.writeString(module.resolve("src/test/prompts/custom/tickets.prompt"), "an older prompt\n");
    Path built = module.resolve("target/test-classes/custom/tickets.prompt");
    String original = Files.readString(built);

    EngineExecutionResults results = run(suite, Map.of("promptunit.optimize.apply", "true"));

    results.testEvents().assertThatEvents().haveExactly(1, event(test("verdict"), finishedWithFailure(message(m ->
        m.startsWith("The optimized prompt passes held-out") && !m.contains("Applied")
            && m.contains("custom/tickets.prompt was not replaced: it was read from the build output " + built)
            && m.contains("no file of the module " + module + " has the same path and content")
            && m.contains("best.prompt")))));
    assertThat(Files.readString(built)).isEqualTo(original);
    assertThat(Files.readString(module.resolve("src/test/prompts/custom/tickets.prompt"))).isEqualTo("an older prompt\n");
    try (var files = Files.walk(module)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".bak"));
    }
  }

  @Test
  void applyModeRefusesWhenTwoFoldersOfTheModuleHoldThePrompt(@TempDir Path module) throws Exception {
    Class<?> suite = customFolderSuite(module, "src/test/prompts", "src/test/resources");

    EngineExecutionResults results = run(suite, Map.of("promptunit.optimize.apply", "true"));

    results.testEvents().assertThatEvents().haveExactly(1, event(test("verdict"), finishedWithFailure(message(m ->
        m.contains("was not replaced") && m.contains("src/test/prompts/custom/tickets.prompt")
            && m.contains("src/test/resources/custom/tickets.prompt")))));
  }

  @Test
  void aComparisonRunsEveryStrategyAndWritesOneTableTraceableToTheHistories() throws IOException {
    EngineExecutionResults results = run(io.promptunit.fixtures.optimize.ComparedSuite.class, Map.of());

    results.testEvents().assertThatEvents().haveExactly(5, event(test("verdict"), finishedSuccessfully()));
    Path folder = output.resolve(io.promptunit.fixtures.optimize.ComparedSuite.class.getName());
    JsonNode comparison = new ObjectMapper().readTree(folder.resolve("comparison.json").toFile());
    String table = Files.readString(folder.resolve("comparison.md"));
    assertThat(comparison.get("strategies")).hasSize(5);
    assertThat(Files.readString(folder.resolve("gepa").resolve("summary.md"))).contains("## Pareto front");
    for (JsonNode row : comparison.get("strategies")) {
      String strategy = row.get("strategy").asText();
      JsonNode history = new ObjectMapper().readTree(folder.resolve(strategy).resolve("history.json").toFile());
      assertThat(row.get("spend")).isEqualTo(history.get("spend"));
      assertThat(row.get("rounds").asInt()).isEqualTo(history.get("rounds").size());
      assertThat(row.get("best").asText()).isEqualTo(history.get("best").asText());
      assertThat(row.get("seconds")).isEqualTo(history.get("seconds"));
      JsonNode best = null;
      for (JsonNode candidate : history.get("candidates")) {
        if (candidate.get("id").asText().equals(history.get("best").asText())) {
          best = candidate;
        }
      }
      assertThat(row.get("heldOut")).isEqualTo(best.get("scores").get("heldOut"));
      assertThat(row.get("selection")).isEqualTo(best.get("scores").get("selection"));
      assertThat(row.get("train")).isEqualTo(best.get("scores").get("train"));
      assertThat(table).contains("| " + strategy + " | yes | " + row.get("best").asText() + " |")
          .contains(" | " + history.get("spend").get("calls").asLong() + " | " + (history.get("spend").get("inputTokens").asLong()
              + history.get("spend").get("outputTokens").asLong()) + " | ");
    }
  }

  @Test
  void optimizationCanBeSwitchedOff() {
    EngineExecutionResults results = run(TicketsSuite.class, Map.of("promptunit.optimize", "false"));

    results.testEvents().assertThatEvents().haveExactly(1,
        event(test("not-run"), skippedWithReason("optimization is off (promptunit.optimize=false)")));
    assertThat(optimizer.calls()).isZero();
  }

  @Test
  void aDryRunPrintsTheWorstCaseAndSpendsNothing() {
    EngineExecutionResults results = run(TicketsSuite.class, Map.of("promptunit.optimize.dry-run", "true"));

    results.testEvents().assertThatEvents().haveExactly(1, event(test("dry-run"),
        skippedWithReason(m -> m.startsWith("Dry run (promptunit.optimize.dry-run=true): the optimization spent nothing (the suite's examples were scored"
            + " as in any run). expected ") && m.contains("; worst case "))));
    assertThat(optimizer.calls()).isZero();
    assertThat(task.calls()).isEqualTo(24); // only the examples themselves
  }

  @Test
  void withTheDefaultCassetteTheOptimizerBuysNoAnswerTwiceAndReportsTheOriginalsHeldOutScore(@TempDir Path cassettes)
      throws IOException {
    Map<String, String> settings = Map.of("promptunit.cache", "read-write", "promptunit.cache-dir", cassettes.toString());

    EngineExecutionResults results = run(TicketsSuite.class, settings);

    results.testEvents().assertThatEvents().haveExactly(1, event(test("verdict"), finishedSuccessfully()));
    List<String> asked = task.requests().stream().map(r -> Tickets.user(r) + "|" + r.parameters().temperature()).toList();
    assertThat(asked).as("every task request reached the model once: the suite run's answers seeded the optimizer").doesNotHaveDuplicates();
    String summary = Files.readString(output.resolve(TicketsSuite.class.getName()).resolve("protegi").resolve("summary.md"));
    assertThat(summary).containsPattern("Original → best: train \\d+% → 100%, dev \\d+% → 100%, held-out \\d+% → 100%");
    assertThat(summary).doesNotContain("held-out — →");

    int taskCalls = task.calls();
    int optimizerCalls = optimizer.calls();
    EngineExecutionResults warm = run(TicketsSuite.class, settings);

    warm.testEvents().assertThatEvents().haveExactly(1, event(test("verdict"), finishedSuccessfully()));
    assertThat(task.calls()).as("a warm re-run replays every answer").isEqualTo(taskCalls);
    assertThat(optimizer.calls()).isEqualTo(optimizerCalls);
  }

  @Test
  void rerunningOneExampleDoesNotStartTheOptimization() {
    UniqueId example = UniqueId.forEngine("promptunit").append("suite", TicketsSuite.class.getName()).append("example", "sec-0");

    EngineExecutionResults results = EngineRuns.run(selectUniqueId(example));

    results.testEvents().assertStatistics(stats -> stats.started(1));
    assertThat(optimizer.calls()).isZero();
  }
}
