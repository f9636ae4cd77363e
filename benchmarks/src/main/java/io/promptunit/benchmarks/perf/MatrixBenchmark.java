package io.promptunit.benchmarks.perf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Three models side by side: the 2,000-example HTTP suite against {@link BenchServer} (50 ms per request) with one
 * model ({@code promptunit.models=openai:bench-a}) and with three ({@code openai:bench-a,openai:bench-b,
 * openai:bench-c}), each model within its own {@code promptunit.concurrency}. The models run concurrently, so three
 * should take about the time of one (target: at most 1.3x).
 *
 * <p>Arguments: {@code runs=3 concurrency=8 latency=50}.
 */
public final class MatrixBenchmark {

  private MatrixBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : String.join(" ", args).strip().split("\\s+")) {
      if (arg.contains("=")) {
        options.put(arg.substring(0, arg.indexOf('=')).replaceFirst("^--", ""), arg.substring(arg.indexOf('=') + 1));
      }
    }
    int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
    int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "8"));
    int latency = Integer.parseInt(options.getOrDefault("latency", "50"));
    Path classes = Path.of(MatrixBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    BenchData.writeExamples(classes.resolve(HttpSuite.EXAMPLES), HttpSuite.SIZE, 2);
    Launcher launcher = LauncherFactory.create();
    List<String> modelSets = List.of("openai:bench-a", "openai:bench-a,openai:bench-b,openai:bench-c");
    StringBuilder table = new StringBuilder("| models | tests | runs (s) | median | requests per run |\n"
        + "|---|--:|---|--:|--:|\n");
    double[] medians = new double[2];
    try (BenchServer server = new BenchServer(latency, 512)) {
      for (int set = 0; set < modelSets.size(); set++) {
        String models = modelSets.get(set);
        int count = models.split(",").length;
        Map<String, String> config = new HashMap<>();
        config.put("promptunit.models", models);
        config.put("promptunit.openai.base-url", server.baseUrl());
        config.put("promptunit.concurrency", String.valueOf(concurrency));
        config.put("promptunit.cache", "off");
        config.put("promptunit.report", "false");
        config.put("promptunit.progress-seconds", "0");
        for (String model : List.of("bench-a", "bench-b", "bench-c")) {
          config.put("promptunit.price." + model, "0.15,0.60");
        }
        List<Double> times = new ArrayList<>();
        int requests = 0;
        for (int i = 0; i < runs + 1; i++) {
          server.reset();
          Launches.Outcome outcome = Launches.run(launcher, HttpSuite.class, "promptunit", config, () -> { });
          long expected = (long) HttpSuite.SIZE * count;
          if (outcome.succeeded() != expected) {
            throw new IllegalStateException("expected " + expected + " passes, got " + outcome.succeeded() + ": "
                + outcome.firstProblem());
          }
          if (i > 0) {
            times.add(outcome.totalMillis() / 1000.0);
            requests = server.requests();
          }
          System.err.printf(Locale.ROOT, "%d model(s) run %d: %.2f s, %d requests%n", count, i,
              outcome.totalMillis() / 1000.0, server.requests());
        }
        List<Double> sorted = times.stream().sorted().toList();
        medians[set] = sorted.get(sorted.size() / 2);
        table.append(String.format(Locale.ROOT, "| %s | %d | %s | %.2f s | %d |%n", models.replace(",", ", "),
            HttpSuite.SIZE * count, times.stream().map(t -> String.format(Locale.ROOT, "%.2f", t)).toList(),
            medians[set], requests));
      }
    }
    System.out.print(table);
    System.out.printf(Locale.ROOT, "%nthree models / one model: %.2fx (target at most 1.3x; %d examples, concurrency %d"
        + " per model, %d ms per request)%n", medians[1] / medians[0], HttpSuite.SIZE, concurrency, latency);
  }
}
