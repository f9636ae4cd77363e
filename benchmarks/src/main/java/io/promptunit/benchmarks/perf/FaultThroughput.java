package io.promptunit.benchmarks.perf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Throughput with transient provider faults: the 2,000-example HTTP suite at concurrency 64 against
 * {@link BenchServer} (50 ms per request), once with every request answered and once with every
 * 10th request failing with 503 (retried after PromptUnit's default backoff of 1 s, with jitter).
 * A retrying example must not idle the other workers: the faulty run should take about the
 * fault-free time plus one backoff.
 *
 * <p>Arguments: {@code runs=3 concurrency=64 faultEvery=10 latency=50 backoff=1000} (backoff: the first
 * retry's delay in ms, PromptUnit's default).
 */
public final class FaultThroughput {

  private FaultThroughput() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : String.join(" ", args).strip().split("\\s+")) {
      if (arg.contains("=")) {
        options.put(arg.substring(0, arg.indexOf('=')).replaceFirst("^--", ""), arg.substring(arg.indexOf('=') + 1));
      }
    }
    int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
    int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "64"));
    int faultEvery = Integer.parseInt(options.getOrDefault("faultEvery", "10"));
    int latency = Integer.parseInt(options.getOrDefault("latency", "50"));
    String backoff = options.getOrDefault("backoff", "1000");
    // the suite's examples go beside this class, on the classpath the JVM started with
    java.nio.file.Path classes = java.nio.file.Path.of(FaultThroughput.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    BenchData.writeExamples(classes.resolve(HttpSuite.EXAMPLES), HttpSuite.SIZE, 2);
    Launcher launcher = LauncherFactory.create();
    StringBuilder table = new StringBuilder("| faults | runs (ms) | median | requests |\n|---|---|--:|--:|\n");
    double[] medians = new double[2];
    for (int pass = 0; pass < 2; pass++) {
      int every = pass == 0 ? 0 : faultEvery;
      try (BenchServer server = new BenchServer(latency, 512, every)) {
        Map<String, String> config = new HashMap<>();
        config.put("promptunit.model", "openai:bench");
        config.put("promptunit.openai.base-url", server.baseUrl());
        config.put("promptunit.concurrency", String.valueOf(concurrency));
        config.put("promptunit.cache", "off");
        config.put("promptunit.retry-backoff-millis", backoff);
        // every 10th request fails, so now and then one example draws four failures in a row: let it retry
        config.put("promptunit.max-retries", "8");
        List<Double> times = new ArrayList<>();
        int requests = 0;
        for (int i = 0; i < runs + 1; i++) {
          server.reset();
          Launches.Outcome outcome = Launches.run(launcher, HttpSuite.class, "promptunit", config, () -> {});
          if (outcome.succeeded() != HttpSuite.SIZE) {
            throw new IllegalStateException("expected " + HttpSuite.SIZE + " passes, got " + outcome.succeeded() + ": " + outcome.firstProblem());
          }
          if (i > 0) {
            times.add(outcome.totalMillis());
            requests = server.requests();
          }
          System.err.printf(Locale.ROOT, "faults=%s run %d: %.0f ms, %d requests%n", every == 0 ? "none" : "1/" + every, i, outcome.totalMillis(), server.requests());
        }
        List<Double> sorted = times.stream().sorted().toList();
        medians[pass] = sorted.get(sorted.size() / 2);
        table.append(String.format(Locale.ROOT, "| %s | %s | %.0f ms | %d |%n", every == 0 ? "none" : "every " + every + "th request: 503",
            times.stream().map(t -> String.format(Locale.ROOT, "%.0f", t)).toList(), medians[pass], requests));
      }
    }
    System.out.print(table);
    System.out.printf(Locale.ROOT, "%nfaulty / fault-free: %.2fx (%d examples, concurrency %d, %d ms per request, retry backoff %s ms)%n",
        medians[1] / medians[0], HttpSuite.SIZE, concurrency, latency, backoff);
  }
}
