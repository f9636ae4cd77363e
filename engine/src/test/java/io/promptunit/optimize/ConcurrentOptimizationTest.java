package io.promptunit.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptunit.Example;
import io.promptunit.Optimize;
import io.promptunit.config.Configuration;
import io.promptunit.eval.SuiteRun;
import io.promptunit.eval.ScoringSession;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.config.CacheMode;
import io.promptunit.model.Cassette;
import io.promptunit.model.RetryPolicy;
import io.promptunit.model.ModelClient;
import io.promptunit.model.PriceTable;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optimizer in the configuration users run: the read-write cassette on, several calls at once,
 * models whose answers vary between samples and whose latency varies between calls.
 */
class ConcurrentOptimizationTest {

  @TempDir
  Path cassettes;

  private ScriptedChatModel task = Tickets.taskModel();
  private ScriptedChatModel optimizer = Tickets.optimizerModel();

  private OptimizationResult optimize(Map<String, String> overrides, int concurrency, CacheMode cache) {
    Suite suite = SuiteLoader.load(TicketsSuite.class);
    Configuration settings = Configuration.of(new HashMap<>(overrides));
    OptimizeOptions options = OptimizeOptions.from(TicketsSuite.class.getAnnotation(Optimize.class), settings);
    RetryPolicy call = new RetryPolicy(0, 1);
    Optional<Cassette> cassette = cache == CacheMode.OFF
        ? Optional.empty()
        : Optional.of(Cassette.open(cassettes.resolve("tickets.jsonl"), cache, new PrintStream(OutputStream.nullOutputStream())));
    try (ScoringSession session = ScoringSession.builder(suite, new ModelClient(task, "openai:gpt-4o-mini", call))
        .concurrency(concurrency).prices(new PriceTable(settings)).cassette(cassette).build()) {
      return Optimization.prepare(session, options, Optional.of(new ModelClient(optimizer, "openai:gpt-4o", call)))
          .run((round, progress) -> {});
    }
  }

  /** An optimizer sampled at high temperature: every call words its answer a little differently. */
  private static ScriptedChatModel varyingOptimizer() {
    AtomicInteger samples = new AtomicInteger();
    return Tickets.optimizerModel(answer -> answer.replace("</instruction>", " (wording " + samples.incrementAndGet() + ")</instruction>"));
  }

  /** Models that take 0 to 3 ms per call, so concurrent calls finish in a different order every run. */
  private static ScriptedChatModel jittered(Function<String, String> answer) {
    return new ScriptedChatModel(request -> {
      try {
        Thread.sleep(ThreadLocalRandom.current().nextInt(4));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return answer.apply(ScriptedChatModel.userMessage(request));
    });
  }

  @Test
  void oproGetsEveryOneOfItsSamplesPerStepWithTheReadWriteCassetteOn() {
    optimizer = varyingOptimizer();

    OptimizationResult result = optimize(Map.of("promptunit.optimize.strategy", "OPRO"), 8, CacheMode.READ_WRITE);

    // 8 samples of the same question per step, each a real call with its own answer
    List<Candidate> firstStep = result.history().candidates().stream().filter(c -> c.round() == 1).toList();
    assertThat(firstStep).hasSize(8);
    assertThat(firstStep.stream().map(Candidate::text).distinct()).hasSize(8);
    assertThat(optimizer.calls()).isEqualTo(8 * result.history().rounds().size());
    assertThat(optimizer.requests().stream().map(Tickets::user).distinct()).hasSize(result.history().rounds().size());
  }

  @ParameterizedTest(name = "{0}: {2} identical questions in round 1 all reach the model")
  @CsvSource(delimiter = ';', value = {
      "PROTEGI; promptunit.optimize.errorsPerGradient=100; 4; Mistakes often have separate causes",
      "PE2; promptunit.optimize.batchSize=100; 4; <current_prompt>",
      "APE; promptunit.optimize.demos=100; 5; I gave a friend an instruction",
      "OPRO; promptunit.optimize.rounds=1; 8; Your task is to write an instruction"})
  void deliberateRepeatsOfAQuestionAreSamplesNotCacheHits(String strategy, String setting, int asks, String marker) {
    Map<String, String> settings = new HashMap<>(Map.of("promptunit.optimize.strategy", strategy, "promptunit.optimize.rounds", "1"));
    settings.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));

