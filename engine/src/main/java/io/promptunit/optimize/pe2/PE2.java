package io.promptunit.optimize.pe2;

import io.promptunit.Example;
import io.promptunit.eval.ExampleResult;
import io.promptunit.optimize.AnswerSize;
import io.promptunit.optimize.Candidate;
import io.promptunit.optimize.Demonstrations;
import io.promptunit.optimize.OptimizationContext;
import io.promptunit.optimize.PromptStrategy;
import io.promptunit.optimize.Proposal;
import io.promptunit.optimize.StrategyText;
import io.promptunit.optimize.Tagged;
import io.promptunit.optimize.Yield;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * PE2 (Ye et al., "Prompt engineering a prompt engineer"): a carefully structured meta-prompt that
 * (1) explains the two steps up front — examine the prompt on a batch of failures, then propose a
 * new prompt; (2) shows the full template, system message included, so the optimizer sees what the
 * task model sees; (3) asks, per example, a fixed series of reasoning questions. Options: hard
 * negative batch size, a step size (maximum words changed), an optimization history (momentum),
 * and back-tracking — each step starts from the best prompts seen at any time.
 */
final class PE2 implements PromptStrategy {

  /** PE2's own parameters (see {@code @Optimize} for each one's meaning). */
  public record Options(int proposals, int batchSize, int stepSize, boolean history, int demonstrations) {}

  private final Options options;

  public PE2(Options options) {
    this.options = options;
  }

  private static final Pattern DISPUTED_LABEL = Pattern.compile(
      "(label|expected output)[^.\\n]{0,60}\\b(is|seems|looks|might be)\\b[^.\\n]{0,20}\\b(wrong|incorrect|mislabel)",
      Pattern.CASE_INSENSITIVE);

  @Override
  public String name() {
    return "pe2";
  }

  @Override
  public boolean backtracks() {
    return true;
  }

  @Override
  public int maxNewPerParent() {
    return options.proposals() + (options.demonstrations() > 0 ? 1 : 0);
  }

  @Override
  public WorstCase worstCase(int parents, int round, OptimizationContext context) {
    Options o = options;
    long scoring = StrategyText.minibatchScoringCalls(context);
    long history = o.history() ? (long) context.options().rounds() * context.options().beamSize() * o.proposals() : 0;
    // the answer holds the new prompt plus a paragraph of reasoning per example
    long calls = (long) parents * o.proposals();
    return new WorstCase(calls, parents * scoring, (long) parents * maxNewPerParent(),
        parents * o.proposals() * 0.75,
        1 + history, o.batchSize(), 1 + history / 2.0,
        1.5 + 0.5 * o.batchSize(), calls * context.outputCap(answerSize()));
  }

  @Override
  public List<Proposal> propose(List<Candidate> parents, OptimizationContext context, int round) {
    Options o = options;
    List<List<ExampleResult>> errorsByParent = context.trainErrors(parents, context.options().minibatchSize());
    long planned = errorsByParent.stream().filter(errors -> !errors.isEmpty()).count() * o.proposals();
    List<Proposal> proposals = new ArrayList<>(context.collect("pe2 proposals", 1, planned, () -> {
      List<CompletableFuture<Yield>> asks = new ArrayList<>();
      for (int p = 0; p < parents.size(); p++) {
        List<ExampleResult> errors = errorsByParent.get(p);
        if (errors.isEmpty()) {
          continue;
        }
        Candidate parent = parents.get(p);
        for (int i = 0; i < o.proposals(); i++) {
          List<ExampleResult> batch = context.sample(errors, o.batchSize());
          asks.add(context.ask(round, i, question(parent, batch, context), answerSize())
              .thenApply(answer -> proposal(parent, batch, answer, context, round)));
        }
      }
      return asks;
    }));
    proposals.addAll(demonstrations(parents, errorsByParent, context));
    return proposals;
  }

  /**
   * With {@code demonstrations}, each parent without a demonstrations section also gets one, quoting the train
   * examples it got wrong this round (those most parents got wrong first, up to the cap); the selection then decides.
   */
  private List<Proposal> demonstrations(List<Candidate> parents, List<List<ExampleResult>> errorsByParent,
      OptimizationContext context) {
    if (options.demonstrations() == 0) {
      return List.of();
    }
    Map<String, Integer> failures = new HashMap<>();
    errorsByParent.forEach(errors -> errors.forEach(e -> failures.merge(e.example().id(), 1, Integer::sum)));
    List<Proposal> proposals = new ArrayList<>();
    for (int p = 0; p < parents.size(); p++) {
      Candidate parent = parents.get(p);
      Set<String> own = new HashSet<>(errorsByParent.get(p).stream().map(e -> e.example().id()).toList());
      List<Example> demos = Demonstrations.choose(context.splits().train().stream()
          .filter(e -> own.contains(e.id())).toList(), failures, options.demonstrations());
      if (!demos.isEmpty() && !Demonstrations.present(parent.text())) {
        proposals.add(new Proposal(Demonstrations.insert(context, parent.text(), demos), parent.id(), "demonstrations",
            "quotes " + demos.size() + " train examples it got wrong: "
            + String.join(", ", demos.stream().map(Example::id).toList())));
      }
    }
    return proposals;
  }

