package io.promptunit.optimize.gepa;

import io.promptunit.Example;
import io.promptunit.eval.ExampleResult;
import io.promptunit.optimize.Answer;
import io.promptunit.optimize.AnswerSize;
import io.promptunit.optimize.Candidate;
import io.promptunit.optimize.Demonstrations;
import io.promptunit.optimize.History;
import io.promptunit.optimize.OptimizationContext;
import io.promptunit.optimize.PromptStrategy;
import io.promptunit.optimize.Proposal;
import io.promptunit.optimize.StrategyText;
import io.promptunit.optimize.Tagged;
import io.promptunit.optimize.Yield;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * GEPA (Agrawal et al. 2025, "Reflective Prompt Evolution Can Outperform Reinforcement Learning"). Every round:
 * parents are drawn from the Pareto front of the candidates over the selection examples, each weighted by how many
 * examples it is best on; each parent runs on its own train minibatch and the optimizer model reflects on every
 * example's output and the checks' feedback (why, expected, actual) to write an improved prompt (reflective
 * mutation); two front members of different lineages, each best on examples the other fails, are merged into one
 * prompt; with {@code demonstrations}, a front member gets a section of train examples it and its kin fail. A new
 * prompt is kept only if it passes more of its minibatch than its parent (a merge: more of the selection examples
 * where its parents differ than either parent); the loop then scores it on the whole selection split. All the asks
 * of a round run at once, as do its scoring calls. State lives for one run: it is reset in round 1.
 */
final class GEPA implements PromptStrategy {

  /**
   * @param reflections parents drawn from the front and mutated by reflection per round
   * @param minibatch train examples each reflection sees and is accepted on
   * @param maxMerges merges tried per run at most
   * @param scoringBudget scoring calls after which no round starts (0: only the run's caps)
   * @param demonstrations train examples a demonstrations section quotes at most (0: none)
   */
  record Options(int reflections, int minibatch, int maxMerges, int scoringBudget, int demonstrations) {}

  /**
   * One new prompt to make this round.
   *
   * @param origin {@code reflection}, {@code merge} or {@code demonstrations}
   * @param parent the candidate it derives from (a merge's first parent)
   * @param batch the examples it is accepted on
   * @param pair the merged pair, for a merge
   * @param demos the quoted train examples, for demonstrations
   */
  private record Step(String origin, Candidate parent, List<Example> batch, Front.Pair pair, List<Example> demos) {}

  /** The optimizer's answer to a step: the new prompt and the lesson it states. */
  private record Made(String text, String lesson) {}

  /** What a reflection or a merge answers: one whole prompt and a one-sentence lesson. */
  private static final AnswerSize ANSWER = AnswerSize.prompts(1).plusTokens(100);

  private final Options options;
  private final Set<String> merged = new HashSet<>();
  private final Set<String> demonstrated = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  /** The second parent of each merge proposed, by the merged prompt's normalized text (a candidate has one parent). */
  private final Map<String, String> secondParents = new HashMap<>();
  private int merges;

  GEPA(Options options) {
    this.options = options;
  }

  @Override
  public String name() {
    return "gepa";
  }

  @Override
  public boolean backtracks() {
    return false;
  }

  @Override
  public boolean scoresEveryCandidate() {
    return true;
  }

  @Override
  public int maxNewPerParent() {
    return options.reflections() + 2;
  }

  @Override
  public WorstCase worstCase(int parents, int round, OptimizationContext context) {
    long perExample = StrategyText.scoringCallsPerExample(context);
    long batch = Math.min(options.minibatch(), context.splits().train().size());
    long demos = options.demonstrations() > 0 ? 1 : 0;
    // a merge is accepted on the selection examples where its parents differ, up to twice the minibatch
    long merge = options.maxMerges() > 0 ? Math.min(2L * options.minibatch(), context.splits().selection().size()) : 0;
    long scoring = (2L * options.reflections() * batch + demos * 2 * batch + merge) * perExample;
    long merging = options.maxMerges() > 0 ? 1 : 0;
    long fresh = options.reflections() + merging + demos;
    long asks = options.reflections() + merging;
    return new WorstCase(asks, scoring, fresh, fresh / 2.0, 2, batch, 1.2, 1, asks * context.outputCap(ANSWER));
  }

  @Override
  public Optional<String> afterRound(OptimizationContext context, int round) {
    Front front = front(context);
    context.record(round, "front", front.json());
    return spent(context);
  }

