package io.promptunit.benchmarks.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The engine-performance benchmark: engine overhead against a JUnit Jupiter baseline, parallel
 * model calls over HTTP, the warm cache, and 100,000 examples in a 512 MB heap. Generates the
 * examples, runs each scenario in a fresh JVM ({@link PerfWorker}), prints the tables and rewrites
 * the part of the README between {@value #BEGIN} and {@value #END}.
 *
 * <p>Options ({@code --name=value}; through Maven: {@code -Dperf.args="--runs=3 --c1-runs=1"}):
 * {@code --runs} measured runs per figure (5), {@code --warmup} warm-up runs (3 for overhead, 2 for
 * HTTP and cache, 1 for scale), {@code --c1-runs} runs at concurrency 1 (1: 100 s each),
 * {@code --scale-runs} (3), {@code --latency} ms per model call (50), {@code --concurrency} (64,32,8,1),
 * {@code --raw-concurrency} levels of the bare-HTTP-client reference (64,32), {@code --only=overhead,http,scale},
 * {@code --readme=path} ({@code none} to leave it alone), {@code --work=dir}.
 */
public final class PerfBenchmark {

  static final String BEGIN = "<!-- perf:begin -->";
  static final String END = "<!-- perf:end -->";
  static final String COMMAND = "mvn -q -pl benchmarks -am package -DskipTests -Pperf-benchmark";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** JVM options added to every worker's ({@code --jvm-args}, separated by semicolons). */
  private static final List<String> WORKER_JVM_ARGS = new ArrayList<>();

  private PerfBenchmark() {}

  public static void main(String[] rawArgs) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (String raw : rawArgs) {
      for (String arg : raw.strip().split("\\s+")) {
        if (arg.isEmpty()) {
          continue;
        }
        if (!arg.startsWith("--") || !arg.contains("=")) {
          throw new IllegalArgumentException("expected --name=value, got " + arg);
        }
        options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      }
    }
    int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
    int c1runs = Integer.parseInt(options.getOrDefault("c1-runs", "1"));
    int scaleRuns = Integer.parseInt(options.getOrDefault("scale-runs", "3"));
    int latency = Integer.parseInt(options.getOrDefault("latency", "50"));
    String warmup = options.get("warmup");
    Set<String> only = new LinkedHashSet<>(List.of(options.getOrDefault("only", "overhead,http,scale").split(",")));
    Path work = Path.of(options.getOrDefault("work", "target/perf")).toAbsolutePath();
    String readme = options.getOrDefault("readme", "README.md");
    long started = System.nanoTime();
    // e.g. --jvm-args=-XX:TieredStopAtLevel=1;-Xmx512m: for every worker JVM
    WORKER_JVM_ARGS.addAll(options.containsKey("jvm-args") ? List.of(options.get("jvm-args").split(";")) : List.of());

    Path data = work.resolve("data");
    log("generating examples in " + data);
    BenchData.writeExamples(data.resolve(OverheadSuite.EXAMPLES), OverheadSuite.SIZE, 10);
    BenchData.writeExamples(data.resolve(HttpSuite.EXAMPLES), HttpSuite.SIZE, 2);
    if (only.contains("scale")) {
      BenchData.writeExamples(data.resolve(ScaleSuite.EXAMPLES), ScaleSuite.SIZE, 100);
    }

    List<String> sections = new ArrayList<>();
    List<String> verdicts = new ArrayList<>();
    if (only.contains("overhead")) {
      Worker w = fork(work, data, "overhead", List.of("-Xmx1g"), "runs=" + runs, "warmup=" + (warmup == null ? 3 : warmup));
      sections.add(w.failed() ? failure("2. Engine overhead", w) : overheadSection(w.result(), verdicts));
    }
    if (only.contains("http")) {
      Worker w = fork(work, data, "http", List.of("-Xmx1g"), "runs=" + runs, "warmup=" + (warmup == null ? 2 : warmup),
          "c1runs=" + c1runs, "latency=" + latency, "concurrency=" + options.getOrDefault("concurrency", "64,32,8,1"),
          "rawConcurrency=" + options.getOrDefault("raw-concurrency", "64,32"),
          "cacheDir=" + work.resolve("cassettes"));
      Worker bare = fork(work, data, "raw", List.of("-Xmx1g"), "runs=" + runs, "latency=" + latency,
          "rawConcurrency=" + options.getOrDefault("raw-concurrency", "64,32"));
      Worker library = fork(work, data, "langchain4j", List.of("-Xmx1g"), "runs=" + runs, "latency=" + latency,
          "rawConcurrency=" + options.getOrDefault("raw-concurrency", "64,32"));
      if (w.failed() || bare.failed() || library.failed()) {
        sections.add(failure("3. Parallel model calls and 4. cache", w.failed() ? w : bare.failed() ? bare : library));
      } else {
        sections.add(httpSection(w.result(), bare.result(), library.result(), verdicts));
        sections.add(cacheSection(w.result(), verdicts));
      }
    }
    if (only.contains("scale")) {
      Worker w = fork(work, data, "scale", List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + work.resolve("scale-gc.log")),
          "runs=" + scaleRuns, "warmup=" + (warmup == null ? 1 : warmup));
      sections.add(w.failed() ? failure("5. Scale", w) : scaleSection(w.result(), verdicts));
      if (w.failed()) {
        verdicts.add("- 100,000 examples with -Xmx512m: **did not complete** (exit code " + w.exitCode() + ")");
      }
    }

    StringBuilder report = new StringBuilder();
    report.append("Produced by `").append(COMMAND).append('`');
    List<String> given = options.entrySet().stream()
        .filter(e -> !e.getKey().equals("readme") && !e.getKey().equals("work")).map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    if (!given.isEmpty()) {
      report.append(" with `-Dperf.args=\"").append(String.join(" ", given)).append("\"`");
    }
    report.append(String.format(Locale.ROOT, " on %s: Java %s, %d cores, %s %s; %d s in all.%n%n", LocalDate.now(),
        System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
        System.getProperty("os.arch"), Math.round((System.nanoTime() - started) / 1e9)));
    report.append("Targets:\n\n").append(String.join("\n", verdicts)).append("\n\n");
    report.append(String.join("\n", sections));
    String text = report.toString();
    System.out.println();
    System.out.println(text);
    if (!readme.equals("none")) {
      writeReadme(Path.of(readme), text);
      log("updated " + Path.of(readme).toAbsolutePath());
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static String overheadSection(JsonNode r, List<String> verdicts) {
    Stats pu = stats(r.at("/promptunit/totalMillis"));
    Stats serial = stats(r.at("/promptunitSerial/totalMillis"));
    Stats ju = stats(r.at("/jupiter/totalMillis"));
    Stats puDiscovery = stats(r.at("/promptunit/discoveryMillis"));
    Stats serialDiscovery = stats(r.at("/promptunitSerial/discoveryMillis"));
    Stats juDiscovery = stats(r.at("/jupiter/discoveryMillis"));
    double ratio = pu.median() / ju.median();
    double serialRatio = serial.median() / ju.median();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "#### 2. Engine overhead: %,d examples, instant in-process model%n%n", r.get("examples").asInt()));
    s.append(String.format(Locale.ROOT, "One JVM (-Xmx1g), every run through the JUnit Platform launcher with only the engine under test; "
        + "warm-up rounds: %d, measured rounds: %d, each round running the three in turn. Time of `Launcher.execute`: discovery and "
        + "execution. Jupiter creates its invocations during execution, so its discovery is nearly nothing.%n%n", r.get("warmup").asInt(), pu.n()));
    s.append("| engine | median | min | max | of which discovery (median) | / Jupiter (medians) |\n|---|--:|--:|--:|--:|--:|\n");
    s.append(String.format(Locale.ROOT, "| PromptUnit (`@PromptTest`, default `promptunit.concurrency` 8) | %s | %s | %s | %s | **%.2fx** |%n",
        ms(pu.median()), ms(pu.min()), ms(pu.max()), ms(puDiscovery.median()), ratio));
    s.append(String.format(Locale.ROOT, "| PromptUnit, `promptunit.concurrency=1` (one thread, like Jupiter) | %s | %s | %s | %s | **%.2fx** |%n",
        ms(serial.median()), ms(serial.min()), ms(serial.max()), ms(serialDiscovery.median()), serialRatio));
    s.append(String.format(Locale.ROOT, "| Jupiter `@ParameterizedTest` baseline | %s | %s | %s | %s | 1 |%n",
        ms(ju.median()), ms(ju.min()), ms(ju.max()), ms(juDiscovery.median())));
    boolean met = ratio <= 1.5 && serialRatio <= 1.5;
    verdicts.add(String.format(Locale.ROOT, "- Engine overhead at most 1.5x Jupiter: **%.2fx** (default), **%.2fx** (concurrency 1), %s",
        ratio, serialRatio, met ? "met" : "**missed**"));
    return s.toString();
  }

  /** Client CPU per call of each measured run (process less server), in µs. */
  private static Stats perCallCpu(JsonNode level, int examples) {
    List<Double> perCall = new ArrayList<>();
    for (int i = 0; i < level.get("processCpuMillis").size(); i++) {
      perCall.add((level.get("processCpuMillis").get(i).asDouble() - level.get("serverCpuMillis").get(i).asDouble())
          * 1000 / examples);
    }
    return Stats.of(perCall);
  }

  /** {@link #perCallCpu}: median (min-max). */
  private static String clientCpuPerCall(JsonNode level, int examples) {
    Stats st = perCallCpu(level, examples);
    return String.format(Locale.ROOT, "%.0f µs (%.0f-%.0f)", st.median(), st.min(), st.max());
  }

  /** The first run of each fresh JVM (PromptUnit's and the bare client's), and the per-call target. */
  private static void coldCpu(JsonNode cold, JsonNode bareCold, JsonNode raw, JsonNode levels, int examples, StringBuilder s,
      List<String> verdicts) {
    if (cold.isMissingNode() || bareCold.isMissingNode()) {
      return;
    }
    double pu = coldPerCall(cold, examples);
    double bare = coldPerCall(bareCold, examples);
    s.append(String.format(Locale.ROOT, "%nFirst run in a fresh JVM (cold: class loading and JIT included), concurrency %d: "
        + "PromptUnit %s and %.0f µs client CPU per call; the bare client %s and %.0f µs.%n", cold.get("concurrency").asInt(),
        ms(cold.get("totalMillis").asDouble()), pu, ms(bareCold.get("totalMillis").asDouble()), bare));
    String c = cold.get("concurrency").asText();
    if (raw.has(c) && levels.has(c)) {
      double warm = perCallCpu(levels.get(c), examples).median();
      double warmBare = perCallCpu(raw.get(c), examples).median();
      verdicts.add(String.format(Locale.ROOT, "- Client CPU per call at concurrency %s within 1.3x of the bare JDK client: "
          + "**%.2fx** warm (%.0f vs %.0f µs), **%.2fx** cold (%.0f vs %.0f µs), %s", c, warm / warmBare, warm, warmBare,
          pu / bare, pu, bare, warm / warmBare <= 1.3 && pu / bare <= 1.3 ? "met" : "**missed**"));
    }
  }

  /** A JVM's first run: its client CPU per call in µs (the JVM's CPU less the server threads'). */
  private static double coldPerCall(JsonNode cold, int examples) {
    return (cold.get("processCpuMillis").asDouble() - cold.get("serverCpuMillis").asDouble()) * 1000 / examples;
  }

  /** PromptUnit's per-call CPU against langchain4j's OpenAI model alone, warm and cold: what PromptUnit adds. */
  private static void libraryVerdict(JsonNode cold, JsonNode libraryCold, JsonNode library, JsonNode levels,
      int examples, StringBuilder s, List<String> verdicts) {
    String c = cold.path("concurrency").asText();
    if (libraryCold.isMissingNode() || !library.has(c) || !levels.has(c)) {
      return;
    }
    double pu = coldPerCall(cold, examples);
    double alone = coldPerCall(libraryCold, examples);
    double warm = perCallCpu(levels.get(c), examples).median();
    double warmAlone = perCallCpu(library.get(c), examples).median();
    s.append(String.format(Locale.ROOT, "langchain4j alone, first run in a fresh JVM: %s and %.0f µs per call.%n",
        ms(libraryCold.get("totalMillis").asDouble()), alone));
    verdicts.add(String.format(Locale.ROOT, "- What PromptUnit adds to langchain4j's OpenAI model alone, client CPU per "
        + "call at concurrency %s: **%.2fx** warm (%.0f vs %.0f µs), **%.2fx** cold (%.0f vs %.0f µs)", c,
        warm / warmAlone, warm, warmAlone, pu / alone, pu, alone));
  }

  private static String httpSection(JsonNode r, JsonNode bareRuns, JsonNode libraryRuns, List<String> verdicts) {
    int examples = r.get("examples").asInt();
    int latency = r.get("latencyMillis").asInt();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "#### 3. Parallel model calls: %,d examples, %d ms per call, over HTTP%n%n", examples, latency));
    s.append(String.format(Locale.ROOT, "`promptunit.model=openai:bench` against a local OpenAI-compatible server (JDK HttpServer on 127.0.0.1, "
        + "in the same JVM, sleeping %d ms per request) through langchain4j's OpenAI client and PromptUnit's HTTP transport; cache off. "
        + "Warm-up runs at the highest concurrency first: %d; then the measured runs of each concurrency. Wall time of "
        + "`Launcher.execute` (discovery included). *Ideal* = examples x latency / concurrency; *waves* = ⌈examples / concurrency⌉ x "
        + "latency, the least any client can take when every call takes the latency. *Bare client*: the same requests (bodies "
        + "prepared in advance) from a plain JDK HttpClient on a pool of that many threads — no engine, no langchain4j — "
        + "in a JVM of its own. *langchain4j alone*: the same prompts through langchain4j's `OpenAiChatModel` with its own "
        + "JDK HTTP client and no retries, from a pool of that many threads — what a hand-written loop over the library "
        + "costs, without PromptUnit — in a JVM of its own. Client CPU per call: the JVM's CPU time (client, GC, JIT) less "
        + "the server threads' CPU, divided by the calls; median of the measured runs (min-max).%n%n", latency,
        r.get("warmup").asInt()));
    s.append("| concurrency | runs | median | min | max | ideal | ideal / median | waves | bare client (median) "
        + "| client CPU per call | langchain4j alone's | bare client's "
        + "| max in flight at server | requests per run |\n");
    s.append("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    JsonNode levels = r.get("concurrency");
    JsonNode raw = bareRuns.path("raw");
    JsonNode library = libraryRuns.path("raw");
    List<String> rows = new ArrayList<>();
    levels.fieldNames().forEachRemaining(name -> {
      JsonNode level = levels.get(name);
      int c = Integer.parseInt(name);
      Stats t = stats(level.get("totalMillis"));
      double ideal = (double) examples * latency / c;
      double waves = Math.ceil((double) examples / c) * latency;
      int maxInFlight = max(level.get("maxInFlight"));
      String requests = distinct(level.get("serverRequests"));
      String bare = "";
      String cpuText = clientCpuPerCall(level, examples);
      String bareCpu = "";
      if (raw.has(name)) {
        JsonNode b = raw.get(name);
        bare = ms(stats(b.get("totalMillis")).median());
        bareCpu = clientCpuPerCall(b, examples);
      }
      String libraryCpu = library.has(name) ? clientCpuPerCall(library.get(name), examples) : "";
      rows.add(0, String.format(Locale.ROOT, "| %d | %d | %s | %s | %s | %s | %.0f%% | %s | %s | %s | %s | %s | %d | %s |%n",
          c, t.n(), ms(t.median()), ms(t.min()), ms(t.max()), ms(ideal), 100 * ideal / t.median(), ms(waves), bare,
          cpuText, libraryCpu, bareCpu, maxInFlight, requests));
    });
    rows.forEach(s::append);
    coldCpu(r.path("cold"), bareRuns.path("cold"), raw, levels, examples, s, verdicts);
    libraryVerdict(r.path("cold"), libraryRuns.path("cold"), library, levels, examples, s, verdicts);
    cpuByThread(new JsonNode[] {levels.path("64"), library.path("64"), raw.path("64")},
        new JsonNode[] {r.path("cold"), libraryRuns.path("cold"), bareRuns.path("cold")}, examples, s);
    JsonNode top = levels.get("64");
    if (top != null) {
      Stats t = stats(top.get("totalMillis"));
      double share = 100.0 * examples * latency / 64 / t.median();
      verdicts.add(String.format(Locale.ROOT, "- At least 80%% of ideal at concurrency 64: **%.0f%%** (median %s for an ideal %s), %s",
          share, ms(t.median()), ms(examples * latency / 64.0), share >= 80 ? "met" : "**missed**"));
    }
    List<String> bounds = new ArrayList<>();
    boolean within = true;
    for (java.util.Iterator<String> names = levels.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      int seen = max(levels.get(name).get("maxInFlight"));
      bounds.add(seen + " at " + name);
      within &= seen <= Integer.parseInt(name);
    }
    verdicts.add("- Configured concurrency never exceeded (most requests in flight at the server: " + String.join(", ", bounds) + "): "
        + (within ? "met" : "**missed**"));
    return s.toString();
  }

  /** What each thread group spent per call at concurrency 64: PromptUnit, langchain4j alone, the bare client. */
  private static void cpuByThread(JsonNode[] warm, JsonNode[] cold, int examples, StringBuilder s) {
    for (JsonNode column : warm) {
      if (column.path("threadCpuMillis").isMissingNode()) {
        return;
      }
    }
    s.append("\nWhere the CPU goes at concurrency 64, by thread (Linux's per-thread CPU time, "
        + "`/proc/self/task/*/schedstat`), in µs per call; warm: median of the measured runs. PromptUnit's "
        + "`promptunit-<suite>-` workers (evaluation, langchain4j's request and response mapping, waiting on the "
        + "answer) and the baselines' pools end with each run: their row is the process's CPU less that of the threads "
        + "seen at the run's end, plus those of them still alive; the server's threads are left out, as in the figures "
        + "above.\n\n");
    s.append("| thread | PromptUnit warm | langchain4j alone warm | bare client warm | PromptUnit cold "
        + "| langchain4j alone cold | bare client cold |\n|---|--:|--:|--:|--:|--:|--:|\n");
    Map<String, double[]> rows = new LinkedHashMap<>();
    for (int i = 0; i < warm.length; i++) {
      addThreadColumn(rows, warm[i].path("threadCpuMillis"), i, examples, true);
      addThreadColumn(rows, cold[i].path("threadCpuMillis"), warm.length + i, examples, false);
    }
    rows.entrySet().stream().filter(e -> !e.getKey().startsWith("bench-server") && !e.getKey().startsWith("HTTP-Dispatcher"))
        .filter(e -> java.util.Arrays.stream(e.getValue()).max().orElse(0) >= 5)
        .sorted((a, b) -> Double.compare(sum(b.getValue()), sum(a.getValue())))
        .forEach(e -> {
          s.append("| ").append(describe(e.getKey()));
          for (double value : e.getValue()) {
            s.append(String.format(Locale.ROOT, " | %.0f", value));
          }
          s.append(" |\n");
        });
  }

  private static void addThreadColumn(Map<String, double[]> rows, JsonNode groups, int column, int examples,
      boolean median) {
    groups.fieldNames().forEachRemaining(name -> {
      JsonNode value = groups.get(name);
      double millis = median ? stats(value).median() : value.asDouble();
      String key = name.matches("HttpClient-(N|\\d+)-Se") ? "HttpClient-N-SelectorManager"
          : name.startsWith("HttpClient-") ? "HttpClient-N-Worker" : workers(name) ? "(ended threads)" : name;
      rows.computeIfAbsent(key, k -> new double[6])[column] += millis * 1000 / examples;
    });
  }

  /** A suite's workers ({@code promptunit-<suite>-}) or a baseline's pool still alive when the run ended. */
  private static boolean workers(String group) {
    return group.startsWith("pool-") || group.startsWith("promptunit-") && !group.equals("promptunit-http")
        && !group.equals("promptunit-dead");
  }

  private static double sum(double[] values) {
    return java.util.Arrays.stream(values).sum();
  }

  private static String describe(String group) {
    return switch (group) {
      case "java" -> "main (discovery, JUnit's events, the report)";
      case "(ended threads)" -> "PromptUnit's workers; the baselines' pools";
      case "promptunit-http" -> "promptunit-http- (PromptUnit's HTTP client threads)";
      case "HttpClient-N-Worker" -> "HttpClient-N-Worker (the JDK client's own threads)";
      case "HttpClient-N-SelectorManager" -> "the JDK client's selector";
      case "promptunit-dead" -> "promptunit-deadline- (stalled-body sweep)";
      case "C2 CompilerThre", "C1 CompilerThre" -> group.substring(0, 2) + " compiler (JIT)";
      default -> group;
    };
  }

  private static String cacheSection(JsonNode r, List<String> verdicts) {
    JsonNode cache = r.get("cache");
    JsonNode warm = cache.get("warm");
    Stats t = stats(warm.get("totalMillis"));
    int serverRequests = max(warm.get("serverRequests"));
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "#### 4. Cache: the same %,d examples re-run warm%n%n", r.get("examples").asInt()));
    s.append(String.format(Locale.ROOT, "`promptunit.cache=read-write`, concurrency %d. The cold run records the cassette (%,d bytes); "
        + "the warm runs answer from it.%n%n", cache.get("concurrency").asInt(), cache.get("cassetteBytes").asLong()));
    s.append("| run | runs | median | min | max | requests at the server | `promptunit.calls` | `promptunit.cachedAnswers` |\n");
    s.append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
    s.append(String.format(Locale.ROOT, "| cold (records) | 1 | %s | | | %d | | |%n", ms(cache.get("recordMillis").asDouble()),
        cache.get("recordRequests").asInt()));
    s.append(String.format(Locale.ROOT, "| warm re-run | %d | %s | %s | %s | %s | %s | %s |%n", t.n(), ms(t.median()), ms(t.min()), ms(t.max()),
        distinct(warm.get("serverRequests")), distinct(warm.get("reportedCalls")), distinct(warm.get("cachedAnswers"))));
    verdicts.add(String.format(Locale.ROOT, "- Warm re-run makes zero model calls: %s (**%d** requests at the server, `promptunit.calls` %s); "
        + "median wall time %s", serverRequests == 0 ? "met" : "**missed**", serverRequests, distinct(warm.get("reportedCalls")), ms(t.median())));
    return s.toString();
  }

  private static String scaleSection(JsonNode r, List<String> verdicts) {
    Stats t = stats(r.get("totalMillis"));
    Stats d = stats(r.get("discoveryMillis"));
    Stats e = stats(r.get("executionMillis"));
    long peakUsed = maxLong(r.get("peakHeapUsedBytes"));
    long peakAfterGc = maxLong(r.get("peakHeapAfterGcBytes"));
    long retained = r.get("retainedAfterDiscoveryBytes").asLong();
    int examples = r.get("examples").asInt();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "#### 5. Scale: %,d examples, -Xmx512m, instant model%n%n", examples));
    s.append(String.format(Locale.ROOT, "A separate JVM with `-Xmx512m` (max heap as the JVM reports it: %d MB); warm-up runs: %d, measured runs: %d; "
        + "cache off. Peak heap used is sampled every 5 ms (it includes garbage not yet collected); peak after GC is the highest heap "
        + "occupancy right after any collection; retained is the heap after a full GC once discovery is done (warm-up run).%n%n",
        r.get("maxHeapBytes").asLong() >> 20, r.get("warmup").asInt(), t.n()));
    s.append("| | median | min | max |\n|---|--:|--:|--:|\n");
    s.append(String.format(Locale.ROOT, "| total (discovery + execution) | %s | %s | %s |%n", ms(t.median()), ms(t.min()), ms(t.max())));
    s.append(String.format(Locale.ROOT, "| discovery | %s | %s | %s |%n", ms(d.median()), ms(d.min()), ms(d.max())));
    s.append(String.format(Locale.ROOT, "| execution | %s | %s | %s |%n", ms(e.median()), ms(e.min()), ms(e.max())));
    s.append(String.format(Locale.ROOT, "%n| heap | MB |%n|---|--:|%n| peak used (all runs) | %d |%n| peak after GC (all runs) | %d |%n"
        + "| retained by the discovered plan | %d (%,d bytes per example) |%n", peakUsed >> 20, peakAfterGc >> 20, retained >> 20, retained / examples));
    verdicts.add(String.format(Locale.ROOT, "- %,d examples with -Xmx512m complete: met (median %s; peak heap used %d MB, retained after discovery %d MB)",
        examples, ms(t.median()), peakUsed >> 20, retained >> 20));
    return s.toString();
  }

  private static String failure(String title, Worker w) {
    return "#### " + title + "\n\n**Did not complete**: the JVM exited with code " + w.exitCode() + ". Last output:\n\n```\n" + w.tail() + "\n```\n";
  }

  // ---------------------------------------------------------------------------------------------

  private record Worker(int exitCode, JsonNode result, String tail) {
    boolean failed() {
      return exitCode != 0 || result == null;
    }
  }

  private static Worker fork(Path work, Path data, String scenario, List<String> jvmArgs, String... args) throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path out = work.resolve(scenario + ".json");
    Path err = work.resolve(scenario + ".log");
    Files.deleteIfExists(out);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(WORKER_JVM_ARGS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path") + File.pathSeparator + data);
    command.add(PerfWorker.class.getName());
    command.add(scenario);
    command.add("out=" + out);
    command.addAll(List.of(args));
    // the worker's command line, to rerun it by hand (under a profiler, say)
    Files.write(work.resolve(scenario + ".cmd"), command, StandardCharsets.UTF_8);
    log("running " + scenario + " in a new JVM " + jvmArgs + "; log in " + err + ", command line in " + scenario + ".cmd");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(err.toFile()).start();
    // Show progress as the worker writes it.
    long shown = 0;
    while (true) {
      boolean done = process.waitFor(1, java.util.concurrent.TimeUnit.SECONDS);
      if (Files.exists(err)) {
        byte[] bytes = Files.readAllBytes(err);
        if (bytes.length > shown) {
          System.err.print(new String(bytes, (int) shown, (int) (bytes.length - shown), StandardCharsets.UTF_8));
          shown = bytes.length;
        }
      }
      if (done) {
        break;
      }
    }
    int exit = process.exitValue();
    List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
    String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    JsonNode result = exit == 0 && Files.exists(out) ? JSON.readTree(out.toFile()) : null;
    return new Worker(exit, result, tail);
  }

  static void writeReadme(Path readme, String generated) throws IOException {
    String text = Files.exists(readme) ? Files.readString(readme, StandardCharsets.UTF_8) : "";
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    String updated;
    if (begin >= 0 && end > begin) {
      updated = text.substring(0, begin + BEGIN.length()) + "\n" + generated.strip() + "\n" + text.substring(end);
    } else {
      updated = text.stripTrailing() + "\n\n## Engine performance\n\n" + BEGIN + "\n" + generated.strip() + "\n" + END + "\n";
    }
    Path temporary = Files.createTempFile(readme.toAbsolutePath().getParent(), ".README", ".tmp");
    Files.writeString(temporary, updated, StandardCharsets.UTF_8);
    Files.move(temporary, readme, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Stats stats(JsonNode array) {
    List<Double> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asDouble()));
    return Stats.of(values);
  }

  private static int max(JsonNode array) {
    int max = Integer.MIN_VALUE;
    for (JsonNode v : array) {
      max = Math.max(max, v.asInt());
    }
    return max;
  }

  private static long maxLong(JsonNode array) {
    long max = Long.MIN_VALUE;
    for (JsonNode v : array) {
      max = Math.max(max, v.asLong());
    }
    return max;
  }

  /** "2000" when every run saw the same value, else the values. */
  private static String distinct(JsonNode array) {
    Set<String> values = new LinkedHashSet<>();
    array.forEach(v -> values.add(v.isNull() ? "-" : v.asText()));
    return String.join(", ", values);
  }

  static String ms(double millis) {
    return millis >= 10_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000)
        : millis >= 1000 ? String.format(Locale.ROOT, "%.2f s", millis / 1000)
        : String.format(Locale.ROOT, "%.0f ms", millis);
  }

  private static void log(String message) {
    System.err.println("[perf] " + message);
  }
}