  private Yield proposal(Candidate parent, List<ExampleResult> batch, io.promptunit.optimize.Answer asked,
      OptimizationContext context, int round) {
    Options o = options;
    if (asked.failed()) {
      return asked.rejection(round, parent.id(), "pe2");
    }
    String answer = asked.text().get();
    Yield yield = Yield.NONE;
    if (DISPUTED_LABEL.matcher(answer).find()) {
      yield = yield.withNote("Round " + round + ": the optimizer questioned a label among "
          + batch.stream().map(r -> r.example().id() + " (" + r.example().location() + ")").toList()
          + ". Labels are treated as correct; check them if this repeats.");
    }
    List<String> prompts = Tagged.all(answer, "prompt");
    if (prompts.isEmpty()) {
      return yield.plus(asked.missing("prompt", round, parent.id(), "pe2"));
    }
    String prompt = prompts.get(prompts.size() - 1);
    if (o.stepSize() > 0) {
      int changed = wordsChanged(parent.text(), prompt);
      if (changed > o.stepSize()) {
        return yield.plus(Yield.rejected(round, parent.id(), "pe2",
            "changed " + changed + " words, more than the step size of " + o.stepSize(), prompt));
      }
    }
    List<String> reasoning = Tagged.all(answer, "reasoning");
    List<String> summary = Tagged.all(answer, "summary");
    String rationale = (summary.isEmpty() ? "" : summary.get(0) + "\n") + (reasoning.isEmpty() ? "" : reasoning.get(0));
    return yield.plus(Yield.of(new Proposal(prompt, parent.id(), "pe2", rationale.strip())));
  }

  /** Tokens of reasoning per example shown, and of the summary. */
  static final int REASONING_TOKENS = 200;
  static final int SUMMARY_TOKENS = 80;

  /** What one PE2 answer holds: a paragraph of reasoning per example, the new prompt and a summary. */
  private AnswerSize answerSize() {
    return AnswerSize.prompts(1).plusTokens(options.batchSize() * REASONING_TOKENS + SUMMARY_TOKENS);
  }

  String question(Candidate parent, List<ExampleResult> batch, OptimizationContext context) {
    Options o = options;
    StringBuilder q = new StringBuilder();
    q.append("You will improve a prompt in two steps.\n")
        .append("Step 1: examine the current prompt and a batch of examples on which the model's output was wrong,")
        .append(" and reason about each example with the questions below.\n")
        .append("Step 2: based on that reasoning, write a new prompt that makes the model produce the expected")
        .append(" outputs.\n\n");
    appendPromptInUse(q, parent, context);
    if (o.history()) {
      appendEarlierPrompts(q, context);
    }
    q.append("\n## Examples the model got wrong (the expected outputs are correct)\n")
        .append(StrategyText.labels(context))
        .append(StrategyText.errors(batch));
    q.append("\n## Step 1\nFor each example, answer inside <reasoning></reasoning>:\n")
        .append("1. Is the output correct? (No: explain how it differs from the expected output.)\n")
        .append("2. Did the model follow the prompt?\n")
        .append("3. Does the prompt describe the task correctly and completely for this example?\n")
        .append("4. Is an edit to the prompt needed?\n")
        .append("5. If so, what concrete edit would lead to the expected output?\n");
    q.append("\n## Step 2\nWrite the complete new prompt inside <prompt></prompt> and a one-sentence summary")
        .append(" of your edit inside <summary></summary>.\n");
    if (o.stepSize() > 0) {
      q.append("Change at most ").append(o.stepSize()).append(" words of the current prompt.\n");
    }
    q.append(StrategyText.keepRules(context.rules()));
    return q.toString();
  }

  /** How the prompt reaches the model (with the system message, if any), the prompt itself and its score. */
  private static void appendPromptInUse(StringBuilder q, Candidate parent, OptimizationContext context) {
    q.append("## How the prompt is used\n")
        .append("For every example, the placeholders in {{double braces}} are replaced by the example's values")
        .append(" and the result is sent to the model as the user message");
    context.suite().system().ifPresent(system -> q.append(", after this system message:\n<system>\n")
        .append(system.text()).append("\n</system>\n"));
    q.append(context.suite().system().isPresent() ? "" : ".\n");
    q.append("The current prompt (the part you will rewrite):\n<current_prompt>\n").append(parent.text())
        .append("\n</current_prompt>\n");
    Double score = context.selectionScore(parent.id());
    if (score != null) {
      q.append(String.format(Locale.ROOT, "It passes %.0f%% of the %s examples.\n", score * 100,
          context.splits().selectionName()));
    }
  }

  private static void appendEarlierPrompts(StringBuilder q, OptimizationContext context) {
    q.append("\n## Earlier prompts and their scores (best last)\n");
    context.candidates().stream()
        .filter(c -> context.selectionScore(c.id()) != null)
        .sorted(Comparator.comparingDouble(c -> context.selectionScore(c.id())))
        .forEach(c -> q.append(String.format(Locale.ROOT, "<prompt score=\"%.0f\">\n%s\n</prompt>\n",
                context.selectionScore(c.id()) * 100, c.text()))
            .append(c.rationale().isEmpty() ? "" : "edit summary: " + firstLine(c.rationale()) + "\n"));
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /** Word-level edit distance: how many words were inserted, deleted or replaced. */
  static int wordsChanged(String before, String after) {
    List<String> a = Arrays.asList(before.strip().split("\\s+"));
    List<String> b = Arrays.asList(after.strip().split("\\s+"));
    int[] previous = new int[b.size() + 1];
    int[] current = new int[b.size() + 1];
    for (int j = 0; j <= b.size(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.size(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.size(); j++) {
        int substitution = previous[j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.size()];
  }
}
