package io.promptunit.check;

import io.promptunit.check.Conversation;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.promptunit.Example;
import io.promptunit.model.ModelClient;
import io.promptunit.model.Reply;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An LLM judge grades the output against a rubric. The judge answers {@code PASS} or {@code FAIL}
 * followed by a reason; an answer in any other form fails the check and shows what the judge said.
 * Judge calls are made at temperature 0 through the same call policy as scoring calls.
 */
final class JudgeCheck implements OutputCheck {

  /**
   * The verdict must open the answer ("PASS: ...", "**FAIL** - ...", "Verdict: PASS"), so "does not pass" is no pass.
   */
  private static final Pattern VERDICT =
      Pattern.compile("^(?:verdict\\s*[:\\-]\\s*)?[*_`\"']*(PASS|FAIL)\\b[*_`\"']*[\\s:.\\-—]*(.*)",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private static final String INSTRUCTIONS =
      "You grade the output of a language model. Decide whether the OUTPUT satisfies the RUBRIC, using the"
          + " REFERENCE as the intended answer (the output need not match it word for word unless the rubric"
          + " says so).\n"
          + "Reply with exactly one line: PASS or FAIL, then a colon and one short sentence giving the reason.";

  /** A verdict and one sentence: a cap keeps judge calls inside worst-case budgets. */
  static final int JUDGE_OUTPUT_TOKENS = 256;

  private final String rubric;
  private final Supplier<ModelClient> judge;

  JudgeCheck(String rubric, Supplier<ModelClient> judge) {
    this.rubric = rubric;
    this.judge = judge;
  }

  @Override
  public String name() {
    return "judge";
  }

  /** One judge call per output graded. */
  @Override
  public int modelCalls() {
    return 1;
  }

  @Override
  public Optional<CheckFailure> check(Example example, Conversation conversation, String output) {
    ModelClient model = judge.get();
    String question = "RUBRIC:\n" + rubric + "\n\nPROMPT THE MODEL WAS GIVEN:\n" + conversation.transcript()
        + "\n\nREFERENCE:\n" + example.expected() + "\n\nOUTPUT:\n" + output;
    Reply reply = model.chat(List.of(SystemMessage.from(INSTRUCTIONS), UserMessage.from(question)), 0.0,
        Optional.of(JUDGE_OUTPUT_TOKENS));
    Matcher verdict = VERDICT.matcher(reply.text().strip());
    if (!verdict.matches()) {
      return Optional.of(new CheckFailure(name(),
          "the judge " + model.name() + " did not answer PASS or FAIL: \"" + abbreviate(reply.text()) + "\"",
          rubric, output));
    }
    if (verdict.group(1).toUpperCase(Locale.ROOT).equals("PASS")) {
      return Optional.empty();
    }
    String reason = verdict.group(2).strip();
    return Optional.of(new CheckFailure(name(),
        "the judge " + model.name() + " failed it against the rubric \"" + rubric + "\": "
        + (reason.isEmpty() ? "(no reason given)" : abbreviate(reason)), rubric, output));
  }

  private static String abbreviate(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
  }
}
