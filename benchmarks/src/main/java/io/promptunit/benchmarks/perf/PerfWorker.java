package io.promptunit.benchmarks.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * One benchmark scenario in its own JVM, started by {@link PerfBenchmark} with the generated
 * examples on the classpath. Writes raw measurements (JSON) to the file named by {@code out=}.
 *
 * <pre>
 * PerfWorker overhead out=... warmup=3 runs=5
 * PerfWorker http     out=... warmup=2 runs=5 c1runs=1 latency=50 concurrency=64,32,8,1 cacheDir=...
 * PerfWorker scale    out=... warmup=1 runs=3
 * </pre>
 */
public final class PerfWorker {

  private static final PrintStream LOG = System.err;

  private PerfWorker() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    options.put("scenario", args[0]);
    // PromptUnit prints a summary line per suite on System.out; the worker's stdout is not read, keep it quiet.
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    Map<String, Object> result = switch (args[0]) {
      case "overhead" -> overhead(options);
      case "http" -> http(options);
      case "raw" -> raw(options);
      case "langchain4j" -> raw(options);
      case "scale" -> scale(options);
      default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
    };
    result.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    result.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(options.get("out")).toFile(), result);
    System.exit(0);
  }

  private static int intOption(Map<String, String> options, String key, int defaultValue) {
    return options.containsKey(key) ? Integer.parseInt(options.get(key)) : defaultValue;
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Engine overhead: PromptUnit vs Jupiter @ParameterizedTest, same JVM, interleaved runs.

  private static Map<String, Object> overhead(Map<String, String> options) {
    int warmup = intOption(options, "warmup", 3);
    int runs = intOption(options, "runs", 5);
    Launcher launcher = LauncherFactory.create();
    Map<String, String> promptUnit = Map.of("promptunit.cache", "off");
    Map<String, String> promptUnitSerial = Map.of("promptunit.cache", "off", "promptunit.concurrency", "1");
    Map<String, String> jupiter = Map.of();
    Samples pu = new Samples();
    Samples serial = new Samples();
    Samples ju = new Samples();
    for (int i = 0; i < warmup + runs; i++) {
      boolean measured = i >= warmup;
      System.gc();
      Launches.Outcome a = check(Launches.run(launcher, OverheadSuite.class, "promptunit", promptUnit, () -> {}), OverheadSuite.SIZE, "PromptUnit");
      System.gc();
      Launches.Outcome b = check(Launches.run(launcher, OverheadSuite.class, "promptunit", promptUnitSerial, () -> {}), OverheadSuite.SIZE, "PromptUnit c=1");
      System.gc();
      Launches.Outcome c = check(Launches.run(launcher, JupiterBaseline.class, "junit-jupiter", jupiter, () -> {}), OverheadSuite.SIZE, "Jupiter");
      LOG.printf("[perf] overhead %s %d: PromptUnit %.0f ms (discovery %.0f), PromptUnit concurrency 1 %.0f ms, Jupiter %.0f ms (discovery %.0f)%n",
          measured ? "run" : "warm-up", measured ? i - warmup + 1 : i + 1, a.totalMillis(), a.discoveryMillis(), b.totalMillis(),
          c.totalMillis(), c.discoveryMillis());
      if (measured) {
        pu.add(a);
        serial.add(b);
        ju.add(c);
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("examples", OverheadSuite.SIZE);
    result.put("warmup", warmup);
    result.put("promptunit", pu.toMap());
    result.put("promptunitSerial", serial.toMap());
    result.put("jupiter", ju.toMap());
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // 3. Parallel model calls over HTTP, and 4. the warm cache.

  private static Map<String, Object> http(Map<String, String> options) throws Exception {
    int warmup = intOption(options, "warmup", 2);
    int runs = intOption(options, "runs", 5);
    int c1runs = intOption(options, "c1runs", 1);
    int latency = intOption(options, "latency", 50);
    List<Integer> levels = Stream.of(options.getOrDefault("concurrency", "64,32,8,1").split(","))
        .map(String::strip).map(Integer::parseInt).sorted(Comparator.reverseOrder()).toList();
    Launcher launcher = LauncherFactory.create();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("examples", HttpSuite.SIZE);
    result.put("latencyMillis", latency);
    try (BenchServer server = new BenchServer(latency, 512)) {
      Map<String, String> base = new HashMap<>();
      base.put("promptunit.model", "openai:bench");
      base.put("promptunit.openai.base-url", server.baseUrl());
      base.put("promptunit.timeout-seconds", "30");
      base.put("promptunit.retry-backoff-millis", "100");

      Map<String, Object> byLevel = new LinkedHashMap<>();
      for (int index = 0; index < levels.size(); index++) {
        int concurrency = levels.get(index);
        Map<String, String> config = new HashMap<>(base);
        config.put("promptunit.concurrency", String.valueOf(concurrency));
        config.put("promptunit.cache", "off");
        int warm = index == 0 ? warmup : 0;
        int measuredRuns = concurrency == 1 ? c1runs : runs;
        Samples samples = new Samples();
        List<Integer> maxInFlight = new ArrayList<>();
        List<Integer> requests = new ArrayList<>();
        List<Double> processCpu = new ArrayList<>();
        List<Double> serverCpu = new ArrayList<>();
        Map<String, List<Double>> threadCpu = new LinkedHashMap<>();
        for (int i = 0; i < warm + measuredRuns; i++) {
          System.gc();
          server.reset();
          ThreadCpu threadsBefore = ThreadCpu.now();
          long cpu = processCpuNanos();
          long serverCpuStart = serverCpuNanos();
          Launches.Outcome outcome = check(Launches.run(launcher, HttpSuite.class, "promptunit", config, () -> {}), HttpSuite.SIZE, "HTTP c=" + concurrency);
          double cpuMillis = (processCpuNanos() - cpu) / 1e6;
          double serverCpuMillis = (serverCpuNanos() - serverCpuStart) / 1e6;
          Map<String, Double> byThread = ThreadCpu.between(threadsBefore, ThreadCpu.now(), cpuMillis);
          LOG.printf("[perf] http c=%d %s: %.0f ms (discovery %.0f ms), %d requests, at most %d in flight; CPU %.0f ms (server %.0f ms); by thread %s%n", concurrency,
              i < warm ? "warm-up" : "run " + (i - warm + 1), outcome.totalMillis(), outcome.discoveryMillis(), server.requests(), server.maxInFlight(),
              cpuMillis, serverCpuMillis, byThread);
          if (index == 0 && i == 0) {
            // the first run in this JVM: what a fresh `mvn test` JVM pays (class loading, JIT)
            result.put("cold", Map.of("concurrency", concurrency, "totalMillis", outcome.totalMillis(),
                "processCpuMillis", cpuMillis, "serverCpuMillis", serverCpuMillis, "threadCpuMillis", byThread));
          }
          if (i >= warm) {
            byThread.forEach((group, millis) -> threadCpu.computeIfAbsent(group, g -> new ArrayList<>()).add(millis));
            samples.add(outcome);
            maxInFlight.add(server.maxInFlight());
            requests.add(server.requests());
            processCpu.add(cpuMillis);
            serverCpu.add(serverCpuMillis);
          }
        }
        Map<String, Object> level = samples.toMap();
        level.put("maxInFlight", maxInFlight);
        level.put("serverRequests", requests);
        level.put("processCpuMillis", processCpu);
        level.put("serverCpuMillis", serverCpu);
        level.put("threadCpuMillis", ThreadCpu.everyRun(threadCpu, processCpu.size()));
        byLevel.put(String.valueOf(concurrency), level);
      }
      result.put("warmup", warmup);
      result.put("concurrency", byLevel);


      // 4. Cache: record once (cold), then re-run warm from the cassette.
      Path cacheDir = Path.of(options.get("cacheDir"));
      deleteTree(cacheDir);
      int cacheConcurrency = levels.get(0);
      Map<String, String> config = new HashMap<>(base);
      config.put("promptunit.concurrency", String.valueOf(cacheConcurrency));
      config.put("promptunit.cache", "read-write");
      config.put("promptunit.cache-dir", cacheDir.toString());
      server.reset();
      System.gc();
      Launches.Outcome record = check(Launches.run(launcher, HttpSuite.class, "promptunit", config, () -> {}), HttpSuite.SIZE, "cache record");
      LOG.printf("[perf] cache record run: %.0f ms, %d requests%n", record.totalMillis(), server.requests());
      Map<String, Object> cache = new LinkedHashMap<>();
      cache.put("concurrency", cacheConcurrency);
      cache.put("recordMillis", record.totalMillis());
      cache.put("recordRequests", server.requests());
      cache.put("cassetteBytes", Files.size(cacheDir.resolve(HttpSuite.class.getName() + ".jsonl")));
      Samples warmRuns = new Samples();
      List<Integer> warmRequests = new ArrayList<>();
      List<String> calls = new ArrayList<>();
      List<String> cached = new ArrayList<>();
      for (int i = 0; i < warmup + runs; i++) {
        System.gc();
        server.reset();
        Launches.Outcome outcome = check(Launches.run(launcher, HttpSuite.class, "promptunit", config, () -> {}), HttpSuite.SIZE, "cache warm");
        LOG.printf("[perf] cache warm %s: %.0f ms, %d requests at the server, promptunit.calls=%s, cachedAnswers=%s%n",
            i < warmup ? "warm-up" : "run " + (i - warmup + 1), outcome.totalMillis(), server.requests(),
            outcome.suiteEntries().get("promptunit.calls"), outcome.suiteEntries().get("promptunit.cachedAnswers"));
        if (i >= warmup) {
          warmRuns.add(outcome);
          warmRequests.add(server.requests());
          calls.add(outcome.suiteEntries().get("promptunit.calls"));
          cached.add(outcome.suiteEntries().get("promptunit.cachedAnswers"));
        }
      }
      Map<String, Object> warm = warmRuns.toMap();
      warm.put("serverRequests", warmRequests);
      warm.put("reportedCalls", calls);
      warm.put("cachedAnswers", cached);
      cache.put("warm", warm);
      result.put("cache", cache);
    }
    return result;
  }

  /**
   * The floor of the HTTP figure, in a JVM of its own so that its first run is as cold as PromptUnit's: the same
   * requests from a bare JDK HttpClient, no engine, no langchain4j; or (scenario {@code langchain4j}) the same
   * prompts through langchain4j's OpenAI model alone.
   */
  private static Map<String, Object> raw(Map<String, String> options) throws Exception {
    int runs = intOption(options, "runs", 5);
    int latency = intOption(options, "latency", 50);
    Map<String, Object> result = new LinkedHashMap<>();
    try (BenchServer server = new BenchServer(latency, 512)) {
      // The floor: the same requests from a bare JDK HttpClient, no engine, no langchain4j.
      RawHttpBaseline raw = new RawHttpBaseline(HttpSuite.EXAMPLES, OverheadSuite.PROMPT);
      Map<String, Object> rawByLevel = new LinkedHashMap<>();
      boolean first = true;
      for (String level : options.getOrDefault("rawConcurrency", "64").split(",")) {
        int concurrency = Integer.parseInt(level.strip());
        List<Double> times = new ArrayList<>();
        List<Double> processCpu = new ArrayList<>();
        List<Double> serverCpu = new ArrayList<>();
        List<Integer> maxInFlight = new ArrayList<>();
        Map<String, List<Double>> threadCpu = new LinkedHashMap<>();
        for (int i = 0; i < 1 + runs; i++) {
          System.gc();
          server.reset();
          ThreadCpu threadsBefore = ThreadCpu.now();
          long cpu = processCpuNanos();
          long serverCpuStart = serverCpuNanos();
          double millis = "langchain4j".equals(options.get("scenario"))
              ? raw.runThroughLangchain4j(server.baseUrl(), concurrency)
              : raw.run(server.baseUrl(), concurrency);
          double cpuMillis = (processCpuNanos() - cpu) / 1e6;
          double serverCpuMillis = (serverCpuNanos() - serverCpuStart) / 1e6;
          Map<String, Double> byThread = ThreadCpu.between(threadsBefore, ThreadCpu.now(), cpuMillis);
          LOG.printf("[perf] raw http c=%d %s: %.0f ms, %d requests, at most %d in flight; CPU %.0f ms (server %.0f ms); by thread %s%n", concurrency,
              i == 0 ? "warm-up" : "run " + i, millis, server.requests(), server.maxInFlight(), cpuMillis, serverCpuMillis, byThread);
          if (first) {
            result.put("cold", Map.of("concurrency", concurrency, "totalMillis", millis, "processCpuMillis", cpuMillis,
                "serverCpuMillis", serverCpuMillis, "threadCpuMillis", byThread));
            first = false;
          }
          if (i > 0) {
            byThread.forEach((group, ms) -> threadCpu.computeIfAbsent(group, g -> new ArrayList<>()).add(ms));
            times.add(millis);
            processCpu.add(cpuMillis);
            serverCpu.add(serverCpuMillis);
            maxInFlight.add(server.maxInFlight());
          }
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("totalMillis", times);
        entry.put("processCpuMillis", processCpu);
        entry.put("serverCpuMillis", serverCpu);
        entry.put("maxInFlight", maxInFlight);
        entry.put("threadCpuMillis", ThreadCpu.everyRun(threadCpu, processCpu.size()));
        rawByLevel.put(String.valueOf(concurrency), entry);
      }
      result.put("raw", rawByLevel);
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Scale: 100,000 examples in this JVM (started with -Xmx512m).

  private static Map<String, Object> scale(Map<String, String> options) throws InterruptedException {
    int warmup = intOption(options, "warmup", 1);
    int runs = intOption(options, "runs", 3);
    HeapWatch heap = new HeapWatch();
    Launcher launcher = LauncherFactory.create();
    Map<String, String> config = Map.of("promptunit.cache", "off");
    Samples samples = new Samples();
    List<Long> peakUsed = new ArrayList<>();
    List<Long> peakAfterGc = new ArrayList<>();
    AtomicLong retained = new AtomicLong(-1);
    for (int i = 0; i < warmup + runs; i++) {
      boolean measured = i >= warmup;
      boolean probe = i == 0;
      System.gc();
      heap.reset();
      // The first (warm-up) run measures what the discovered test plan keeps: a full GC once
      // discovery is done, before any example runs. Measured runs are not disturbed.
      Runnable atExecutionStart = probe ? () -> {
        System.gc();
        retained.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      } : () -> {};
      Launches.Outcome outcome = check(Launches.run(launcher, ScaleSuite.class, "promptunit", config, atExecutionStart), ScaleSuite.SIZE, "scale");
      LOG.printf("[perf] scale %s: %.0f ms (discovery %.0f ms, execution %.0f ms), peak heap used %d MB, peak after GC %d MB%n",
          measured ? "run " + (i - warmup + 1) : "warm-up", outcome.totalMillis(), outcome.discoveryMillis(), outcome.executionMillis(),
          heap.peakUsed() >> 20, heap.peakAfterGc() >> 20);
      if (measured) {
        samples.add(outcome);
        peakUsed.add(heap.peakUsed());
        peakAfterGc.add(heap.peakAfterGc());
      }
    }
    heap.close();
    Map<String, Object> result = samples.toMap();
    result.put("examples", ScaleSuite.SIZE);
    result.put("warmup", warmup);
    result.put("peakHeapUsedBytes", peakUsed);
    result.put("peakHeapAfterGcBytes", peakAfterGc);
    result.put("retainedAfterDiscoveryBytes", retained.get());
    result.put("gcCount", ManagementFactory.getGarbageCollectorMXBeans().stream().collect(
        Collectors.toMap(GarbageCollectorMXBean::getName, GarbageCollectorMXBean::getCollectionCount)));
    return result;
  }

  // ---------------------------------------------------------------------------------------------

  private static Launches.Outcome check(Launches.Outcome outcome, int expected, String what) {
    if (outcome.firstProblem() != null) {
      LOG.println("[perf] " + what + ": problem reported: " + outcome.firstProblem());
    }
    if (outcome.succeeded() != expected) {
      throw new IllegalStateException(what + ": expected " + expected + " passed examples, got " + outcome.succeeded() + " passed, "
          + outcome.failed() + " failed, " + outcome.aborted() + " aborted; first problem: " + outcome.firstProblem());
    }
    return outcome;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** CPU time of the benchmark server's threads (they live for the whole worker). */
  private static long serverCpuNanos() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("bench-server-") || thread.getName().startsWith("HTTP-Dispatcher")) {
        total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
      }
    }
    return total;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** Raw timings of the measured runs, in milliseconds. */
  static final class Samples {
    final List<Double> total = new ArrayList<>();
    final List<Double> discovery = new ArrayList<>();
    final List<Double> execution = new ArrayList<>();

    void add(Launches.Outcome outcome) {
      total.add(outcome.totalMillis());
      discovery.add(outcome.discoveryMillis());
      execution.add(outcome.executionMillis());
    }

    Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("totalMillis", total);
      map.put("discoveryMillis", discovery);
      map.put("executionMillis", execution);
      return map;
    }
  }

  /**
   * Heap use: the highest "used" seen by a 5 ms sampler (garbage not yet collected included) and
   * the highest heap occupancy right after a collection (an upper bound of the live data).
   */
  static final class HeapWatch implements AutoCloseable {
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final Thread sampler;
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private volatile boolean running = true;

    HeapWatch() {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
          if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                .filter(e -> heapPools.contains(e.getKey())).map(Map.Entry::getValue).mapToLong(MemoryUsage::getUsed).sum();
            peakAfterGc.accumulateAndGet(after, Math::max);
          }
        }, null, null);
      }
      sampler = new Thread(() -> {
        while (running) {
          peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }

    void reset() {
      peakUsed.set(0);
      peakAfterGc.set(0);
    }

    long peakUsed() {
      return peakUsed.get();
    }

    long peakAfterGc() {
      return peakAfterGc.get();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      sampler.join();
    }
  }
}
