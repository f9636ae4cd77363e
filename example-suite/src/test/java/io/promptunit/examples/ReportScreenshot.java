package io.promptunit.examples;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.promptunit.Example;
import io.promptunit.check.Conversation;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Renders the example suites' HTML report in headless Chromium, for a look at what a user sees
 * (not part of {@code mvn verify}):
 *
 * <pre>
 * mvn -q -pl example-suite -am test-compile -Preport-screenshot
 * </pre>
 *
 * The suites run against scripted models served on 127.0.0.1 (no network, no key): the router and
 * extraction suites get the right answer except for a few examples, so the report has failures to
 * show; the priority suite gets {@link HouseRuleModels}, so its naive prompt fails the house-rule
 * examples and the optimization finds the rules. Output: {@code example-suite/target/report-screenshot/}
 * with {@code report.html}, {@code report-top.png} and {@code report-optimization.png}.
 */
public final class ReportScreenshot {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportScreenshot() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/report-screenshot").toAbsolutePath();
    Files.createDirectories(out);
    Map<String, String> oracle = new HashMap<>();
    List<String> wrong = new ArrayList<>();
    for (Class<?> anchor : List.of(SupportRouterPromptTest.class, ContactExtractionPromptTest.class)) {
      Suite suite = SuiteLoader.load(anchor);
      int n = 0;
      for (Example example : suite.examples()) {
        String user = Conversation.render(suite, example).user();
        oracle.put(user, example.expected());
        if (n++ % 7 == 3) {
          wrong.add(user);
        }
      }
    }
    Suite priority = SuiteLoader.load(TicketPriorityPromptTest.class);
    HouseRuleModels houseRules = new HouseRuleModels(priority.examples());
    ChatModel task = houseRules.task();
    ChatModel optimizer = houseRules.optimizer();

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setExecutor(Executors.newFixedThreadPool(32));
    server.createContext("/v1/chat/completions", exchange -> answer(exchange, oracle, wrong, task, optimizer));
    server.start();
    try {
      Map<String, String> settings = new HashMap<>();
      settings.put("promptunit.model", "openai:scripted");
      settings.put("promptunit.openai.base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
      settings.put("promptunit.output-dir", out.toString());
      settings.put("promptunit.cache", "off");
      settings.put("promptunit.embedded", "false");
      settings.put("promptunit.progress-seconds", "0");
      EngineTestKit.engine("promptunit")
          .selectors(selectClass(SupportRouterPromptTest.class), selectClass(ContactExtractionPromptTest.class),
              selectClass(TicketPriorityPromptTest.class))
          .configurationParameters(settings)
          .execute();
    } finally {
      server.stop(0);
    }
    Path report = out.resolve("report.html");
    screenshot(report.toUri() + "?failures=1", out.resolve("report-top.png"), 1400, 1800);
    screenshot(report.toUri() + "?failures=1&suite=" + TicketPriorityPromptTest.class.getName(), out.resolve("report-optimization.png"), 1400, 3200);
    System.out.println("report: " + report + "\nscreenshots: " + out.resolve("report-top.png") + ", " + out.resolve("report-optimization.png"));
  }

  private static void answer(HttpExchange exchange, Map<String, String> oracle, List<String> wrong, ChatModel task, ChatModel optimizer)
      throws IOException {
    JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
    List<ChatMessage> messages = new ArrayList<>();
    String system = "";
    String user = "";
    for (JsonNode message : request.get("messages")) {
      String content = message.get("content").asText();
      if (message.get("role").asText().equals("system")) {
        system = content;
        messages.add(SystemMessage.from(content));
      } else {
        user = content;
        messages.add(UserMessage.from(content));
      }
    }
    String text;
    if (system.contains("expert prompt engineer")) {
      text = optimizer.chat(ChatRequest.builder().messages(messages).build()).aiMessage().text();
    } else if (oracle.containsKey(user)) {
      text = wrong.contains(user) ? "I am not sure." : oracle.get(user);
    } else {
      text = task.chat(ChatRequest.builder().messages(messages).build()).aiMessage().text();
    }
    ObjectNode response = JSON.createObjectNode();
    response.put("id", "scripted");
    response.put("object", "chat.completion");
    response.put("model", request.get("model").asText());
    ObjectNode choice = response.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", text);
    choice.put("finish_reason", "stop");
    int in = (system.length() + user.length()) / 4;
    int outTokens = Math.max(1, text.length() / 4);
    response.putObject("usage").put("prompt_tokens", in).put("completion_tokens", outTokens).put("total_tokens", in + outTokens);
    byte[] bytes = response.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream body = exchange.getResponseBody()) {
      body.write(bytes);
    }
  }

  private static void screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
    Process chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        "--user-data-dir=" + Files.createTempDirectory("chromium"), "--window-size=" + width + "," + height, "--screenshot=" + png, url)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (chromium.waitFor() != 0 || !Files.isRegularFile(png)) {
      throw new IllegalStateException("chromium could not render " + url + " (install Debian's chromium package)");
    }
  }
}
