package io.promptunit.testing;

import io.promptunit.optimize.Tagged;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scripted models for the 120-example spam/ham fixture ({@code fixtures/messages.jsonl}: 41 train, 19 dev, 60 test;
 * seven topics a rule decides, and a newsletter whose label alternates, so no prompt passes every example). The task
 * model labels a message by the prompt's rule for its topic, else by a default; the optimizer answers every
 * strategy's questions by stating the rules of the topics its question quotes, in the format asked, and writes
 * prompts of realistic length.
 */
public final class Messages {

  /** The rule that decides each topic, by the phrase its messages contain. */
  public static final Map<String, String> RULES = new LinkedHashMap<>();

  static {
    RULES.put("a lottery win", "Messages announcing a lottery win are spam.");
    RULES.put("cheap pills", "Messages selling cheap pills are spam.");
    RULES.put("crypto doubling", "Messages promising crypto doubling are spam.");
    RULES.put("an urgent wire transfer", "Messages asking for an urgent wire transfer are spam.");
    RULES.put("the team lunch", "Messages about the team lunch are ham.");
    RULES.put("the attached invoice", "Messages about the attached invoice are ham.");
    RULES.put("the meeting notes", "Messages about the meeting notes are ham.");
  }

  private static final Pattern ASKED = Pattern.compile("(?:in|Generate|Give) (\\d+) (?:different|variations|different"
      + " candidate)");

  private Messages() {}

  /** A literal task model: the label the prompt's rule for the message's topic gives, else {@code otherwise}. */
  public static TruncatingChatModel taskModel(String otherwise) {
    return new TruncatingChatModel(request -> {
      String prompt = ScriptedChatModel.userMessage(request);
      String message = prompt.substring(Math.max(0, prompt.lastIndexOf("Message ")));
      for (Map.Entry<String, String> rule : RULES.entrySet()) {
        if (message.contains(rule.getKey())) {
          return prompt.contains(rule.getValue()) ? (rule.getValue().endsWith("spam.") ? "spam" : "ham") : otherwise;
        }
      }
      return otherwise;
    });
  }

  /** The rules of the topics {@code text} quotes that {@code prompt} does not state yet. */
  static List<String> missingRules(String text, String prompt) {
    List<String> missing = new ArrayList<>();
    RULES.forEach((topic, rule) -> {
      if (text.contains("about " + topic) && !prompt.contains(rule)) {
        missing.add(rule);
      }
    });
    return missing;
  }

  /** How often each question was asked: a sampled model words its answers differently each time. */
  private static final Map<String, java.util.concurrent.atomic.AtomicInteger> ASKS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The optimizer's answer to any strategy's question; the k-th ask of the same question is worded its own way. */
  public static String optimizerAnswer(String question) {
    int sample = ASKS.computeIfAbsent(question, q -> new java.util.concurrent.atomic.AtomicInteger()).getAndIncrement();
    return answer(question, question.hashCode() + 7919 * sample);
  }

  private static String answer(String question, int salt) {
    int asked = asked(question);
    if (question.contains("Mistakes often have separate causes")) {
      String prompt = Tagged.all(question, "prompt").get(0);
      StringBuilder critiques = new StringBuilder("I see these separate problems.\n");
      for (String rule : missingRules(question, prompt)) {
        critiques.append("<critique>The prompt never says: ").append(rule).append("</critique>\n");
      }
      return critiques.length() > 40 ? critiques.toString() : "<critique>The prompt is vague.</critique>";
    }
    if (question.contains("A reviewer found this problem")) {
      String prompt = Tagged.all(question, "prompt").get(0);
      String critique = Tagged.all(question, "critique").get(0);
      return "<prompt>\n" + withRules(prompt, RULES.values().stream().filter(critique::contains).toList(), 0)
          + "\n</prompt>";
    }
    if (question.contains("Rewrite the prompt below in")) {
      String prompt = Tagged.all(question, "prompt").get(0);
      return variants(prompt, asked, "prompt", salt);
    }
    if (question.contains("<current_prompt>")) {
      String current = question.substring(question.indexOf("<current_prompt>\n") + 17,
          question.indexOf("\n</current_prompt>"));
      String examples = question.substring(question.indexOf("## Examples"));
      return "<reasoning>1. No. 2. Yes. 3. No, a rule is missing. 4. Yes. 5. State the rule.</reasoning>\n<prompt>\n"
          + withRules(current, missingRules(examples, current), salt) + "\n</prompt>\n"
          + "<summary>Stated the missing rules.</summary>";
    }
    if (question.contains("Your task is to write an instruction")) {
      int last = question.lastIndexOf("text:\n");
      String best = question.substring(last + 6, question.indexOf("\nscore:", last)).replace("(no instruction)", "");
      List<String> missing = missingRules(question, best);
      return "<instruction>" + withRules(best, missing.isEmpty() ? List.of() : missing.subList(0, 1),
          salt) + "</instruction>";
    }
    if (question.contains("I gave a friend an instruction")) {
      String base = "Decide whether this message is spam or ham";
      return variants(withRules(base + ".", missingRules(question, ""), salt), asked, "instruction", salt);
    }
    if (question.contains("variations of the following instruction")) {
      return variants(Tagged.all(question, "instruction").get(0), asked, "instruction", salt);
    }
    return "I do not understand the request.";
  }

  private static int asked(String question) {
    Matcher matcher = ASKED.matcher(question);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : 1;
  }

  /** {@code n} rewordings of {@code text}, each inside its own {@code <tag>} block. */
  private static String variants(String text, int n, String tag, int salt) {
    StringBuilder answer = new StringBuilder();
    for (int i = 0; i < n; i++) {
      // a sampled model words some variants alike across asks, and most differently
      String wording = i % 3 == 2 ? "" : " (variant " + ((salt + i) & 0x3f) + ")";
      answer.append('<').append(tag).append(">\n").append(text.replaceFirst("Decide", i % 2 == 0 ? "Judge" : "Tell"))
          .append(wording).append("\n</").append(tag).append(">\n");
    }
    return answer.toString();
  }

  /** {@code prompt} with {@code rules} added after its first line, plus a note that makes the text new. */
  private static String withRules(String prompt, List<String> rules, int salt) {
    int end = prompt.indexOf('\n');
    String first = end < 0 ? prompt : prompt.substring(0, end);
    String rest = end < 0 ? "" : prompt.substring(end);
    StringBuilder added = new StringBuilder();
    rules.forEach(rule -> added.append(' ').append(rule));
    return first + added + (salt == 0 ? "" : " Read it closely (" + (salt & 0xff) + ").") + rest;
  }
}
