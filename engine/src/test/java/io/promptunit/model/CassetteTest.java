package io.promptunit.model;

import io.promptunit.config.CacheMode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CassetteTest {

  @TempDir
  Path directory;

  private static ChatRequest request(String text, double temperature) {
    return ChatRequest.builder().messages(UserMessage.from(text)).temperature(temperature).build();
  }

  @Test
  void theKeyCoversModelParametersMessagesAndSampleIndex() {
    String base = Cassette.key("openai:a", request("hi", 0.0), 0);

    assertThat(Cassette.key("openai:a", request("hi", 0.0), 0)).isEqualTo(base);
    assertThat(Cassette.key("openai:b", request("hi", 0.0), 0)).isNotEqualTo(base);
    assertThat(Cassette.key("openai:a", request("hi!", 0.0), 0)).isNotEqualTo(base);
    assertThat(Cassette.key("openai:a", request("hi", 0.7), 0)).isNotEqualTo(base);
    assertThat(Cassette.key("openai:a", request("hi", 0.0), 1)).isNotEqualTo(base);
    assertThat(Cassette.key("openai:a", ChatRequest.builder().messages(UserMessage.from("hi")).temperature(0.0).maxOutputTokens(5).build(), 0))
        .isNotEqualTo(base);
  }

  /** A replay miss says what differs from the nearest recorded request, and only what differs. */
  @Test
  void aReplayMissNamesTheDifferenceFromTheNearestRecordedRequest() throws IOException {
    Path file = directory.resolve("suite.jsonl");
    ChatRequest capped = ChatRequest.builder().messages(UserMessage.from("hi")).temperature(0.0).maxOutputTokens(512).build();
    try (Cassette cassette = Cassette.open(file, CacheMode.READ_WRITE, System.err)) {
      cassette.record(Cassette.key("openai:a", capped, 0), "openai:a", capped, 0, new Cassette.Entry("ok", 3, 1));
    }
    Cassette replay = Cassette.open(file, CacheMode.REPLAY, System.err);

    assertThat(replay.differenceFromNearest(Cassette.recordedRequest("openai:a", request("hi", 0.0), 0)))
        .isEqualTo("The same conversation was recorded, but recorded with maxOutputTokens 512, asked with none.");
    assertThat(replay.differenceFromNearest(Cassette.recordedRequest("openai:a", request("hi", 0.7), 1)))
        .isEqualTo("The same conversation was recorded, but recorded with maxOutputTokens 512, asked with none,"
            + " recorded with temperature 0.0, asked with 0.7, recorded as sample 0, asked as sample 1.");
    assertThat(replay.differenceFromNearest(Cassette.recordedRequest("openai:a", request("hello", 0.0), 0)))
        .startsWith("No recorded request has this conversation (1 recorded for model openai:a)");
  }

  /** A cut-off answer replays as cut off: its finish reason is recorded, and only then. */
  @Test
  void anAnswerCutOffAtItsOutputCapReplaysAsCutOff() throws IOException {
    Path file = directory.resolve("suite.jsonl");
    ChatRequest cut = request("write two prompts", 0.0);
    ChatRequest whole = request("write one word", 0.0);
    try (Cassette cassette = Cassette.open(file, CacheMode.READ_WRITE, System.err)) {
      cassette.record(Cassette.key("m", cut, 0), "m", cut, 0, new Cassette.Entry("<prompt>one", 3, 2, true));
      cassette.record(Cassette.key("m", whole, 0), "m", whole, 0, new Cassette.Entry("word", 3, 1));
    }
    ModelClient replay = new ModelClient(new io.promptunit.testing.ScriptedChatModel(request -> {
      throw new AssertionError("replay calls no model");
    }), "m", new RetryPolicy(0, 1)).withCassette(Cassette.open(file, CacheMode.REPLAY, System.err));

    assertThat(replay.chat(cut.messages(), 0.0, java.util.Optional.empty()).truncated()).isTrue();
    assertThat(replay.chat(whole.messages(), 0.0, java.util.Optional.empty()).truncated()).isFalse();
    assertThat(Files.readString(file)).containsOnlyOnce("\"finishReason\":\"LENGTH\"");
  }

  @Test
  void secretsInMessagesAreRedactedInTheRecording() throws IOException {
    Path file = directory.resolve("suite.jsonl");
    try (Cassette cassette = Cassette.open(file, CacheMode.READ_WRITE, System.err)) {
      ChatRequest request = request("use key sk-proj-abcdefghijklmnop1234 please", 0.0);
      cassette.record(Cassette.key("m", request, 0), "m", request, 0, new Cassette.Entry("ok", 3, 1));
    }

    assertThat(Files.readString(file)).doesNotContain("sk-proj-abcdefghijklmnop1234").contains("[redacted]");
  }

  @Test
  void concurrentWritersFromManyThreadsAndTwoInstancesLoseAndCorruptNothing() throws Exception {
    Path file = directory.resolve("suite.jsonl");
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    Cassette first = Cassette.open(file, CacheMode.READ_WRITE, new PrintStream(warnings));
    Cassette second = Cassette.open(file, CacheMode.READ_WRITE, new PrintStream(warnings));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> writes = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int n = i;
      Cassette target = n % 2 == 0 ? first : second;
      writes.add(pool.submit(() -> {
        ChatRequest request = request("question " + n, 0.0);
        target.record(Cassette.key("m", request, 0), "m", request, 0, new Cassette.Entry("answer " + n, n, 1));
      }));
    }
    for (Future<?> write : writes) {
      write.get();
    }
    pool.shutdown();
    first.close();
    second.close();

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(400).isSorted();
    ObjectMapper json = new ObjectMapper();
    for (String line : lines) {
      assertThat(json.readTree(line).get("response").get("text").asText()).startsWith("answer ");
    }
    Cassette reread = Cassette.open(file, CacheMode.REPLAY, new PrintStream(warnings));
    ChatRequest request = request("question 123", 0.0);
    assertThat(reread.find(Cassette.key("m", request, 0))).hasValueSatisfying(e -> assertThat(e.text()).isEqualTo("answer 123"));
    assertThat(warnings.toString()).isEmpty();
  }

  @Test
  void anUnreadableCassetteLineIsReportedWithItsLine() throws IOException {
    Path file = directory.resolve("suite.jsonl");
    Files.writeString(file, "{\"key\": \"short\"\n");
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();

    Cassette.open(file, CacheMode.READ_WRITE, new PrintStream(warnings));

    assertThat(warnings.toString()).contains("ignoring unreadable entry at " + file + ":1");
  }

  private static String line(String key, String answer) {
    return "{\"key\":\"" + key + "\",\"request\":{\"model\":\"m\"},\"response\":{\"text\":\"" + answer
        + "\",\"inputTokens\":3,\"outputTokens\":1}}";
  }

  @Test
  void theSameKeyTwiceWithDifferentAnswersWarnsNamingTheLinesAndTheLastLineWins() throws IOException {
    Path file = directory.resolve("suite.jsonl");
    String key = Cassette.key("m", request("hi", 0.0), 0);
    String other = Cassette.key("m", request("other", 0.0), 0);
    // what a union merge of two recordings of the same request leaves
    Files.writeString(file, String.join("\n", line(key, "billing"), line(other, "ok"), line(key, "technical")) + "\n");
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();

    Cassette replay = Cassette.open(file, CacheMode.REPLAY, new PrintStream(warnings));

    assertThat(replay.find(key)).hasValueSatisfying(entry -> assertThat(entry.text()).isEqualTo("technical"));
    assertThat(warnings.toString()).contains(file + " records one request (key " + key.substring(0, 12)
        + "…) twice with different answers, at lines 1 and 3; line 3 (the last in the file) is used")
        .contains("promptunit.cache=read-write");

    try (Cassette cassette = Cassette.open(file, CacheMode.READ_WRITE, new PrintStream(warnings))) {
      assertThat(cassette.find(key)).hasValueSatisfying(entry -> assertThat(entry.text()).isEqualTo("technical"));
    }
    assertThat(Files.readAllLines(file)).containsExactlyInAnyOrder(line(other, "ok"), line(key, "technical"));
  }

  @Test
  void theSameKeyTwiceWithTheSameAnswerIsKeptOnceWithoutAWarning() throws IOException {
    Path file = directory.resolve("suite.jsonl");
    String key = Cassette.key("m", request("hi", 0.0), 0);
    Files.writeString(file, line(key, "ok") + "\n" + line(key, "ok") + "\n");
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();

    Cassette.open(file, CacheMode.READ_WRITE, new PrintStream(warnings)).close();

    assertThat(warnings.toString()).isEmpty();
    assertThat(Files.readAllLines(file)).containsExactly(line(key, "ok"));
  }

  @Test
  void recordingAndPruningLeaveOneLinePerKey() throws IOException {
    Path file = directory.resolve("suite.jsonl");
    ChatRequest asked = request("hi", 0.0);
    String key = Cassette.key("m", asked, 0);
    Files.writeString(file, line(key, "billing") + "\n" + line(key, "technical") + "\n");

    try (Cassette cassette = Cassette.open(file, CacheMode.RECORD, new PrintStream(new ByteArrayOutputStream()))) {
      cassette.pruneUnused();
    }
    assertThat(Files.readAllLines(file)).as("nothing asked, so the pruned cassette is empty").isEmpty();

    Files.writeString(file, line(key, "billing") + "\n" + line(key, "technical") + "\n");
    try (Cassette cassette = Cassette.open(file, CacheMode.READ_WRITE, new PrintStream(new ByteArrayOutputStream()))) {
      cassette.pruneUnused();
      cassette.find(key);
    }
    assertThat(Files.readAllLines(file)).containsExactly(line(key, "technical"));
  }
}
