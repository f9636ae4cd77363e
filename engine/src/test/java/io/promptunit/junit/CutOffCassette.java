package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptunit.config.CacheMode;
import io.promptunit.model.Cassette;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the batch tests of every provider check of a cassette in which one answer was cut off at its output cap. */
final class CutOffCassette {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CutOffCassette() {}

  /**
   * {@code cassette} holds five answers, of which exactly the one to the ticket containing {@code ticket} is
   * recorded cut off (finish reason {@code LENGTH}) with the text {@code answer}, and replays as cut off; the
   * others replay as complete.
   */
  static void holdsOneCutOffAnswer(Path cassette, String ticket, String answer) throws IOException {
    List<String> lines = Files.readAllLines(cassette);
    assertThat(lines).hasSize(5).filteredOn(line -> line.contains("\"finishReason\":\"LENGTH\"")).singleElement()
        .satisfies(line -> assertThat(line).contains(ticket, "\"text\":\"" + answer + "\""));
    try (Cassette replay = Cassette.open(cassette, CacheMode.REPLAY, System.err)) {
      for (String line : lines) {
        assertThat(replay.find(JSON.readTree(line).path("key").asText()).orElseThrow().truncated())
            .as("replayed as cut off: %s", line).isEqualTo(line.contains(ticket));
      }
    }
  }
}
