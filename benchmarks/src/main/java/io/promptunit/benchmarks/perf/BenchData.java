package io.promptunit.benchmarks.perf;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Generates the benchmark's examples files: support tickets of 12 to 40 words, each labeled with its team. */
final class BenchData {

  static final String[] TEAMS = {"billing", "technical", "account"};

  private static final String[] WORDS = (
      "hello I was charged twice for my plan this month and the invoice shows the wrong VAT number "
      + "since I replaced my router yesterday both cameras show offline please help the app crashes "
      + "when I open settings my password reset email never arrives can you refund the duplicate "
      + "payment our users get errors on login the export is empty I cannot change my billing address "
      + "upgrade downgrade subscription trial card declined two factor code account locked support "
      + "firmware update failed device not found sync stopped working slow dashboard timeout again").split(" ");

  private BenchData() {}

  /** Writes {@code count} examples to {@code file} (JSON Lines), the same ones for the same seed. */
  static void writeExamples(Path file, int count, long seed) throws IOException {
    Files.createDirectories(file.getParent());
    Random random = new Random(seed);
    StringBuilder line = new StringBuilder(512);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 1; i <= count; i++) {
        String team = TEAMS[random.nextInt(TEAMS.length)];
        line.setLength(0);
        line.append("{\"id\": \"t-").append(String.format("%06d", i)).append("\", \"input\": \"");
        int words = 12 + random.nextInt(29);
        for (int w = 0; w < words; w++) {
          if (w > 0) {
            line.append(' ');
          }
          line.append(WORDS[random.nextInt(WORDS.length)]);
        }
        line.append(". ").append(InstantModel.MARKER).append(team).append(")\", \"expected\": \"").append(team).append("\"}\n");
        out.append(line);
      }
    }
  }
}
