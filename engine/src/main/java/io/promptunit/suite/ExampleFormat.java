package io.promptunit.suite;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/** A file format for examples: reads records, reporting unreadable ones as problems instead of stopping. */
interface ExampleFormat {

  void read(String file, BufferedReader reader, Consumer<ExampleRecord> records, Consumer<SuiteProblem> problems)
      throws IOException;

  static Optional<ExampleFormat> forFile(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
      return Optional.of(new JsonlFormat());
    }
    if (lower.endsWith(".csv")) {
      return Optional.of(new CsvFormat());
    }
    return Optional.empty();
  }
}
