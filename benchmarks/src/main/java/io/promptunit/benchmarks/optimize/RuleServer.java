package io.promptunit.benchmarks.optimize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted OpenAI-compatible server on 127.0.0.1 for the optimization benchmark, with separate
 * injected latencies for task calls ({@code gpt-4o-mini}) and optimizer calls ({@code gpt-4o}).
 *
 * <p>The task: support tickets of five urgent topics and one ordinary one. The task model is
 * literal-minded: it answers a ticket's urgency right only when the prompt states the rule of its
 * topic, and says P3 otherwise. The optimizer model finds, from the examples it is shown, one rule
 * at a time, and words its answers a little differently on every call (as a sampled model does), so
 * candidates differ and some improve, and a run needs several rounds. Token counts are o200k_base
 * counts of the request's messages and the answer, as OpenAI would report them.
 */
final class RuleServer implements AutoCloseable {

  /**
   * A task of the benchmark: its examples file, its rules by key, and the rules each topic needs. The literal-minded
   * task model gets a ticket right only when the prompt states every rule its topic needs.
   */
  record Task(String name, String examples, Map<String, String> rules, Map<String, List<String>> needs) {

    /** Five urgent topics and an ordinary one: each urgent topic needs its own rule. */
    static final Task TICKETS = tickets();
    /**
     * Six topics whose rules interact: a VIP outage needs the outage rule and the VIP rule, an outage during announced
     * maintenance needs the outage rule and the maintenance rule; a prompt with one of the two gets them wrong.
     */
    static final Task INTERACTING = interacting();

    private static Task tickets() {
      Map<String, String> rules = new LinkedHashMap<>();
      rules.put("security", "Security problems (strangers in accounts, leaked keys, data seen by the wrong people) are always P1.");
      rules.put("outage", "Problems that block several users at once are P2.");
      rules.put("payment", "Failed payments that stop a customer from paying are P1.");
      rules.put("dataloss", "Lost or deleted customer data is P1.");
      rules.put("slow", "Pages that load slowly for everyone are P2.");
      Map<String, List<String>> needs = new LinkedHashMap<>();
      rules.keySet().forEach(topic -> needs.put(topic, List.of(topic)));
      return new Task("tickets", "optimize/tickets.jsonl", rules, needs);
    }

    private static Task interacting() {
      Map<String, String> rules = new LinkedHashMap<>();
      rules.put("security", "Security problems (strangers in accounts, leaked keys, data seen by the wrong people) are always P1.");
      rules.put("outage", "Problems that block several users at once are P2.");
      rules.put("vip", "Customers on the VIP plan get one level more urgent than the other rules give (P3 becomes P2, P2 becomes P1).");
      rules.put("maintenance", "Anything that happens during an announced maintenance window is P3, whatever else it says.");
      rules.put("dataloss", "Lost or deleted customer data is P1.");
      Map<String, List<String>> needs = new LinkedHashMap<>();
      needs.put("security", List.of("security"));
      needs.put("outage", List.of("outage"));
      needs.put("vip-outage", List.of("outage", "vip"));
      needs.put("vip-question", List.of("vip"));
      needs.put("maintenance", List.of("outage", "maintenance"));
      needs.put("dataloss", List.of("dataloss"));
      return new Task("interacting", "optimize/interacting.jsonl", rules, needs);
    }

    /** The rule texts {@code topic} needs. */
    List<String> rulesOf(String topic) {
      return needs.getOrDefault(topic, List.of()).stream().map(rules::get).toList();
    }
  }

