package io.promptunit.optimize.gepa;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.Example;
import io.promptunit.Optimize;
import io.promptunit.check.CheckFailure;
import io.promptunit.check.Conversation;
import io.promptunit.config.Configuration;
import io.promptunit.eval.Attempt;
import io.promptunit.eval.ExampleResult;
import io.promptunit.eval.ScoringSession;
import io.promptunit.fixtures.optimize.TicketsSuite;
import io.promptunit.config.CacheMode;
import io.promptunit.model.Cassette;
import io.promptunit.model.ModelClient;
import io.promptunit.model.PriceTable;
import io.promptunit.model.RetryPolicy;
import io.promptunit.optimize.Candidate;
import io.promptunit.optimize.Demonstrations;
import io.promptunit.optimize.History;
import io.promptunit.optimize.Optimization;
import io.promptunit.optimize.OptimizationResult;
import io.promptunit.optimize.OptimizeOptions;
import io.promptunit.report.OptimizationReport;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.testing.ScriptedChatModel;
import io.promptunit.testing.Tickets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GEPA on the ticket fixtures: a literal-minded task model, and an optimizer that states one rule per reflection. */
class GEPATest {

  private ScriptedChatModel task = Tickets.taskModel();
  private ScriptedChatModel optimizer = Tickets.optimizerModel();

  /** Where the run records its answers (read-write, the default), if set. */
  private Path cassette;

  private OptimizationResult optimize(Map<String, String> overrides) {
    Suite suite = SuiteLoader.load(TicketsSuite.class);
    Map<String, String> values = new HashMap<>(overrides);
    values.put("promptunit.optimize.strategy", "gepa");
    Configuration settings = Configuration.of(values);
    OptimizeOptions options = OptimizeOptions.from(TicketsSuite.class.getAnnotation(Optimize.class), settings);
    RetryPolicy call = new RetryPolicy(0, 1);
    try (ScoringSession session = ScoringSession.builder(suite, new ModelClient(task, "openai:gpt-4o-mini", call))
        .concurrency(4).prices(new PriceTable(settings))
        .cassette(Optional.ofNullable(cassette).map(f -> Cassette.open(f, CacheMode.READ_WRITE, System.err)))
        .build()) {
      return Optimization.prepare(session, options, Optional.of(new ModelClient(optimizer, "openai:gpt-4o", call)))
          .run((round, progress) -> {});
    }
  }

  private static Example example(String id) {
    return new Example(id, Map.of("input", "ticket " + id), "P1", false, Optional.empty(), List.of(), Map.of(),
        "tickets.jsonl", 1);
  }

  private static ExampleResult result(Example example, boolean passed) {
    Attempt attempt = new Attempt(Optional.empty(),
        passed ? List.of() : List.of(new CheckFailure("equals", "the output differs", "P1", "P3")), Optional.empty());
    return new ExampleResult(example, new Conversation(Optional.empty(), example.input()), List.of(attempt), 1);
  }

  /** Each candidate's results on {@code examples}: a row of 1 (passed) and 0 per candidate. */
  private static List<List<ExampleResult>> results(List<Example> examples, String... rows) {
    List<List<ExampleResult>> results = new ArrayList<>();
    for (String row : rows) {
      results.add(IntStream.range(0, examples.size())
          .mapToObj(e -> result(examples.get(e), row.charAt(e) == '1')).toList());
    }
    return results;
  }

  private static List<Candidate> candidates(int n) {
    List<Candidate> candidates = new ArrayList<>(List.of(Candidate.original("prompt 0 {{input}}")));
    for (int i = 1; i < n; i++) {
      candidates.add(Candidate.made(i, "prompt " + i + " {{input}}", Optional.of("c0"), "reflection", "", 1));
    }
    return candidates;
  }

