package io.promptunit.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A run of an engine inside this module's own test run (a test of the examples' behaviour, not the
 * examples' results): its reports go to a directory of their own, never over the main run's
 * {@code target/promptunit/report.html}, and its console lines (out and err) are kept here, so the main run's
 * console and report tell the story of the main run only.
 */
final class NestedRun {

  /** What the nested run printed, for a test to look at. */
  private String console = "";

  private NestedRun() {}

  /** The main run's report, which a nested run must leave alone. */
  static final Path MAIN_REPORT = Path.of("target/promptunit/report.html");

  static NestedRun of() {
    return new NestedRun();
  }

  /** Runs {@code engine} on {@code selectors} with {@code settings}, writing reports under target/nested-runs. */
  EngineExecutionResults execute(String engine, Map<String, String> settings, DiscoverySelector... selectors) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("promptunit.output-dir", outputDir(engine).toString());
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    try {
      return EngineTestKit.engine(engine).selectors(selectors).configurationParameters(all).execute();
    } finally {
      System.setOut(out);
      System.setErr(err);
      console = captured.toString(StandardCharsets.UTF_8);
    }
  }

  String console() {
    return console;
  }

  private static Path outputDir(String engine) {
    try {
      return Files.createDirectories(Path.of("target", "nested-runs", engine)).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