    optimize(settings, 4, CacheMode.READ_WRITE);

    List<String> asked = optimizer.requests().stream().map(Tickets::user).filter(q -> q.contains(marker)).toList();
    assertThat(asked).hasSize(asks);
    assertThat(asked.stream().distinct()).as("the repeats ask exactly the same question").hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PROTEGI", "PE2", "APE", "OPRO", "GEPA"})
  void aWarmReRunMakesNoCallsAndRepeatsTheRun(String strategy) throws IOException {
    optimizer = varyingOptimizer();
    OptimizationResult first = optimize(Map.of("promptunit.optimize.strategy", strategy), 8, CacheMode.READ_WRITE);
    assertThat(optimizer.calls()).isPositive();
    Set<Integer> samples = new HashSet<>();
    for (String line : Files.readAllLines(cassettes.resolve("tickets.jsonl"))) {
      JsonNode request = new ObjectMapper().readTree(line).get("request");
      if (request.get("model").asText().equals("openai:gpt-4o")) {
        samples.add(request.get("sample").asInt());
      }
    }
    assertThat(samples).as("every recorded optimizer answer is a sample of its round").allSatisfy(s -> assertThat(s).isGreaterThanOrEqualTo(1000));

    task = Tickets.taskModel();
    optimizer = varyingOptimizer();
    OptimizationResult again = optimize(Map.of("promptunit.optimize.strategy", strategy), 8, CacheMode.READ_WRITE);

    assertThat(task.calls()).isZero();
    assertThat(optimizer.calls()).isZero();
    assertThat(again.spend().calls()).isZero();
    assertThat(again.best().text()).isEqualTo(first.best().text());
    assertThat(again.history().candidates()).extracting(Candidate::text)
        .containsExactlyElementsOf(first.history().candidates().stream().map(Candidate::text).toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"PROTEGI", "PE2", "APE", "OPRO", "GEPA"})
  void theSameSeedGivesTheSameRunWhateverTheConcurrencyAndTheOrderCallsFinishIn(String strategy) {
    task = jittered(Tickets::taskAnswer);
    optimizer = jittered(Tickets::optimizerAnswer);
    // a beam as wide as the round's new candidates: best-arm selection pulls in waves as wide as the concurrency
    OptimizationResult oneAtATime = optimize(Map.of("promptunit.optimize.strategy", strategy, "promptunit.optimizer.concurrency", "1",
        "promptunit.optimize.beamSize", "4"), 1, CacheMode.OFF);
    int sequentialTaskCalls = task.calls();

    task = jittered(Tickets::taskAnswer);
    optimizer = jittered(Tickets::optimizerAnswer);
    OptimizationResult concurrent = optimize(Map.of("promptunit.optimize.strategy", strategy, "promptunit.optimizer.concurrency", "16",
        "promptunit.optimize.beamSize", "4"), 16, CacheMode.OFF);

    assertThat(concurrent.history().candidates()).isEqualTo(oneAtATime.history().candidates());
    assertThat(concurrent.history().rejections()).isEqualTo(oneAtATime.history().rejections());
    assertThat(concurrent.history().rounds()).extracting(History.Round::bestId, History.Round::bestSelection, History.Round::beam)
        .isEqualTo(oneAtATime.history().rounds().stream().map(r -> org.assertj.core.groups.Tuple.tuple(r.bestId(), r.bestSelection(), r.beam())).toList());
    assertThat(task.calls()).isEqualTo(sequentialTaskCalls);
    assertThat(Math.max(task.maxInFlight(), optimizer.maxInFlight())).as("calls overlapped").isGreaterThan(1);
  }