  @Test
  void theOutputShownAndItsFeedbackComeFromTheSameAttempt() {
    Example example = example("dev-0");
    // two repeats, both required: the first passes ("P1"), the second fails ("P3")
    Attempt passed = new Attempt(Optional.of(new io.promptunit.model.Reply("P1", 1, 1, 1, 1)), List.of(),
        Optional.empty());
    Attempt failed = new Attempt(Optional.of(new io.promptunit.model.Reply("P3", 1, 1, 1, 1)),
        List.of(new CheckFailure("equals", "the output differs", "P1", "P3")), Optional.empty());
    ExampleResult result = new ExampleResult(example, new Conversation(Optional.empty(), example.input()),
        List.of(passed, failed), 2);

    assertThat(Questions.feedback(List.of(result))).contains("model output: P3\n", "result: failed",
        "feedback from equals: the output differs (expected: P1; actual: P3)").doesNotContain("model output: P1");
    assertThat(io.promptunit.optimize.StrategyText.errors(List.of(result)))
        .contains("model output: P3\n", "why it failed: the output differs").doesNotContain("model output: P1");
  }

  @Test
  void theFeedbackOnAnExampleIsCutToTheLengthTheEstimateCountsHoweverManyChecksFail() {
    Example example = example("dev-0");
    String longText = "x".repeat(600);
    List<CheckFailure> failures = IntStream.range(0, 4)
        .mapToObj(i -> new CheckFailure("check " + i, longText, longText, longText)).toList();
    Attempt failed = new Attempt(Optional.of(new io.promptunit.model.Reply("P3", 1, 1, 1, 1)), failures,
        Optional.empty());
    ExampleResult result = new ExampleResult(example, new Conversation(Optional.empty(), example.input()),
        List.of(failed), 1);

    String text = Questions.feedback(List.of(result));
    String feedback = text.substring(text.indexOf("result: failed\n") + 15, text.indexOf("</example 1>"));
    assertThat(feedback).startsWith("feedback from check 0: ");
    assertThat(feedback.length()).isLessThanOrEqualTo(io.promptunit.optimize.StrategyText.MAX_FEEDBACK + 2);
    assertThat(io.promptunit.optimize.StrategyText.FEEDBACK_TOKENS)
        .isGreaterThanOrEqualTo(3L * feedback.length() - 3);
  }

  @Test
  void theFrontKeepsACandidateThatAlonePassesSomeExamplesHoweverLowItsAverage() {
    List<Example> dev = IntStream.range(0, 8).mapToObj(i -> example("dev-" + i)).toList();
    // c1 is best on average (6 of 8); c2 passes only 2, but dev-7 no other candidate passes; c3 is dominated by c1
    Front front = Front.of(candidates(4), dev, results(dev, "00000000", "11111100", "00000011", "11000000"));

    assertThat(front.members()).extracting(m -> m.candidate().id()).containsExactly("c1", "c2");
    assertThat(front.members().get(1).wins()).containsExactly("dev-6", "dev-7");
    assertThat(front.unsolved()).isEmpty();
    // drawn in proportion to the examples each is best on: 6 and 2
    Random random = new Random(7);
    long c2 = IntStream.range(0, 4000).filter(i -> front.sample(random).candidate().id().equals("c2")).count();
    assertThat(c2).isBetween(850L, 1150L);
  }

  @Test
  void equalCandidatesKeepTheOlderAndUnsolvedExamplesAreNamed() {
    List<Example> dev = IntStream.range(0, 3).mapToObj(i -> example("dev-" + i)).toList();
    Front front = Front.of(candidates(3), dev, results(dev, "000", "110", "110"));

    assertThat(front.members()).extracting(m -> m.candidate().id()).containsExactly("c1");
    assertThat(front.unsolved()).containsExactly("dev-2");
    assertThat(front.describe()).isEqualTo("c1 best on 2 (dev-0, dev-1); passed by none: dev-2");
  }