  @Override
  public List<Proposal> propose(List<Candidate> parents, OptimizationContext context, int round) {
    if (round == 1) {
      merged.clear();
      demonstrated.clear();
      failures.clear();
      secondParents.clear();
      merges = 0;
    }
    if (spent(context).isPresent()) {
      return List.of();
    }
    Front front = front(context);
    if (round == 1) {
      context.record(0, "front", front.json());
    }
    List<Step> steps = plan(front, context, round);
    List<Step> mutations = steps.stream().filter(s -> s.pair() == null).toList();
    List<List<ExampleResult>> before = context.results("minibatch", mutations.stream().map(Step::parent).toList(),
        mutations.stream().map(Step::batch).toList());
    before.forEach(this::countFailures);
    List<Made> made = ask(steps, mutations, before, context, round);
    return accept(steps, made, mutations, before, context, round);
  }

  /** This round's steps: reflections on parents drawn from the front, then demonstrations, then a merge. */
  private List<Step> plan(Front front, OptimizationContext context, int round) {
    List<Step> steps = new ArrayList<>();
    List<Example> train = context.splits().train();
    for (int r = 0; r < options.reflections(); r++) {
      Front.Member parent = front.sample(context.random());
      Map<String, Object> choice = new LinkedHashMap<>();
      choice.put("candidate", parent.candidate().id());
      choice.put("weight", Front.weight(parent));
      choice.put("of", front.totalWeight());
      context.record(round, "parent", choice);
      List<Example> batch = context.sample(train, options.minibatch());
      steps.add(new Step("reflection", parent.candidate(), batch, null, List.of()));
    }
    demonstrationStep(front, context).ifPresent(steps::add);
    if (merges < options.maxMerges()) {
      front.mergePair(id -> context.candidates().stream().filter(c -> c.id().equals(id)).findFirst(), this::parents,
          merged).ifPresent(pair -> {
            merges++;
            merged.add(Front.key(pair.first().candidate(), pair.second().candidate()));
            steps.add(new Step("merge", pair.first().candidate(), mergeBatch(pair, context), pair, List.of()));
          });
    }
    return steps;
  }

  /** The ids of {@code candidate}'s parents: its parent, and a merge's second parent. */
  private List<String> parents(Candidate candidate) {
    List<String> ids = new ArrayList<>(candidate.parent().stream().toList());
    if (candidate.origin().equals("merge")) {
      Optional.ofNullable(secondParents.get(normalized(candidate.text()))).ifPresent(ids::add);
    }
    return ids;
  }

  /** Demonstrations for the front member best on most examples that has none yet, from train examples failed so far. */
  private Optional<Step> demonstrationStep(Front front, OptimizationContext context) {
    if (options.demonstrations() == 0) {
      return Optional.empty();
    }
    List<Example> train = context.splits().train();
    Optional<Front.Member> parent = front.members().stream()
        .filter(m -> !Demonstrations.present(m.candidate().text()) && !demonstrated.contains(m.candidate().id()))
        .max((a, b) -> Integer.compare(a.wins().size(), b.wins().size()));
    List<Example> demos = Demonstrations.choose(train, failures, options.demonstrations());
    if (parent.isEmpty() || demos.isEmpty()) {
      return Optional.empty();
    }
    demonstrated.add(parent.get().candidate().id());
    List<Example> rest = train.stream().filter(e -> !demos.contains(e)).toList();
    return Optional.of(new Step("demonstrations", parent.get().candidate(),
        context.sample(rest, options.minibatch()), null, demos));
  }

  /** The selection examples where exactly one of the pair passes, alternating, up to twice the minibatch. */
  private List<Example> mergeBatch(Front.Pair pair, OptimizationContext context) {
    Map<String, Example> byId = new HashMap<>();
    context.splits().selection().forEach(e -> byId.put(e.id(), e));
    List<Example> batch = new ArrayList<>();
    int limit = 2 * options.minibatch();
    for (int i = 0; batch.size() < limit && (i < pair.onlyFirst().size() || i < pair.onlySecond().size()); i++) {
      if (i < pair.onlyFirst().size()) {
        batch.add(byId.get(pair.onlyFirst().get(i)));
      }
      if (i < pair.onlySecond().size() && batch.size() < limit) {
        batch.add(byId.get(pair.onlySecond().get(i)));
      }
    }
    return batch;
  }