  @Test
  void optimizerCallsOfARoundRunConcurrently() {
    optimizer = jittered(Tickets::optimizerAnswer);

    optimize(Map.of("promptunit.optimize.strategy", "OPRO", "promptunit.optimize.rounds", "1"), 8, CacheMode.OFF);

    assertThat(optimizer.maxInFlight()).isGreaterThan(1);
  }

  @Test
  void theOptimizerNeverPaysForAnAnswerTheSuiteRunAlreadyHas() throws InterruptedException {
    Suite suite = SuiteLoader.load(TicketsSuite.class);
    OptimizeOptions options = OptimizeOptions.from(TicketsSuite.class.getAnnotation(Optimize.class), Configuration.of(Map.of()));
    RetryPolicy call = new RetryPolicy(0, 1);
    OptimizationResult result;
    try (ScoringSession session = ScoringSession.builder(suite, new ModelClient(task, "openai:gpt-4o-mini", call)).concurrency(8)
        .remember(true).build()) {
      SuiteRun run = new SuiteRun(session, suite.examples());
      for (Example example : suite.examples()) {
        run.await(example);
      }
      assertThat(task.calls()).isEqualTo(suite.examples().size());

      result = Optimization.prepare(session, options, Optional.of(new ModelClient(optimizer, "openai:gpt-4o", call)))
          .run((round, progress) -> {});
    }

    List<String> asked = task.requests().stream().map(Tickets::user).toList();
    assertThat(asked).as("no (prompt, example) pair is asked twice").doesNotHaveDuplicates();
    // measured by the suite run, reported without choosing by it
    assertThat(result.originalScores().heldOut()).isNotNull().isLessThan(1.0);
    assertThat(result.originalScores().train()).isNotNull();
  }

  @Test
  void theHistoryRecordsEachPhaseWithItsCallsAndCriticalPath() {
    OptimizationResult result = optimize(Map.of(), 4, CacheMode.OFF);

    List<History.Step> steps = result.history().steps();
    assertThat(steps).extracting(History.Step::phase).contains("score the checked-in prompt", "minibatch", "critique → edit → paraphrase");
    History.Step chains = steps.stream().filter(s -> s.phase().startsWith("critique")).findFirst().orElseThrow();
    assertThat(chains.kind()).isEqualTo("optimizer");
    assertThat(chains.levels()).as("critique, edit and paraphrase depend on each other").isEqualTo(3);
    assertThat(steps.stream().mapToLong(History.Step::calls).sum()).as(steps.toString()).isEqualTo(result.spend().calls());
  }

  @Test
  void apeDropsTheFramePassagesAnInstructionRepeats() {
    Pattern frameLine = Pattern.compile("Answer with the label only\\.");
    optimizer = Tickets.optimizerModel(answer -> answer.replace("</instruction>", " Answer with the label only.\n\nTicket: {{input}}</instruction>"));

    OptimizationResult result = optimize(Map.of("promptunit.optimize.strategy", "APE"), 4, CacheMode.OFF);

    assertThat(result.history().candidates()).allSatisfy(c -> {
      Matcher matcher = frameLine.matcher(c.text());
      int count = 0;
      while (matcher.find()) {
        count++;
      }
      assertThat(count).as(c.id() + ": " + c.text()).isEqualTo(1);
      assertThat(c.text().split(Pattern.quote("{{input}}"), -1)).hasSize(2);
    });
    assertThat(result.passedHeldOut()).isTrue();
  }

  @Test
  void anInstructionThatIsOnlyTheFrameIsRejectedWithAReason() {
    optimizer = Tickets.optimizerModel(answer -> answer.contains("<instruction>")
        ? "<instruction>Answer with the label only.</instruction>" : answer);

    OptimizationResult result = optimize(Map.of("promptunit.optimize.strategy", "APE", "promptunit.optimize.rounds", "1"), 4, CacheMode.OFF);

    assertThat(result.history().rejections()).isNotEmpty()
        .allSatisfy(r -> assertThat(r.reason()).isEqualTo("the instruction only repeats the prompt's fixed frame"));
  }
}