  @Test
  void aMergedCandidateIsNotMergedAgainWithItsSecondParent() {
    List<Example> dev = IntStream.range(0, 4).mapToObj(i -> example("dev-" + i)).toList();
    List<Candidate> candidates = new ArrayList<>(candidates(3));
    // c3 merges c1 (its recorded parent) and c2; c2 and c3 are each best on an example the other fails
    candidates.add(Candidate.made(3, "prompt 3 {{input}}", Optional.of("c1"), "merge", "", 2));
    Front front = Front.of(candidates, dev, results(dev, "0000", "1000", "0110", "1101"));
    assertThat(front.members()).extracting(m -> m.candidate().id()).containsExactly("c2", "c3");
    java.util.function.Function<String, Optional<Candidate>> byId =
        id -> candidates.stream().filter(c -> c.id().equals(id)).findFirst();

    assertThat(front.mergePair(byId, c -> c.id().equals("c3") ? List.of("c1", "c2") : c.parent().stream().toList(),
        java.util.Set.of())).isEmpty();
    // with its first parent only, the pair would be merged again
    assertThat(front.mergePair(byId, c -> c.parent().stream().toList(), java.util.Set.of())).isPresent();
  }

  @Test
  void aCopyOfAnExistingCandidateIsRejectedBeforeScoringAndEveryAcceptedPromptBecomesACandidate(
      @TempDir Path dir) {
    cassette = dir.resolve("cassette.jsonl");
    String original = SuiteLoader.load(TicketsSuite.class).prompt().text();
    String withRule = original.replace("P1, P2 or P3.", "P1, P2 or P3. " + Tickets.SECURITY_RULE);
    // whatever the parent, the reflection writes the same prompt: the checked-in one with the security rule
    optimizer = ScriptedChatModel.answering(question -> "<lesson>Security first.</lesson><prompt>" + withRule
        + "</prompt>");

    OptimizationResult result = optimize(Map.of("promptunit.optimize.rounds", "3",
        "promptunit.optimize.maxMerges", "0"));

    long accepted = result.history().events().stream().filter(e -> e.kind().equals("reflection"))
        .filter(e -> Boolean.TRUE.equals(e.data().get("accepted"))).count();
    assertThat(result.history().candidates()).filteredOn(c -> c.origin().equals("reflection")).hasSize(1)
        .allSatisfy(c -> assertThat(c.text()).isEqualTo(withRule));
    assertThat(accepted).isEqualTo(1);
    assertThat(result.history().rejections()).anySatisfy(r -> assertThat(r.reason()).startsWith("a copy of "));
  }