  private static final String[] VERBS = {"Classify", "Rate", "Label", "Grade", "Judge", "Assess", "Rank", "Mark"};
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Encoding TOKENS = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  private final Task task;
  private final Map<String, String> topicByInput = new LinkedHashMap<>();
  private final Map<String, String> expectedByInput = new LinkedHashMap<>();
  private final HttpServer server;
  private final ExecutorService executor;
  private final long taskLatency;
  private final long optimizerLatency;
  private final AtomicInteger counter = new AtomicInteger();
  private final AtomicInteger taskCalls = new AtomicInteger();
  private final AtomicInteger optimizerCalls = new AtomicInteger();
  private final AtomicInteger repeatedTaskCalls = new AtomicInteger();
  private final Set<String> taskBodies = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicLong[] tokens = {new java.util.concurrent.atomic.AtomicLong(),
      new java.util.concurrent.atomic.AtomicLong(), new java.util.concurrent.atomic.AtomicLong(), new java.util.concurrent.atomic.AtomicLong()};
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  RuleServer(Task task, long taskLatency, long optimizerLatency) {
    this.task = task;
    this.taskLatency = taskLatency;
    this.optimizerLatency = optimizerLatency;
    try (InputStream in = RuleServer.class.getClassLoader().getResourceAsStream(task.examples())) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          JsonNode node = JSON.readTree(line);
          topicByInput.put(node.get("input").asText(), node.get("tags").get(0).asText());
          expectedByInput.put(node.get("input").asText(), node.get("expected").asText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor = Executors.newFixedThreadPool(256, runnable -> {
      Thread thread = new Thread(runnable, "rule-server");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  void reset() {
    taskCalls.set(0);
    optimizerCalls.set(0);
    repeatedTaskCalls.set(0);
    taskBodies.clear();
    maxInFlight.set(0);
    for (var t : tokens) {
      t.set(0);
    }
  }

  /** Input and output tokens of task calls, then of optimizer calls: {@code task 12.3k in / 0.4k out, ...}. */
  String tokens() {
    return String.format(java.util.Locale.ROOT, "task %d in, %d out; optimizer %d in, %d out", tokens[0].get(), tokens[1].get(),
        tokens[2].get(), tokens[3].get());
  }

  int taskCalls() {
    return taskCalls.get();
  }

  int optimizerCalls() {
    return optimizerCalls.get();
  }

  /** Task requests whose model, messages and temperature the server had already answered (whatever their output cap). */
  int repeatedTaskCalls() {
    return repeatedTaskCalls.get();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      JsonNode request = JSON.readTree(body);
      boolean optimizer = request.get("model").asText().equals("gpt-4o");
      StringBuilder all = new StringBuilder();
      String user = "";
      for (JsonNode message : request.get("messages")) {
        all.append(message.get("content").asText()).append('\n');
        if (message.get("role").asText().equals("user")) {
          user = message.get("content").asText();
        }
      }
      String answer;
      if (optimizer) {
        optimizerCalls.incrementAndGet();
        answer = optimizerAnswer(user, counter.incrementAndGet());
      } else {
        taskCalls.incrementAndGet();
        // the same question asked again: same model, messages and temperature (an output cap does not change the answer's meaning)
        if (!taskBodies.add(request.get("model").asText() + "|" + request.get("messages") + "|" + request.path("temperature").asText())) {
          repeatedTaskCalls.incrementAndGet();
        }
        answer = taskAnswer(user);
      }
      Thread.sleep(optimizer ? optimizerLatency : taskLatency);
      int in = TOKENS.countTokensOrdinary(all.toString()) + 4 * request.get("messages").size();
      int out = TOKENS.countTokensOrdinary(answer);
      tokens[optimizer ? 2 : 0].addAndGet(in);
      tokens[optimizer ? 3 : 1].addAndGet(out);
      ObjectNode response = JSON.createObjectNode();
      response.put("id", "chatcmpl-" + counter.incrementAndGet());
      response.put("object", "chat.completion");
      response.put("created", System.currentTimeMillis() / 1000);
      response.put("model", request.get("model").asText());
      ObjectNode choice = response.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", answer);
      choice.put("finish_reason", "stop");
      response.putObject("usage").put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", in + out);
      byte[] bytes = response.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      inFlight.decrementAndGet();
      now = -1;
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out2 = exchange.getResponseBody()) {
        out2.write(bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.sendResponseHeaders(503, -1);
    } catch (RuntimeException e) {
      e.printStackTrace();
      exchange.sendResponseHeaders(500, -1);
    } finally {
      if (now != -1) {
        inFlight.decrementAndGet();
      }
      exchange.close();
    }
  }

  private String topicIn(String text) {
    return topicByInput.entrySet().stream().filter(e -> text.contains(e.getKey())).map(Map.Entry::getValue).findFirst().orElse("none");
  }

  private List<String> topicsIn(String text) {
    Set<String> topics = new LinkedHashSet<>();
    topicByInput.forEach((input, topic) -> {
      if (text.contains(input) && !task.rulesOf(topic).isEmpty()) {
        topics.add(topic);
      }
    });
    return new ArrayList<>(topics);
  }

  /** Right when the prompt states every rule the ticket's topic needs; otherwise a wrong label. */
  String taskAnswer(String prompt) {
    String input = topicByInput.keySet().stream().filter(prompt::contains).findFirst().orElse(null);
    if (input == null) {
      return "P3";
    }
    String expected = expectedByInput.get(input);
    boolean stated = task.rulesOf(topicByInput.get(input)).stream().allMatch(prompt::contains);
    return stated ? expected : expected.equals("P3") ? "P2" : "P3";
  }

  /** One rule that the topics of {@code shown} need and {@code prompt} lacks, chosen by {@code n}; null when none. */
  private String missingRule(String prompt, String shown, int n) {
    List<String> missing = topicsIn(shown).stream().flatMap(topic -> task.rulesOf(topic).stream())
        .filter(rule -> !prompt.contains(rule)).distinct().toList();
    return missing.isEmpty() ? null : missing.get(n % missing.size());
  }

  private static String reworded(String prompt, int n) {
    String verb = VERBS[n % VERBS.length];
    for (String old : VERBS) {
      if (prompt.startsWith(old + " ")) {
        return verb + prompt.substring(old.length());
      }
    }
    return prompt;
  }

  private static String withRule(String prompt, String rule) {
    if (rule == null || prompt.contains(rule)) {
      return prompt;
    }
    int firstLineEnd = prompt.indexOf('\n');
    return firstLineEnd < 0 ? prompt + " " + rule : prompt.substring(0, firstLineEnd + 1) + rule + "\n" + prompt.substring(firstLineEnd + 1);
  }

  String optimizerAnswer(String question, int n) {
    if (question.contains("<current_prompt>")) { // PE2
      String current = between(question, "<current_prompt>\n", "\n</current_prompt>");
      String examples = question.substring(question.indexOf("## Examples"));
      String rule = missingRule(current, examples, n);
      return "<reasoning>1. No, the output is wrong: the model answered P3. 2. Yes, it followed the prompt. 3. No: the prompt never says"
          + " how urgent this kind of ticket is. 4. Yes. 5. State the rule for this kind of ticket.</reasoning>\n"
          + "<prompt>" + reworded(withRule(current, rule), n) + "</prompt>\n<summary>Stated the rule: " + rule + "</summary>";
    }
    if (question.contains("Your task is to write an instruction")) { // OPRO
      int last = question.lastIndexOf("text:\n");
      String best = question.substring(last + 6, question.indexOf("\nscore:", last));
      List<String> missing = task.rules().values().stream().filter(rule -> !best.contains(rule)).toList();
      String added = missing.isEmpty() ? best : best + " " + missing.get(n % missing.size());
      return "<instruction>" + reworded(added, n) + "</instruction>";
    }
    if (question.contains("I gave a friend an instruction")) { // APE generation: as many as asked, with up to two rules of those shown
      List<String> topics = topicsIn(question);
      StringBuilder instructions = new StringBuilder();
      for (int i = 0; i < asked(question, "Give (\\d+) different candidate instruction", 3); i++) {
        StringBuilder instruction = new StringBuilder(VERBS[(n + i) % VERBS.length] + " the urgency of this support ticket as P1, P2 or P3.");
        for (int t = 0; t < Math.min(i % 3, topics.size()); t++) {
          instruction.append(' ').append(task.rulesOf(topics.get((n + i + t) % topics.size())).get(0));
        }
        instructions.append("<instruction>").append(instruction).append("</instruction>\n");
      }
      return instructions.toString();
    }
    if (question.contains("variations of the following instruction")) { // APE resampling: reword, sometimes add a rule
      String instruction = between(question, "<instruction>\n", "\n</instruction>");
      List<String> missing = task.rules().values().stream().filter(rule -> !instruction.contains(rule)).toList();
      StringBuilder variations = new StringBuilder();
      for (int i = 0; i < asked(question, "Generate (\\d+) variations", 3); i++) {
        String variation = i == 1 && !missing.isEmpty() ? instruction + " " + missing.get(n % missing.size()) : instruction;
        variations.append("<instruction>").append(reworded(variation, n + i)).append("</instruction>\n");
      }
      return variations.toString();
    }
    if (question.contains("Read the feedback on each example")) { // GEPA reflection: one missing rule of the failed examples
      String prompt = between(question, "<prompt>\n", "\n</prompt>");
      StringBuilder failed = new StringBuilder();
      for (String block : question.split("<example ")) {
        if (block.contains("result: failed")) {
          failed.append(block);
        }
      }
      String rule = missingRule(prompt, failed.toString(), n);
      return "<lesson>" + (rule == null ? "The prompt is vague about urgency." : "The prompt never says: " + rule) + "</lesson>\n"
          + "<prompt>" + reworded(withRule(prompt, rule), n) + "</prompt>";
    }
    if (question.contains("Two versions of a prompt")) { // GEPA merge: the rules of both versions
      String merged = between(question, "<prompt_a>\n", "\n</prompt_a>");
      String other = between(question, "<prompt_b>\n", "\n</prompt_b>");
      for (String rule : task.rules().values()) {
        if (other.contains(rule)) {
          merged = withRule(merged, rule);
        }
      }
      return "<lesson>Kept the rules of both versions.</lesson>\n<prompt>" + merged + "</prompt>";
    }
    if (question.contains("Mistakes often have separate causes")) { // ProTeGi critique
      String prompt = between(question, "<prompt>\n", "\n</prompt>");
      String rule = missingRule(prompt, question, n);
      return "Looking at the errors, the model labels these tickets P3 because nothing in the prompt marks them as urgent.\n<critique>"
          + (rule == null ? "The prompt is vague about urgency." : "The prompt never says: " + rule) + "</critique>";
    }
    if (question.contains("A reviewer found this problem")) { // ProTeGi edit
      String prompt = between(question, "<prompt>\n", "\n</prompt>");
      String critique = between(question, "<critique>\n", "\n</critique>");
      String rule = task.rules().values().stream().filter(critique::contains).findFirst().orElse(null);
      return "<prompt>\n" + withRule(prompt, rule) + "\n</prompt>";
    }
    if (question.contains("Rewrite the prompt below in")) { // ProTeGi paraphrase
      String prompt = between(question, "<prompt>\n", "\n</prompt>");
      return "<prompt>" + reworded(prompt, n) + "</prompt>\n<prompt>" + reworded(prompt, n + 3) + "</prompt>";
    }
    return "I do not understand the request.";
  }

  /** How many the question asks for, by {@code pattern}'s first group. */
  private static int asked(String question, String pattern, int fallback) {
    java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(pattern).matcher(question);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : fallback;
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    if (from < 0) {
      return "";
    }
    from += start.length();
    int to = text.indexOf(end, from);
    return to < 0 ? text.substring(from) : text.substring(from, to);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
