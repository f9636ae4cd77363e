package io.promptunit.optimize.gepa;

import io.promptunit.Example;
import io.promptunit.check.CheckFailure;
import io.promptunit.eval.Attempt;
import io.promptunit.eval.ExampleResult;
import io.promptunit.optimize.Candidate;
import io.promptunit.optimize.OptimizationContext;
import io.promptunit.optimize.StrategyText;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** GEPA's meta-prompts: the reflection on a minibatch with the checks' feedback, and the merge of two prompts. */
final class Questions {

  private static final String PLACEHOLDERS =
      " (placeholders in {{double braces}} are filled in per example)";

  private Questions() {}

  /** The reflection: the parent, every minibatch example with its output and the checks' feedback, the labels. */
  static String reflection(Candidate parent, List<ExampleResult> minibatch, String labels,
      OptimizationContext context) {
    return "A language model is given the prompt below" + PLACEHOLDERS + ".\n\n"
        + "<prompt>\n" + parent.text() + "\n</prompt>\n\n"
        + "Here is how it did on some examples, with the evaluator's feedback on each. The expected outputs are"
        + " correct.\n\n"
        + feedback(minibatch) + "\n" + labels + (labels.isEmpty() ? "" : "\n")
        + "Read the feedback on each example. Work out what the prompt fails to tell the model (a rule of the task,"
        + " a fact of the domain, the exact output format) and what the passing examples show must be kept. Then"
        + " write an improved version of the whole prompt that handles these examples and others like them.\n"
        + StrategyText.keepRules(context.rules())
        + "Answer with the lesson in one sentence inside <lesson></lesson>, then the complete new prompt inside"
        + " <prompt></prompt>.";
  }

  /** The merge: two prompts from different lineages and how many examples each alone passes. */
  static String merge(Front.Pair pair, String labels, OptimizationContext context) {
    return "Two versions of a prompt for the same task" + PLACEHOLDERS + " each handle examples that the other gets"
        + " wrong.\n\n"
        + "<prompt_a>\n" + pair.first().candidate().text() + "\n</prompt_a>\n\n"
        + "Version A passes " + pair.onlyFirst().size() + " examples that version B fails.\n\n"
        + "<prompt_b>\n" + pair.second().candidate().text() + "\n</prompt_b>\n\n"
        + "Version B passes " + pair.onlySecond().size() + " examples that version A fails.\n\n"
        + labels + (labels.isEmpty() ? "" : "\n")
        + "Write one prompt that combines what makes each version right: keep every rule and instruction of either"
        + " version (unless they contradict; then keep the more specific one), so that it handles both groups of"
        + " examples.\n"
        + StrategyText.keepRules(context.rules())
        + "Answer with what you combined in one sentence inside <lesson></lesson>, then the complete new prompt"
        + " inside <prompt></prompt>.";
  }

  /** Every example of the minibatch: inputs, the output, the expected output, and each check's verdict and why. */
  static String feedback(List<ExampleResult> results) {
    StringBuilder text = new StringBuilder();
    int n = 1;
    for (ExampleResult result : results) {
      text.append("<example ").append(n).append(">\n");
      appendInputs(text, result.example());
      Attempt shown = StrategyText.shownAttempt(result).orElse(null);
      String output = shown == null ? "" : shown.output();
      text.append("model output: ").append(StrategyText.cut(output)).append('\n');
      text.append("expected output: ").append(StrategyText.cut(result.example().expected())).append('\n');
      text.append("result: ").append(result.status() == ExampleResult.Status.PASSED ? "passed" : "failed")
          .append('\n');
      appendChecks(text, result, shown);
      text.append("</example ").append(n).append(">\n");
      n++;
    }
    return text.toString();
  }

  /** The example's variables, sorted by name. */
  static void appendInputs(StringBuilder text, Example example) {
    for (Map.Entry<String, Object> variable : new TreeMap<>(example.variables()).entrySet()) {
      text.append(variable.getKey()).append(": ").append(StrategyText.cut(String.valueOf(variable.getValue())))
          .append('\n');
    }
  }

  /**
   * The shown attempt's check failures (why, expected, actual) or its error, the attempt whose output is shown; at
   * most {@link StrategyText#MAX_FEEDBACK} characters in all, however many checks failed.
   */
  private static void appendChecks(StringBuilder out, ExampleResult result, Attempt attempt) {
    if (result.status() == ExampleResult.Status.PASSED || attempt == null) {
      return;
    }
    StringBuilder text = new StringBuilder();
    attempt.error().ifPresent(error -> text.append("error: ").append(StrategyText.cut(String.valueOf(
        error.getMessage()))).append('\n'));
    for (CheckFailure failure : attempt.failures()) {
      text.append("feedback from ").append(failure.check()).append(": ").append(StrategyText.cut(failure.reason()));
      String expected = Objects.toString(failure.expected(), "");
      String actual = Objects.toString(failure.actual(), "");
      if (!expected.isEmpty() || !actual.isEmpty()) {
        text.append(" (expected: ").append(StrategyText.cut(expected)).append("; actual: ")
            .append(StrategyText.cut(actual)).append(')');
      }
      text.append('\n');
    }
    String feedback = StrategyText.feedback(text.toString());
    out.append(feedback).append(feedback.endsWith("\n") ? "" : "\n");
  }
}
