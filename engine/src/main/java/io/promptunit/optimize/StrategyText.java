package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.eval.Attempt;
import io.promptunit.eval.ExampleResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Text shared by the strategies' meta-prompts: how failing examples and the keep-rules are shown. */
@API(status = INTERNAL, since = "0.1")
public final class StrategyText {

  private static final int MAX_FIELD = 600;
  /**
   * Characters of the checks' feedback a meta-prompt shows per example at most (besides an ellipsis), however many
   * checks failed: the estimate counts this much per example shown ({@link #FEEDBACK_TOKENS}).
   */
  public static final int MAX_FEEDBACK = 600;
  /** Tokens of one example's feedback at most: every token is at least one UTF-8 byte, a char at most three. */
  public static final long FEEDBACK_TOKENS = 3L * (MAX_FEEDBACK + 1);

  private StrategyText() {}

  public static String errors(List<ExampleResult> errors) {
    StringBuilder text = new StringBuilder();
    int n = 1;
    for (ExampleResult error : errors) {
      text.append("<example ").append(n++).append(">\n");
      for (Map.Entry<String, Object> variable : error.example().variables().entrySet()) {
        text.append(variable.getKey()).append(": ").append(cut(variable.getValue().toString())).append('\n');
      }
      Optional<Attempt> shown = shownAttempt(error);
      text.append("model output: ").append(cut(shown.map(Attempt::output).orElse(""))).append('\n');
      text.append("expected output: ").append(cut(error.example().expected())).append('\n');
      shown.stream().flatMap(a -> a.failures().stream()).findFirst()
          .ifPresent(failure -> text.append("why it failed: ").append(cut(failure.reason())).append('\n'));
      text.append("</example ").append(n - 1).append(">\n");
    }
    return text.toString();
  }

  /**
   * The attempt a meta-prompt shows of {@code result}: its first failed attempt (the first attempt when none failed),
   * so the output shown and the feedback on it come from the same attempt.
   */
  public static Optional<Attempt> shownAttempt(ExampleResult result) {
    return result.attempts().stream().filter(a -> !a.passed()).findFirst()
        .or(() -> result.attempts().stream().findFirst());
  }

  /** Scoring calls one example can cost: per repeat, the task call and the model calls its checks declare (a judge). */
  public static long scoringCallsPerExample(OptimizationContext context) {
    return context.scoringCallsPerExample();
  }

  /** Scoring calls of one train minibatch ({@link OptimizationContext#trainErrors}) at most. */
  public static long minibatchScoringCalls(OptimizationContext context) {
    return Math.min(context.options().minibatchSize(), context.splits().train().size())
        * scoringCallsPerExample(context);
  }

  /** One example's feedback, cut to {@link #MAX_FEEDBACK} characters. */
  public static String feedback(String text) {
    return text.length() > MAX_FEEDBACK ? text.substring(0, MAX_FEEDBACK) + "…" : text;
  }

  public static String cut(String text) {
    return text.length() > MAX_FIELD ? text.substring(0, MAX_FIELD) + "…" : text;
  }

  /**
   * The closed label set of the suite's expected outputs, stated for a meta-prompt ({@link LabelSet#statement}), or
   * nothing when the outputs are not labels.
   */
  public static String labels(OptimizationContext context) {
    return context.labels().map(LabelSet::statement).orElse("");
  }

  public static String keepRules(CandidateRules rules) {
    StringBuilder text = new StringBuilder();
    if (!rules.variables().isEmpty()) {
      text.append("Keep every placeholder exactly as written: ");
      text.append(String.join(", ", rules.variables().stream().map(v -> "{{" + v + "}}").toList()));
      text.append(". Do not add new placeholders.\n");
    }
    for (String passage : rules.frozen()) {
      text.append("Keep this passage verbatim:\n<frozen>\n").append(passage).append("\n</frozen>\n");
    }
    return text.toString();
  }
}
