package io.promptunit.benchmarks.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.input.PromptTemplate;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor of the HTTP figure: the same chat-completion requests (bodies prepared in advance) sent
 * to the same server by a bare JDK {@link HttpClient} from a fixed pool of {@code concurrency}
 * threads — no test engine, no langchain4j. What PromptUnit adds is the difference.
 */
final class RawHttpBaseline {

  private final List<String> bodies = new ArrayList<>();
  private final List<String> prompts = new ArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();

  RawHttpBaseline(String examplesResource, String promptResource) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ClassLoader loader = RawHttpBaseline.class.getClassLoader();
    String template;
    try (InputStream in = loader.getResourceAsStream(promptResource)) {
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
    }
    PromptTemplate prompt = PromptTemplate.from(template);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(loader.getResourceAsStream(examplesResource), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String input = json.readTree(line).get("input").asText();
        ObjectNode body = json.createObjectNode();
        body.put("model", "bench");
        ObjectNode message = body.putArray("messages").addObject();
        message.put("role", "user");
        String text = prompt.apply(Map.of("input", input)).text();
        prompts.add(text);
        message.put("content", text);
        body.put("temperature", 0.0);
        bodies.add(body.toString());
      }
    }
  }

  /**
   * The same prompts through langchain4j's {@link OpenAiChatModel} alone (its own JDK HTTP client, no retries), at
   * most {@code concurrency} at a time: what a hand-written loop over langchain4j costs, without PromptUnit. Returns
   * the wall time in milliseconds.
   */
  double runThroughLangchain4j(String baseUrl, int concurrency) throws Exception {
    ChatModel model = OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("not-a-real-key").modelName("bench")
        .temperature(0.0).maxRetries(0).build();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      long start = System.nanoTime();
      List<Future<String>> answers = new ArrayList<>();
      for (String text : prompts) {
        answers.add(pool.submit(() -> model.chat(UserMessage.from(text)).aiMessage().text()));
      }
      for (Future<String> answer : answers) {
        if (answer.get() == null || answer.get().isBlank()) {
          throw new IllegalStateException("no answer");
        }
      }
      return (System.nanoTime() - start) / 1e6;
    } finally {
      pool.shutdownNow();
    }
  }

  int size() {
    return bodies.size();
  }

  /** Sends every request, at most {@code concurrency} at a time; returns the wall time in milliseconds. */
  double run(String baseUrl, int concurrency) throws Exception {
    URI uri = URI.create(baseUrl + "/chat/completions");
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      long start = System.nanoTime();
      List<Future<Integer>> results = new ArrayList<>();
      for (String body : bodies) {
        results.add(pool.submit(() -> client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()));
      }
      for (Future<Integer> result : results) {
        if (result.get() != 200) {
          throw new IllegalStateException("status " + result.get());
        }
      }
      return (System.nanoTime() - start) / 1e6;
    } finally {
      pool.shutdownNow();
    }
  }
}
