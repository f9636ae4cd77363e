package io.promptunit.benchmarks.perf;

import io.promptunit.testing.OpenAiBatchServer;
import io.promptunit.testing.OpenAiBatchServer.Outcome;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Batch mode at scale: 100,000 examples through a fake OpenAI batch server (in this JVM) that holds
 * each batch {@code in_progress} for a simulated processing delay; the suite runs in a forked JVM
 * with {@code -Xmx512m}, which reports its peak heap and wall time. Then a second run from the
 * filled cassette. Options: {@code --delay=seconds} (10), {@code --examples} is fixed at 100,000.
 *
 * <p>Run: {@code mvn -q -pl benchmarks -am package -DskipTests -Pbatch-benchmark}.
 */
public final class BatchBenchmark {

  private BatchBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      if (arg.startsWith("--") && arg.contains("=")) {
        options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      }
    }
    if (options.containsKey("worker")) {
      worker(options);
      return;
    }
    Path work = Path.of(options.getOrDefault("work", "target/batch")).toAbsolutePath();
    int delay = Integer.parseInt(options.getOrDefault("delay", "10"));
    Path data = work.resolve("data");
    Path cassettes = work.resolve("cassettes");
    deleteTree(cassettes);
    System.err.println("[batch] generating " + ScaleSuite.SIZE + " examples in " + data);
    BenchData.writeExamples(data.resolve(ScaleSuite.EXAMPLES), ScaleSuite.SIZE, 100);
    try (OpenAiBatchServer server = OpenAiBatchServer.start(body -> new Outcome.Answer(InstantModel.answerFor(OpenAiBatchServer.lastUserText(body))))) {
      server.processingDelay(Duration.ofSeconds(delay));
      String first = fork(work, data, cassettes, server.baseUrl(), "first");
      int uploads = server.uploads();
      long uploaded = server.uploadSizes().stream().mapToLong(Long::longValue).sum();
      int batches = server.batchesCreated();
      String second = fork(work, data, cassettes, server.baseUrl(), "rerun");
      System.out.println();
      System.out.println("Batch mode, " + ScaleSuite.SIZE + " examples, simulated processing delay " + delay + " s per batch, -Xmx512m, "
          + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"));
      System.out.println("first run:  " + first);
      System.out.printf(Locale.ROOT, "            %d batches, %d uploads, %.1f MB uploaded (request files streamed from disk)%n", batches, uploads,
          uploaded / 1e6);
      System.out.println("re-run:     " + second + "; uploads after it: " + server.uploads() + ", batches: " + server.batchesCreated());
    }
  }

  private static String fork(Path work, Path data, Path cassettes, String baseUrl, String label) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + work.resolve(label + "-gc.log"), "-classpath",
        System.getProperty("java.class.path") + File.pathSeparator + data, BatchBenchmark.class.getName(), "--worker=" + label,
        "--base-url=" + baseUrl, "--cassettes=" + cassettes));
    Path log = work.resolve(label + ".log");
    Files.createDirectories(work);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int exit = process.waitFor();
    List<String> lines = Files.readAllLines(log);
    lines.stream().filter(line -> line.contains("[PromptUnit]") && (line.contains("batch") || line.contains("passed"))).limit(12)
        .forEach(line -> System.err.println("[batch] " + label + ": " + line));
    String result = lines.stream().filter(line -> line.startsWith("RESULT ")).reduce((a, b) -> b).orElse(null);
    if (exit != 0 || result == null) {
      throw new IllegalStateException("the " + label + " run failed (exit " + exit + "); see " + log);
    }
    return result.substring("RESULT ".length());
  }

  private static void worker(Map<String, String> options) throws InterruptedException {
    Map<String, String> config = Map.of(
        "promptunit.model", "openai:gpt-4o-mini",
        "promptunit.openai.base-url", options.get("base-url"),
        "promptunit.cache", "read-write",
        "promptunit.cache-dir", options.get("cassettes"),
        "promptunit.batch", "true",
        "promptunit.batch.poll-millis", "250",
        "promptunit.progress-seconds", "5",
        "promptunit.embedded", "false",
        "promptunit.report", "false");
    PerfWorker.HeapWatch heap = new PerfWorker.HeapWatch();
    Launcher launcher = LauncherFactory.create();
    Launches.Outcome outcome = Launches.run(launcher, BatchScaleSuite.class, "promptunit", config, () -> {});
    heap.close();
    System.out.printf(Locale.ROOT, "RESULT %d passed, %d failed, %d aborted in %.1f s; peak heap used %d MB, peak after GC %d MB (max %d MB); calls %s, cost $%s%n",
        outcome.succeeded(), outcome.failed(), outcome.aborted(), outcome.totalMillis() / 1000, heap.peakUsed() >> 20, heap.peakAfterGc() >> 20,
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() >> 20, outcome.suiteEntries().get("promptunit.calls"),
        outcome.suiteEntries().get("promptunit.cost"));
  }

  private static void deleteTree(Path directory) throws IOException {
    if (Files.exists(directory)) {
      try (var paths = Files.walk(directory)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }
}
