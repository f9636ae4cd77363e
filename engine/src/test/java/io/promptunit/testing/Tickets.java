package io.promptunit.testing;

import dev.langchain4j.model.chat.request.ChatRequest;
import io.promptunit.optimize.Tagged;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Scripted models for the ticket-urgency fixtures. The task model is right only when the prompt
 * states the rule an example needs; the optimizer model answers critiques, edits, paraphrases and
 * PE2 meta-prompts by stating the rule behind the errors it is shown.
 */
public final class Tickets {

  public static final String SECURITY_RULE = "Security problems (strangers in accounts, leaked keys, data seen by the wrong people) are always P1.";
  public static final String OUTAGE_RULE = "Problems that block several users at once are P2.";
  public static final String FROZEN = "Answer with the label only.";

  private static final Map<String, String> TOPIC_BY_INPUT = new HashMap<>();

  static {
    for (String file : List.of("fixtures/tickets.jsonl", "fixtures/tickets-unlearnable.jsonl")) {
      try (InputStream in = Tickets.class.getClassLoader().getResourceAsStream(file)) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode node = new ObjectMapper().readTree(line);
          JsonNode tags = node.get("tags");
          TOPIC_BY_INPUT.put(node.get("input").asText(), tags == null ? "other" : tags.get(0).asText());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private Tickets() {}

  /** The topic of the (first) fixture ticket quoted in {@code text}. */
  static String topicIn(String text) {
    return TOPIC_BY_INPUT.entrySet().stream().filter(e -> text.contains(e.getKey())).map(Map.Entry::getValue).findFirst().orElse("none");
  }

  /** A literal-minded task model: P1/P2 only when the prompt says so, P3 otherwise. */
  public static ScriptedChatModel taskModel() {
    return ScriptedChatModel.answering(Tickets::taskAnswer);
  }

  /** The literal-minded task model's answer to {@code prompt}. */
  public static String taskAnswer(String prompt) {
    String topic = topicIn(prompt);
    if (topic.equals("security") && prompt.contains(SECURITY_RULE)) {
      return "P1";
    }
    if (topic.equals("outage") && prompt.contains(OUTAGE_RULE)) {
      return "P2";
    }
    return "P3";
  }

  /**
   * A task model that also learns from demonstrations: right when the prompt states the rule of the ticket (the text
   * after the last {@code Ticket: }), or when the prompt before it quotes another ticket of the same topic.
   */
  public static String fewShotTaskAnswer(String prompt) {
    int at = prompt.lastIndexOf("Ticket: ");
    String ticket = prompt.substring(at + 8).strip();
    String before = prompt.substring(0, at);
    String topic = TOPIC_BY_INPUT.getOrDefault(ticket, "other");
    boolean shown = TOPIC_BY_INPUT.entrySet().stream().anyMatch(e -> e.getValue().equals(topic) && before.contains(e.getKey()));
    if (topic.equals("security") && (prompt.contains(SECURITY_RULE) || shown)) {
      return "P1";
    }
    if (topic.equals("outage") && (prompt.contains(OUTAGE_RULE) || shown)) {
      return "P2";
    }
    return "P3";
  }

  /** The rule-finding optimizer's answer to {@code question}. */
  public static String optimizerAnswer(String question) {
    return answer(question);
  }

  /** An optimizer that finds the rule behind the errors it is shown; {@code garble} may replace some answers. */
  public static ScriptedChatModel optimizerModel(Function<String, String> garble) {
    return new ScriptedChatModel(request -> garble.apply(answer(ScriptedChatModel.userMessage(request))));
  }

  public static ScriptedChatModel optimizerModel() {
    return optimizerModel(Function.identity());
  }

  static String answer(String question) {
    if (question.contains("<current_prompt>")) {
      String current = between(question, "<current_prompt>\n", "\n</current_prompt>");
      String examples = question.substring(question.indexOf("## Examples"));
      String rule = ruleFor(examples);
      return "<reasoning>1. No, the output is wrong. 2. Yes. 3. No, the prompt lacks a rule. 4. Yes. 5. Add the rule.</reasoning>\n"
          + "<prompt>" + withRule(current, rule) + "</prompt>\n<summary>Stated the rule: " + rule + "</summary>";
    }
    if (question.contains("Your task is to write an instruction")) {
      // OPRO: improve on the best (last) instruction of the trajectory
      int last = question.lastIndexOf("text:\n");
      String best = question.substring(last + 6, question.indexOf("\nscore:", last));
      String rule = best.contains(SECURITY_RULE) ? OUTAGE_RULE : SECURITY_RULE;
      return "<instruction>" + best + " " + rule + "</instruction>";
    }
    if (question.contains("I gave a friend an instruction")) {
      // APE generation: state the rules the demonstrations show, plus a weaker variant without them
      // (each subsample words it a little differently, as a sampled model would)
      String base = "Classify the urgency of this support ticket as P1, P2 or P3 (demos seen: " + (question.hashCode() & 0xfff) + ").";
      String rules = (topicsIn(question).contains("security") ? " " + SECURITY_RULE : "") + (topicsIn(question).contains("outage") ? " " + OUTAGE_RULE : "");
      return "<instruction>" + base + rules + "</instruction>\n<instruction>" + base + "</instruction>";
    }
    if (question.contains("variations of the following instruction")) {
      String instruction = Tagged.all(question, "instruction").get(0);
      return "<instruction>" + instruction.replace("Classify the urgency", "Label the urgency") + "</instruction>\n<instruction>"
          + instruction.replace("this support ticket", "the ticket") + "</instruction>";
    }
    if (question.contains("Read the feedback on each example")) {
      // GEPA reflection: state the rule of the first failed example shown
      String prompt = Tagged.all(question, "prompt").get(0);
      String rule = ruleFor(firstFailed(question));
      return "<lesson>The prompt never says: " + rule + "</lesson>\n<prompt>" + withRule(prompt, rule) + "</prompt>";
    }
    if (question.contains("Two versions of a prompt")) {
      // GEPA merge: every rule of either version
      String merged = Tagged.all(question, "prompt_a").get(0);
      String other = Tagged.all(question, "prompt_b").get(0);
      for (String rule : List.of(SECURITY_RULE, OUTAGE_RULE)) {
        if (other.contains(rule)) {
          merged = withRule(merged, rule);
        }
      }
      return "<lesson>Kept the rules of both versions.</lesson>\n<prompt>" + merged + "</prompt>";
    }
    if (question.contains("Mistakes often have separate causes")) {
      return "Looking at the errors.\n<critique>The prompt never says: " + ruleFor(question) + "</critique>";
    }
    if (question.contains("A reviewer found this problem")) {
      String prompt = Tagged.all(question, "prompt").get(0);
      String critique = Tagged.all(question, "critique").get(0);
      String rule = critique.contains(SECURITY_RULE) ? SECURITY_RULE : OUTAGE_RULE;
      return "<prompt>\n" + withRule(prompt, rule) + "\n</prompt>";
    }
    if (question.contains("Rewrite the prompt below in")) {
      String prompt = Tagged.all(question, "prompt").get(0);
      return "<prompt>" + prompt.replace("Classify the urgency", "Rate the urgency") + "</prompt>\n"
          + "<prompt>" + prompt.replace("{{input}}", "{{ticket}}") + "</prompt>";
    }
    return "I do not understand the request.";
  }

  /** The first example block of a GEPA reflection that failed, or "" when all passed. */
  static String firstFailed(String question) {
    for (String block : question.split("<example ")) {
      if (block.contains("result: failed")) {
        return block;
      }
    }
    return "";
  }

  private static java.util.Set<String> topicsIn(String text) {
    java.util.Set<String> topics = new java.util.HashSet<>();
    TOPIC_BY_INPUT.forEach((input, topic) -> {
      if (text.contains(input)) {
        topics.add(topic);
      }
    });
    return topics;
  }

  private static String ruleFor(String text) {
    for (Map.Entry<String, String> entry : TOPIC_BY_INPUT.entrySet()) {
      if (text.contains(entry.getKey()) && entry.getValue().equals("security")) {
        return SECURITY_RULE;
      }
    }
    return OUTAGE_RULE;
  }

  private static String withRule(String prompt, String rule) {
    if (prompt.contains(rule)) {
      return prompt;
    }
    int firstLineEnd = prompt.indexOf('\n');
    return prompt.substring(0, firstLineEnd + 1) + rule + "\n" + prompt.substring(firstLineEnd + 1);
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start) + start.length();
    return text.substring(from, text.indexOf(end, from));
  }

  /** For tests that need the request itself. */
  public static String user(ChatRequest request) {
    return ScriptedChatModel.userMessage(request);
  }
}
