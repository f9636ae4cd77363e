package io.promptunit.examples;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.promptunit.Example;
import io.promptunit.optimize.Tagged;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scripted models for the ticket-priority suite. The task model gets an example right only when
 * the prompt states the house rule the example depends on (otherwise it answers like a literal
 * reader: P1 for loud tickets, P3 for calm ones). The optimizer model, shown failing examples,
 * states the rules those examples need — in whatever format each strategy asks for.
 */
final class HouseRuleModels {

  /** The house rules, in the order a reader would learn them, by the tag that marks their examples. */
  static final Map<String, String> RULES = new LinkedHashMap<>();

  static {
    RULES.put("SEC", "Security problems and data loss are always P1, however calmly they are reported.");
    RULES.put("MULTI", "Problems that block more than one user, outages included, are P2.");
    RULES.put("BILL_HIGH", "Billing disputes over $500 are P2.");
    RULES.put("LOW", "Everything else is P3, however urgent it sounds: one user's problem, billing disputes of $500 or less.");
  }

  private final List<Example> examples;
  final AtomicInteger taskCalls = new AtomicInteger();
  final AtomicInteger optimizerCalls = new AtomicInteger();

  HouseRuleModels(List<Example> examples) {
    this.examples = examples;
  }

  static String ruleKey(Example example) {
    List<String> tags = example.tags();
    if (!tags.contains("house-rule")) {
      return null;
    }
    if (tags.contains("security") || tags.contains("data-loss")) {
      return "SEC";
    }
    if (tags.contains("multi-user") || tags.contains("outage")) {
      return "MULTI";
    }
    if (tags.contains("billing-over-500")) {
      return "BILL_HIGH";
    }
    if (tags.contains("billing-500-or-less") || tags.contains("single-user")) {
      return "LOW";
    }
    return null;
  }

  private List<Example> mentionedIn(String text) {
    return examples.stream().filter(e -> text.contains(e.variables().get("subject").toString())).toList();
  }

  ChatModel task() {
    return scripted(taskCalls, this::taskAnswer);
  }

  ChatModel optimizer() {
    return scripted(optimizerCalls, this::optimizerAnswer);
  }

  private static ChatModel scripted(AtomicInteger counter, java.util.function.Function<String, String> script) {
    return new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        return answer(request, counter, script);
      }
    };
  }

  private static ChatResponse answer(ChatRequest request, AtomicInteger counter, java.util.function.Function<String, String> script) {
    counter.incrementAndGet();
    String user = request.messages().stream().filter(UserMessage.class::isInstance).map(m -> ((UserMessage) m).singleText())
        .reduce((a, b) -> b).orElse("");
    String system = request.messages().stream().filter(SystemMessage.class::isInstance).map(m -> ((SystemMessage) m).text())
        .findFirst().orElse("");
    String text = script.apply(system + "\n" + user);
    return ChatResponse.builder().aiMessage(AiMessage.from(text)).tokenUsage(new TokenUsage(user.length() / 4, 2)).build();
  }

  private String taskAnswer(String prompt) {
    Example example = mentionedIn(prompt).stream().findFirst().orElseThrow();
    String key = ruleKey(example);
    if (key == null || prompt.contains(RULES.get(key))) {
      return example.expected();
    }
    return example.expected().equals("P3") ? "P1" : "P3";
  }

  private String optimizerAnswer(String question) {
    List<String> needed = mentionedIn(question).stream().map(HouseRuleModels::ruleKey).filter(k -> k != null).distinct().toList();
    if (question.contains("<current_prompt>")) {
      String current = question.substring(question.indexOf("<current_prompt>\n") + 17, question.indexOf("\n</current_prompt>"));
      return "<reasoning>The prompt does not state the house rule these tickets follow.</reasoning>\n<prompt>"
          + withRules(current, needed) + "</prompt>\n<summary>Stated the house rules.</summary>";
    }
    if (question.contains("Mistakes often have separate causes")) {
      return "<critique>The prompt never states the house rules: " + String.join(" ", needed.stream().map(RULES::get).toList()) + "</critique>";
    }
    if (question.contains("A reviewer found this problem")) {
      String critique = Tagged.all(question, "critique").get(0);
      List<String> fromCritique = RULES.keySet().stream().filter(k -> critique.contains(RULES.get(k))).toList();
      return "<prompt>" + withRules(Tagged.all(question, "prompt").get(0), fromCritique) + "</prompt>";
    }
    if (question.contains("Rewrite the prompt below in")) {
      String prompt = Tagged.all(question, "prompt").get(0);
      return "<prompt>" + prompt.replace("Classify the urgency", "Rate the urgency") + "</prompt>";
    }
    if (question.contains("I gave a friend an instruction")) {
      String base = "Classify the urgency of this support ticket as P1, P2 or P3 (P1 is the most urgent).";
      return "<instruction>" + withRules(base, needed) + "</instruction>\n<instruction>" + base + "</instruction>";
    }
    if (question.contains("variations of the following instruction")) {
      String instruction = Tagged.all(question, "instruction").get(0);
      return "<instruction>" + instruction.replace("Classify the urgency", "Label the urgency") + "</instruction>";
    }
    if (question.contains("Your task is to write an instruction")) {
      int last = question.lastIndexOf("text:\n");
      String best = question.substring(last + 6, question.indexOf("\nscore:", last));
      String missing = RULES.keySet().stream().filter(k -> !best.contains(RULES.get(k))).findFirst().orElse("SEC");
      return "<instruction>" + withRules(best, List.of(missing)) + "</instruction>";
    }
    return "I cannot help with that.";
  }

  /** The prompt with the rules of {@code keys} added after its first line, in the house order. */
  static String withRules(String prompt, List<String> keys) {
    StringBuilder added = new StringBuilder();
    for (Map.Entry<String, String> rule : RULES.entrySet()) {
      if (keys.contains(rule.getKey()) && !prompt.contains(rule.getValue())) {
        added.append(rule.getValue()).append('\n');
      }
    }
    int firstLineEnd = prompt.indexOf('\n');
    if (firstLineEnd < 0) {
      return prompt + (added.length() == 0 ? "" : " " + added.toString().strip().replace('\n', ' '));
    }
    return prompt.substring(0, firstLineEnd + 1) + added + prompt.substring(firstLineEnd + 1);
  }
}