  /** The reflections and the merge, asked all at once; demonstrations need no ask. In step order, null if none. */
  private List<Made> ask(List<Step> steps, List<Step> mutations, List<List<ExampleResult>> before,
      OptimizationContext context, int round) {
    AtomicReferenceArray<Made> made = new AtomicReferenceArray<>(steps.size());
    String labels = StrategyText.labels(context);
    long asks = steps.stream().filter(s -> s.origin().equals("merge")
        || s.origin().equals("reflection") && passed(before.get(mutations.indexOf(s))) < s.batch().size()).count();
    boolean merging = steps.stream().anyMatch(s -> s.pair() != null);
    context.collect("reflect" + (merging ? " + merge" : ""), 1, asks, () -> {
      List<CompletableFuture<Yield>> chains = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        int index = i;
        if (step.origin().equals("demonstrations")) {
          made.set(i, new Made(Demonstrations.insert(context, step.parent().text(), step.demos()), "quotes "
              + step.demos().size() + " train examples: " + String.join(", ", step.demos().stream().map(Example::id)
              .toList())));
          continue;
        }
        if (step.pair() == null && passed(before.get(mutations.indexOf(step))) == step.batch().size()) {
          skipped(step, context, round);
          continue;
        }
        String question = step.pair() != null ? Questions.merge(step.pair(), labels, context)
            : Questions.reflection(step.parent(), before.get(mutations.indexOf(step)), labels, context);
        chains.add(context.ask(round, step.pair() != null ? 100 : i, question, ANSWER)
            .thenApply(answer -> parse(answer, step, round, made, index)));
      }
      return chains;
    });
    List<Made> list = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      list.add(made.get(i));
    }
    return list;
  }

  /** A new prompt refused before scoring (a rule it breaks, a copy): recorded as asked and not accepted. */
  private static void refused(Step step, Made made, String reason, OptimizationContext context, int round) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("parent", step.parent().id());
    if (step.pair() != null) {
      event.put("with", step.pair().second().candidate().id());
    }
    event.put("examples", step.batch().stream().map(Example::id).toList());
    event.put("accepted", false);
    event.put("refused", reason);
    event.put("lesson", made.lesson());
    context.record(round, step.origin(), event);
    context.reject(new History.Rejection(round, step.parent().id(), step.origin(), reason, made.text()));
  }

  /** A parent that passes its whole minibatch gives nothing to reflect on (GEPA skips it): recorded, not asked. */
  private static void skipped(Step step, OptimizationContext context, int round) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("parent", step.parent().id());
    event.put("examples", step.batch().stream().map(Example::id).toList());
    event.put("before", (long) step.batch().size());
    event.put("skipped", "the parent passes its whole minibatch: nothing to reflect on");
    context.record(round, "reflection", event);
  }

  private static Yield parse(Answer answer, Step step, int round, AtomicReferenceArray<Made> made, int index) {
    if (answer.failed()) {
      return answer.rejection(round, step.parent().id(), step.origin());
    }
    List<String> prompts = Tagged.all(answer.text().get(), "prompt");
    if (prompts.isEmpty()) {
      return answer.missing("prompt", round, step.parent().id(), step.origin());
    }
    List<String> lessons = Tagged.all(answer.text().get(), "lesson");
    made.set(index, new Made(prompts.get(0), lessons.isEmpty() ? "" : lessons.get(0)));
    return Yield.NONE;
  }

  /** Scores every new prompt on its step's examples at once and keeps those that beat their parents there. */
  private List<Proposal> accept(List<Step> steps, List<Made> made, List<Step> mutations,
      List<List<ExampleResult>> before, OptimizationContext context, int round) {
    Map<Integer, String> unusable = unusable(steps, made, context);
    List<Integer> tried = new ArrayList<>();
    List<Candidate> children = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      Made m = made.get(i);
      if (m == null) {
        continue;
      }
      if (unusable.containsKey(i)) {
        refused(step, m, unusable.get(i), context, round);
        continue;
      }
      tried.add(i);
      children.add(Candidate.made(0, m.text(), Optional.of(step.parent().id()), step.origin(), m.lesson(), round));
    }
    List<List<ExampleResult>> after = context.results("minibatch: new prompts", children,
        tried.stream().map(i -> steps.get(i).batch()).toList());
    after.forEach(this::countFailures);
    List<Proposal> kept = new ArrayList<>();
    for (int k = 0; k < tried.size(); k++) {
      Step step = steps.get(tried.get(k));
      long was = step.pair() != null ? parentsBest(step) : passed(before.get(mutations.indexOf(step)));
      decide(step, made.get(tried.get(k)), was, passed(after.get(k)), context, round).ifPresent(kept::add);
    }
    return kept;
  }

  /**
   * Why each new prompt that cannot be tried is refused, by step index: a rule it breaks, or a copy of its parent, of
   * another candidate or of a new prompt of this round (a merge's prompt goes first: a reflection that reaches it is
   * the copy). Refused before any scoring call, so every prompt scored and accepted becomes a candidate.
   */
  private static Map<Integer, String> unusable(List<Step> steps, List<Made> made, OptimizationContext context) {
    Map<String, String> known = new HashMap<>();
    context.candidates().forEach(c -> known.putIfAbsent(normalized(c.text()), "candidate " + c.id()));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      order.add(steps.get(i).pair() != null ? 0 : order.size(), i);
    }
    Map<Integer, String> reasons = new HashMap<>();
    for (int i : order) {
      Made m = made.get(i);
      if (m == null) {
        continue;
      }
      String text = normalized(m.text());
      Optional<String> reason = context.rules().violation(m.text())
          .or(() -> text.equals(normalized(steps.get(i).parent().text())) ? Optional.of("the same prompt as its parent")
              : Optional.ofNullable(known.putIfAbsent(text, "a new " + steps.get(i).origin() + " prompt of this round"))
                  .map(of -> "a copy of " + of));
      reason.ifPresent(r -> reasons.put(i, r));
    }
    return reasons;
  }

  /** Keeps the new prompt when it passes more of its examples than its parent(s) did; records either way. */
  private Optional<Proposal> decide(Step step, Made made, long was, long now, OptimizationContext context, int round) {
    String scores = was + "/" + step.batch().size() + " → " + now + "/" + step.batch().size();
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("parent", step.parent().id());
    if (step.pair() != null) {
      event.put("with", step.pair().second().candidate().id());
    }
    event.put("examples", step.batch().stream().map(Example::id).toList());
    event.put("before", was);
    event.put("after", now);
    event.put("accepted", now > was);
    event.put("lesson", made.lesson());
    context.record(round, step.origin(), event);
    if (now <= was) {
      context.reject(new History.Rejection(round, step.parent().id(), step.origin(),
          "not better on its " + (step.pair() != null ? "parents' differing examples" : "minibatch"), made.text()));
      return Optional.empty();
    }
    if (step.pair() != null) {
      secondParents.put(normalized(made.text()), step.pair().second().candidate().id());
    }
    String rationale = (step.pair() != null ? "merge of " + step.parent().id() + " and "
        + step.pair().second().candidate().id() + ": " : "") + made.lesson() + " (" + scores + ")";
    return Optional.of(new Proposal(made.text(), step.parent().id(), step.origin(), rationale.strip()));
  }

  /** How many of a merge's examples the better of its two parents passes (each passes only its own ones). */
  private static long parentsBest(Step step) {
    long first = step.batch().stream().filter(e -> step.pair().onlyFirst().contains(e.id())).count();
    return Math.max(first, step.batch().size() - first);
  }

  private void countFailures(List<ExampleResult> results) {
    for (ExampleResult result : results) {
      if (result.status() != ExampleResult.Status.PASSED) {
        failures.merge(result.example().id(), 1, Integer::sum);
      }
    }
  }

  /**
   * The Pareto front of every candidate scored on the whole selection split, from their known results: no call. An
   * example whose result was an error (not remembered) counts as failed, so the front does not ask the model again
   * nor change when a retry would pass.
   */
  private static Front front(OptimizationContext context) {
    List<Candidate> pool = context.candidates().stream().filter(c -> context.selectionScore(c.id()) != null).toList();
    List<Example> selection = context.splits().selection();
    return Front.ofPasses(pool, selection, context.knownPasses(pool, selection));
  }

  private Optional<String> spent(OptimizationContext context) {
    long calls = context.scoringCalls();
    return options.scoringBudget() > 0 && calls >= options.scoringBudget()
        ? Optional.of("GEPA's scoring budget is spent: " + calls + " scoring calls made, budget "
            + options.scoringBudget() + " (promptunit.optimize.scoringBudget)")
        : Optional.empty();
  }

  private static long passed(List<ExampleResult> results) {
    return results.stream().filter(r -> r.status() == ExampleResult.Status.PASSED).count();
  }

  /** A prompt's text as the loop tells copies apart: whitespace and case aside. */
  private static String normalized(String text) {
    return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
