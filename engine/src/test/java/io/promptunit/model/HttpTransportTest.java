package io.promptunit.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import io.promptunit.config.Configuration;
import io.promptunit.testing.OpenAiCompatibleServer;
import io.promptunit.testing.OpenAiCompatibleServer.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What PromptUnit's HTTP client puts on the wire, against a server on 127.0.0.1. */
class HttpTransportTest {

  private static ModelClient openAi(OpenAiCompatibleServer server) {
    Configuration settings = Configuration.of(Map.of("promptunit.openai.base-url", server.baseUrl(),
        "promptunit.retry-backoff-millis", "1"));
    return new ModelClient(new ModelResolver(settings).resolve("openai:gpt-4o-mini", "test"), "openai:gpt-4o-mini",
        RetryPolicy.from(settings));
  }

  @Test
  void plainHttpIsAskedInHttp11WithCompactJsonBodies() throws Exception {
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(request -> Reply.text("billing"))) {
      ModelClient client = openAi(server);

      assertThat(client.chat(List.of(UserMessage.from("Route: I was charged twice\n(team?)")), 0.0, Optional.of(5))
          .text()).isEqualTo("billing");
      client.chat(List.of(UserMessage.from("again")), 0.0, Optional.empty());

      // no "Upgrade: h2c" offer that a plain-HTTP server declines on every request
      assertThat(server.upgradeHeaders()).containsExactly("null", "null");
      String body = server.requestBodies().get(0);
      // the only newline is the one inside the message's text, escaped
      assertThat(body).doesNotContain("\n").doesNotContain("\" : ").contains("\"model\":\"gpt-4o-mini\"")
          .contains("I was charged twice\\n(team?)");
      assertThat(new ObjectMapper().readTree(body).path("max_tokens").asInt()).isEqualTo(5);
    }
  }

  @Test
  void aFewClientThreadsServeManyCallsAtOnce() throws Exception {
    int concurrent = 24;
    CountDownLatch allArrived = new CountDownLatch(concurrent);
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(request -> {
      allArrived.countDown();
      try {
        // every answer waits until all calls are at the server: fewer at once and the calls fail
        return allArrived.await(20, TimeUnit.SECONDS) ? Reply.text("ok") : Reply.error(400, "not all at once");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Reply.error(400, "interrupted");
      }
    })) {
      ModelClient client = openAi(server);
      ExecutorService callers = Executors.newFixedThreadPool(concurrent);
      try {
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
          String text = "call " + i;
          answers.add(callers.submit(() -> client.chat(List.of(UserMessage.from(text)), 0.0, Optional.empty()).text()));
        }
        for (Future<String> answer : answers) {
          assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("ok");
        }
      } finally {
        callers.shutdownNow();
      }
      assertThat(server.maxInFlight()).isEqualTo(concurrent);
    }
  }

  @Test
  void aCallStartsNoThreadOfItsOwn() throws Exception {
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(request -> Reply.text("ok"))) {
      ModelClient client = openAi(server);
      client.chat(List.of(UserMessage.from("warm-up")), 0.0, Optional.empty());
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long before = threads.getTotalStartedThreadCount();

      for (int i = 0; i < 100; i++) {
        assertThat(client.chat(List.of(UserMessage.from("call " + i)), 0.0, Optional.empty()).text()).isEqualTo("ok");
      }

      // the JDK's sendAsync completes each call on CompletableFuture's default executor, which starts a thread per
      // task where the machine has two cores or fewer: 100 calls would start 100 threads (the client's own few and
      // the server's are the only ones expected)
      assertThat(threads.getTotalStartedThreadCount() - before).isLessThan(20);
    }
  }

  @Test
  void aModelKeepsItsClientFromLaunchToLaunchAndTwoModelsDoNotShareOne() {
    HttpTransport first = (HttpTransport) HttpTransport.builder("openai:model-a").build();
    HttpTransport again = (HttpTransport) HttpTransport.builder("openai:model-a").build();
    HttpTransport other = (HttpTransport) HttpTransport.builder("openai:model-b").build();

    // a launch does not leave a client and its connections behind for the next one
    assertThat(again.jdkClient()).isSameAs(first.jdkClient());
    // over HTTP/2 a client has one connection to a host, and Java 17's fails the requests beyond the server's
    // concurrent streams at once: two models (a matrix, a judge) must not pile their calls onto one connection
    assertThat(other.jdkClient()).isNotSameAs(first.jdkClient());
  }

  @Test
  void compactingKeepsEveryValueAsWritten() {
    String pretty = "{\n  \"model\" : \"gpt-4o-mini\",\n  \"temperature\" : 0.10,\n  \"n\" : 1E+2,\n"
        + "  \"messages\" : [ {\n    \"role\" : \"user\",\n    \"content\" : \"a  b\\n  c \\\"d\\\" é\"\n  } ],\n"
        + "  \"stop\" : null,\n  \"stream\" : false\n}";

    assertThat(HttpTransport.compact(pretty)).isEqualTo("{\"model\":\"gpt-4o-mini\",\"temperature\":0.10,\"n\":1E+2,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"a  b\\n  c \\\"d\\\" é\"}],\"stop\":null,\"stream\":false}");
  }

  @Test
  void aBodyThatIsNotPrettyJsonIsSentAsItIs() {
    String compact = "{\"a\":1}";
    assertThat(HttpTransport.compact(compact)).isSameAs(compact);
    assertThat(HttpTransport.compact("{\n not json")).isEqualTo("{\n not json");
    assertThat(HttpTransport.compact("key=value\nother=1")).isEqualTo("key=value\nother=1");
    assertThat(HttpTransport.compact(null)).isNull();
  }
}