  @Test
  void aMergeCombinesTwoCandidatesFixesAndThePromptPassesHeldOut() {
    OptimizationResult result = optimize(Map.of());

    assertThat(result.passedHeldOut()).isTrue();
    assertThat(result.best().text()).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE, "{{input}}", Tickets.FROZEN);
    Candidate merge = result.history().candidates().stream().filter(c -> c.origin().equals("merge")).findFirst()
        .orElseThrow(() -> new AssertionError("no merge in " + result.history().events()));
    assertThat(merge.text()).contains(Tickets.SECURITY_RULE, Tickets.OUTAGE_RULE);
    assertThat(merge.rationale()).startsWith("merge of ");
    History.Event event = result.history().events().stream().filter(e -> e.kind().equals("merge")).findFirst()
        .orElseThrow();
    Candidate first = result.history().candidate((String) event.data().get("parent")).orElseThrow();
    Candidate second = result.history().candidate((String) event.data().get("with")).orElseThrow();
    // each parent had one of the two fixes, the merge has both
    assertThat(List.of(first.text().contains(Tickets.SECURITY_RULE), second.text().contains(Tickets.SECURITY_RULE)))
        .containsExactlyInAnyOrder(true, false);
    assertThat(List.of(first.text().contains(Tickets.OUTAGE_RULE), second.text().contains(Tickets.OUTAGE_RULE)))
        .containsExactlyInAnyOrder(true, false);
  }

  @Test
  void theHistoryRecordsTheFrontAtEachStepAndEveryParentChoiceAndReflection() throws IOException {
    OptimizationResult result = optimize(Map.of());
    List<History.Event> events = result.history().events();

    assertThat(events).filteredOn(e -> e.kind().equals("front")).extracting(History.Event::round)
        .containsExactlyElementsOf(IntStream.rangeClosed(0, result.history().rounds().size()).boxed().toList());
    assertThat(events).filteredOn(e -> e.kind().equals("parent")).hasSize(2 * result.history().rounds().size());
    List<History.Event> asked = events.stream().filter(e -> e.kind().equals("reflection"))
        .filter(e -> !e.data().containsKey("skipped")).toList();
    assertThat(asked).allSatisfy(e -> assertThat(e.data()).containsKeys("parent", "examples", "accepted")
        .satisfiesAnyOf(d -> assertThat(d).containsKeys("before", "after"), d -> assertThat(d).containsKey("refused")));
    // a parent that passes its whole minibatch is not reflected on: one question per reflection recorded as asked
    assertThat(optimizer.requests().stream().map(Tickets::user)
        .filter(q -> q.contains("Read the feedback on each example"))).hasSize(asked.size());
  }

  @Test
  void acceptanceRejectsAMutationThatLowersTheMinibatchScore() {
    task = ScriptedChatModel.answering(prompt -> prompt.contains("Think twice.") ? "I am not sure" : Tickets.taskAnswer(prompt));
    optimizer = ScriptedChatModel.answering(question -> {
      String prompt = io.promptunit.optimize.Tagged.all(question, "prompt").get(0);
      return "<lesson>Be careful.</lesson><prompt>" + prompt.replace("{{input}}", "{{input}}\nThink twice.") + "</prompt>";
    });

    OptimizationResult result = optimize(Map.of("promptunit.optimize.rounds", "1"));

    assertThat(result.history().candidates()).extracting(Candidate::id).containsExactly("c0");
    // both reflections write the same prompt: the second is refused as a copy of the first, unscored
    assertThat(result.history().rejections()).extracting(History.Rejection::reason)
        .containsExactlyInAnyOrder("not better on its minibatch", "a copy of a new reflection prompt of this round");
    List<History.Event> reflections = result.history().events().stream().filter(e -> e.kind().equals("reflection"))
        .toList();
    assertThat(reflections).isNotEmpty().allSatisfy(e -> assertThat(e.data().get("accepted")).isEqualTo(false));
    assertThat(reflections).filteredOn(e -> e.data().containsKey("after")).hasSize(1)
        .anySatisfy(e -> assertThat((Long) e.data().get("after"))
        .isLessThan((Long) e.data().get("before")));
  }

  @Test
  void theLabelSetAndTheChecksFeedbackAppearInTheMetaPrompts() {
    optimize(Map.of());

    List<String> questions = optimizer.requests().stream().map(Tickets::user).toList();
    assertThat(questions).filteredOn(q -> q.contains("Read the feedback on each example")).isNotEmpty()
        .allSatisfy(q -> assertThat(q).contains("Every expected output is exactly one of these 3 labels: \"P1\", \"P2\", \"P3\".",
            "result: failed", "expected output: ", "feedback from "));
    assertThat(questions).filteredOn(q -> q.contains("Two versions of a prompt")).isNotEmpty()
        .allSatisfy(q -> assertThat(q).contains("Every expected output is exactly one of these 3 labels: \"P1\", \"P2\", \"P3\"."));
  }

  @Test
  void demonstrationsQuoteTrainExamplesOnlyAndTheSummarySaysHowMany(@TempDir Path out) throws IOException {
    task = ScriptedChatModel.answering(Tickets::fewShotTaskAnswer);
    optimizer = ScriptedChatModel.answering(question -> "<lesson>No idea.</lesson><prompt>"
        + io.promptunit.optimize.Tagged.all(question, "prompt").get(0) + "\nBe accurate.</prompt>");

    OptimizationResult result = optimize(Map.of("promptunit.optimize.demonstrations", "4"));

    List<Candidate> demonstrated = result.history().candidates().stream()
        .filter(c -> c.text().contains(Demonstrations.HEADING)).toList();
    assertThat(demonstrated).isNotEmpty();
    for (Candidate candidate : result.history().candidates()) {
      for (Example heldBack : result.splits().dev()) {
        assertThat(candidate.text()).doesNotContain(heldBack.input());
      }
      for (Example heldBack : result.splits().test()) {
        assertThat(candidate.text()).doesNotContain(heldBack.input());
      }
    }
    long quoted = result.splits().train().stream().filter(e -> demonstrated.get(0).text().contains(e.input())).count();
    assertThat(quoted).isBetween(1L, 4L);
    assertThat(result.best().text()).contains(Demonstrations.HEADING);
    String summary = Files.readString(OptimizationReport.write(out, "Tickets", "fixtures/tickets.prompt", result).summary());
    long bestQuotes = result.splits().train().stream().filter(e -> result.best().text().contains(e.input())).count();
    assertThat(summary).contains("The best prompt quotes " + bestQuotes + " of 12 train examples",
        "It quotes train inputs verbatim", "## Pareto front");
  }

  /** GEPA as configured, recording the context it is given, to ask it for each round's worst case afterwards. */
  private static final class Recording implements io.promptunit.optimize.PromptStrategy {
    private final io.promptunit.optimize.PromptStrategy gepa;
    private io.promptunit.optimize.OptimizationContext context;

    Recording(io.promptunit.optimize.PromptStrategy gepa) {
      this.gepa = gepa;
    }

    @Override
    public String name() {
      return gepa.name();
    }

    @Override
    public boolean backtracks() {
      return gepa.backtracks();
    }

    @Override
    public boolean scoresEveryCandidate() {
      return gepa.scoresEveryCandidate();
    }

    @Override
    public int maxNewPerParent() {
      return gepa.maxNewPerParent();
    }

    @Override
    public List<io.promptunit.optimize.Proposal> propose(List<Candidate> parents,
        io.promptunit.optimize.OptimizationContext context, int round) {
      this.context = context;
      return gepa.propose(parents, context, round);
    }

    @Override
    public WorstCase worstCase(int parents, int round, io.promptunit.optimize.OptimizationContext context) {
      return gepa.worstCase(parents, round, context);
    }

    @Override
    public Optional<String> afterRound(io.promptunit.optimize.OptimizationContext context, int round) {
      return gepa.afterRound(context, round);
    }
  }

  /** A run of GEPA as configured with {@code overrides}, its strategy recording the context it was given. */
  private OptimizationResult recorded(Recording[] strategy, Map<String, String> overrides, Path dir) {
    Suite suite = SuiteLoader.load(TicketsSuite.class);
    Map<String, String> values = new HashMap<>(overrides);
    values.put("promptunit.optimize.strategy", "gepa");
    Configuration settings = Configuration.of(values);
    OptimizeOptions o = OptimizeOptions.from(TicketsSuite.class.getAnnotation(Optimize.class), settings);
    strategy[0] = new Recording(o.strategy());
    OptimizeOptions options = new OptimizeOptions(strategy[0], o.frozen(), o.rounds(), o.beamSize(), o.patience(),
        o.seed(), o.metaTemperature(), o.selection(), o.selectionBudget(), o.minibatchSize(), o.trainFraction(),
        o.devFraction(), o.caps(), o.maxOutputTokens(), o.compare(), o.optimizerConcurrency(), o.progressSeconds(),
        o.fit());
    RetryPolicy call = new RetryPolicy(0, 1);
    try (ScoringSession session = ScoringSession.builder(suite, new ModelClient(task, "openai:gpt-4o-mini", call))
        .concurrency(4).prices(new PriceTable(settings))
        .cassette(Optional.of(Cassette.open(dir.resolve("cassette.jsonl"), CacheMode.READ_WRITE, System.err)))
        .build()) {
      return Optimization.prepare(session, options, Optional.of(new ModelClient(optimizer, "openai:gpt-4o", call)))
          .run((round, progress) -> {});
    }
  }

  /** Task calls of {@code round} at most: its scoring, every new prompt on the selection split, a held-out measure. */
  private static long worstTaskCalls(Recording strategy, OptimizationResult result, int round) {
    io.promptunit.optimize.PromptStrategy.WorstCase worst = strategy.worstCase(1, round, strategy.context);
    long perExample = io.promptunit.optimize.StrategyText.scoringCallsPerExample(strategy.context);
    return worst.scoringCalls() + (worst.newCandidates() * result.splits().selection().size()
        + result.splits().heldOut().size()) * perExample;
  }

  private static long calls(OptimizationResult result, String kind, java.util.function.IntPredicate rounds) {
    return result.history().steps().stream().filter(s -> rounds.test(s.round()) && s.kind().equals(kind))
        .mapToLong(History.Step::calls).sum();
  }

  /** A task model that never answers a held-out ticket right, so that no run passes early. */
  private static ScriptedChatModel neverPassingHeldOut() {
    java.util.Set<String> heldOut = java.util.Set.of("Security hole", "Outage:", "hacked session", "entire staff");
    return ScriptedChatModel.answering(prompt -> heldOut.stream().anyMatch(prompt::contains) ? "P3"
        : Tickets.fewShotTaskAnswer(prompt));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "3"})
  void everyRoundStaysWithinThatRoundsWorstCase(String demonstrations, @TempDir Path dir) {
    task = neverPassingHeldOut();
    Recording[] strategy = new Recording[1];

    OptimizationResult result = recorded(strategy, Map.of("promptunit.optimize.demonstrations", demonstrations,
        "promptunit.optimize.patience", "10"), dir);

    int rounds = result.history().rounds().size();
    assertThat(rounds).as(result.stopDetail()).isEqualTo(10);
    assertThat(calls(result, "task", r -> r > 0)).isPositive();
    for (int round = 1; round <= rounds; round++) {
      int r = round;
      io.promptunit.optimize.PromptStrategy.WorstCase worst = strategy[0].worstCase(1, round, strategy[0].context);
      assertThat(calls(result, "task", x -> x == r)).as("task calls of round %d", round).isLessThanOrEqualTo(worstTaskCalls(strategy[0], result, round));
      assertThat(calls(result, "optimizer", x -> x == r)).as("optimizer calls of round %d", round)
          .isLessThanOrEqualTo(worst.metaCalls());
    }
  }

  @Test
  void itStopsAfterTheRoundThatSpendsItsScoringBudget(@TempDir Path dir) {
    task = neverPassingHeldOut();
    Recording[] strategy = new Recording[1];

    OptimizationResult result = recorded(strategy, Map.of("promptunit.optimize.scoringBudget", "20"), dir);

    assertThat(result.stop()).isEqualTo(OptimizationResult.Stop.BUDGET);
    assertThat(result.stopDetail()).contains("GEPA's scoring budget is spent");
    int last = result.history().rounds().size();
    long before = calls(result, "task", r -> r < last);
    long after = calls(result, "task", r -> r <= last);
    // the scoring before the rounds is under the budget, so at least one round runs
    assertThat(calls(result, "task", r -> r == 0)).isLessThan(20);
    assertThat(before).as("task calls before the last round").isLessThan(20);
    assertThat(after).as("task calls by the end of the last round").isGreaterThanOrEqualTo(20)
        .isLessThanOrEqualTo(20 + worstTaskCalls(strategy[0], result, last));
  }

}
