package io.promptunit.benchmarks.optimize;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptunit.optimize.Strategies;
import io.promptunit.optimize.StrategyProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * How close an optimization's wall time comes to what the provider allows. Each strategy optimizes
 * the same suite (48 tickets, six topics, five rules to learn) with its reference defaults, through
 * the JUnit Platform launcher exactly as {@code mvn test} runs it, against {@link RuleServer}: task
 * calls take {@code --task-latency} ms, optimizer calls {@code --optimizer-latency} ms.
 *
 * <p>Per strategy it prints: wall time; calls; the critical-path ideal (the suite run's batches plus,
 * from history.json, every phase's dependent calls times their latency: what an infinitely wide
 * provider could not beat); their ratio; the effective concurrency (call latency served per second);
 * task requests the server saw twice, the same messages at the same temperature (must be 0); calls of a warm re-run on the same cassettes (must
 * be 0); and the printed estimates (worst case and expected tokens, expected calls) against the tokens and calls
 * the optimization really used.
 *
 * <p>With {@code --task=interacting} the suite is {@link RuleServer.Task#INTERACTING}: rules that interact (a VIP
 * outage needs two rules at once), and a column says when the best prompt first passed every dev example and after
 * how many of the optimization's task calls: whether GEPA's Pareto front gets there in fewer scoring calls than
 * ProTeGi's beam.
 *
 * <p>Arguments: {@code --task=tickets --task-latency=200 --optimizer-latency=2000 --concurrency=16
 * --strategies=PROTEGI,PE2,APE,OPRO --work=target/optimize-benchmark --set=key=value} (any
 * configuration parameter, repeatable). {@code --strategies} takes any registered strategy's name.
 */
public final class OptimizationBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OptimizationBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> options = new HashMap<>(Map.of("task-latency", "200", "optimizer-latency", "2000", "concurrency", "16",
        "strategies", "PROTEGI,PE2,APE,OPRO", "work", "target/optimize-benchmark", "task", "tickets"));
    Map<String, String> extra = new HashMap<>();
    // Maven's exec plugin passes -Doptimize.args="..." as one argument
    for (String arg : String.join(" ", args).strip().split("\\s+")) {
      if (arg.isBlank()) {
        continue;
      }
      String[] pair = arg.replaceFirst("^--", "").split("=", 2);
      if (pair[0].equals("set")) {
        String[] setting = pair[1].split("=", 2);
        extra.put(setting[0], setting[1]);
      } else {
        options.put(pair[0], pair.length > 1 ? pair[1] : "true");
      }
    }
    long taskLatency = Long.parseLong(options.get("task-latency"));
    long optimizerLatency = Long.parseLong(options.get("optimizer-latency"));
    int concurrency = Integer.parseInt(options.get("concurrency"));
    Path work = Path.of(options.get("work"));
    List<String> rows = new ArrayList<>();
    RuleServer.Task task = options.get("task").equals("interacting") ? RuleServer.Task.INTERACTING : RuleServer.Task.TICKETS;
    Class<?> anchor = task == RuleServer.Task.INTERACTING ? BenchSuites.Interacting.class : BenchSuites.Tickets.class;
    try (RuleServer server = new RuleServer(task, taskLatency, optimizerLatency)) {
      for (String name : options.get("strategies").split(",")) {
        StrategyProvider strategy = Strategies.named(name, "--strategies");
        Path dir = work.resolve(strategy.name().toLowerCase(Locale.ROOT));
        deleteRecursively(dir);
        Map<String, String> settings = new HashMap<>();
        settings.put("promptunit.model", "openai:gpt-4o-mini");
        settings.put("promptunit.optimizer.model", "openai:gpt-4o");
        settings.put("promptunit.openai.base-url", server.baseUrl());
        settings.put("promptunit.concurrency", String.valueOf(concurrency));
        settings.put("promptunit.cache", "read-write");
        settings.put("promptunit.cache-dir", dir.resolve("cassettes").toString());
        settings.put("promptunit.output-dir", dir.resolve("cold").toString());
        settings.put("promptunit.embedded", "false");
        settings.put("promptunit.progress-seconds", "0");
        settings.put("promptunit.optimize.strategy", strategy.name());
        settings.putAll(extra);

        server.reset();
        long start = System.nanoTime();
        Map<String, String> entries = launch(anchor, settings);
        double wall = (System.nanoTime() - start) / 1e9;
        int taskCalls = server.taskCalls();
        int optimizerCalls = server.optimizerCalls();
        int repeated = server.repeatedTaskCalls();
        int peak = server.maxInFlight();
        System.err.println(strategy.name() + " real tokens (suite run included): " + server.tokens() + "; estimate: "
            + entries.get("promptunit.estimate"));

        settings.put("promptunit.output-dir", dir.resolve("warm").toString());
        server.reset();
        launch(anchor, settings);
        int warmCalls = server.taskCalls() + server.optimizerCalls();

        Path historyFile = dir.resolve("cold").resolve(anchor.getName()).resolve(strategy.name().toLowerCase(Locale.ROOT)).resolve("history.json");
        JsonNode history = JSON.readTree(historyFile.toFile());
        int examples = 48;
        double ideal = Math.ceil(examples / (double) concurrency) * taskLatency / 1000.0;
        boolean traced = history.has("steps");
        for (JsonNode step : history.path("steps")) {
          ideal += step.get("levels").asLong() * (step.get("kind").asText().equals("task") ? taskLatency : optimizerLatency) / 1000.0;
        }
        double served = (taskCalls * taskLatency + optimizerCalls * optimizerLatency) / 1000.0;
        long realTokens = history.get("spend").get("inputTokens").asLong() + history.get("spend").get("outputTokens").asLong();
        String worst = entries.get("promptunit.estimate.worstTokens");
        String expected = entries.get("promptunit.estimate.expectedTokens");
        String expectedCalls = entries.get("promptunit.estimate.expectedCalls");
        long realCalls = history.get("spend").get("calls").asLong();
        String row = String.format(Locale.ROOT, "| %s | %s | %s | %d/%d | %.1f s | %d + %d | %s | %s | %.1f | %d | %d | %d | %s | %s | %s | %s |",
            strategy.name(), history.get("passedHeldOut").asBoolean() ? "yes" : "no", fullScore(history), history.get("rounds").size(),
            strategy.defaultRounds(), wall, taskCalls, optimizerCalls,
            traced ? String.format(Locale.ROOT, "%.1f s", ideal) : "—",
            traced ? String.format(Locale.ROOT, "%.2f", wall / ideal) : "—",
            served / wall, peak, repeated, warmCalls, compact(realTokens),
            worst == null ? "—" : String.format(Locale.ROOT, "%s (%.1fx)", compact(Long.parseLong(worst)), Long.parseLong(worst) / (double) realTokens),
            expected == null ? "—" : String.format(Locale.ROOT, "%s (%+.0f%%)", compact(Long.parseLong(expected)),
                (Long.parseLong(expected) / (double) realTokens - 1) * 100),
            expectedCalls == null ? "—" : String.format(Locale.ROOT, "%s / %d (%+.0f%%)", expectedCalls, realCalls,
                (Long.parseLong(expectedCalls) / (double) realCalls - 1) * 100));
        System.err.println(row);
        rows.add(row);
      }
    }
    System.out.printf(Locale.ROOT, "Task %s; task calls %d ms, optimizer calls %d ms, concurrency %d%s.%n%n", task.name(), taskLatency,
        optimizerLatency, concurrency,
        extra.isEmpty() ? "" : ", " + extra);
    System.out.println("| strategy | passes held-out | dev 100% after | rounds | wall time | calls (task + optimizer) | critical-path ideal | ratio |"
        + " effective concurrency | peak in flight | repeated task calls | warm re-run calls | real tokens | worst-case estimate |"
        + " expected tokens | expected / real calls |");
    System.out.println("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    rows.forEach(System.out::println);
  }

  private static Map<String, String> launch(Class<?> anchor, Map<String, String> settings) {
    Launcher launcher = LauncherFactory.create();
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(anchor))
        .filters(EngineFilter.includeEngines("promptunit"))
        .configurationParameters(settings)
        .build();
    Map<String, String> entries = new ConcurrentHashMap<>();
    launcher.execute(request, new TestExecutionListener() {
      @Override
      public void reportingEntryPublished(TestIdentifier testIdentifier, ReportEntry entry) {
        entries.putAll(entry.getKeyValuePairs());
      }
    });
    return entries;
  }

  /**
   * When the best prompt first passed every selection (dev) example: the round and the optimization's task calls up
   * to the end of that round ({@code r2, 61 calls}), or {@code never} with the task calls of the whole run.
   */
  static String fullScore(JsonNode history) {
    long calls = 0;
    for (JsonNode round : history.path("rounds")) {
      int r = round.get("round").asInt();
      if (round.get("bestSelection").asDouble() >= 1.0 - 1e-9) {
        for (JsonNode step : history.path("steps")) {
          if (step.get("kind").asText().equals("task") && step.get("round").asInt() <= r) {
            calls += step.get("calls").asLong();
          }
        }
        return "r" + r + ", " + calls + " calls";
      }
    }
    for (JsonNode step : history.path("steps")) {
      calls += step.get("kind").asText().equals("task") ? step.get("calls").asLong() : 0;
    }
    return "never (" + calls + " calls)";
  }

  static String compact(long n) {
    return n >= 1_000_000 ? String.format(Locale.ROOT, "%.2fM", n / 1e6) : n >= 1000 ? String.format(Locale.ROOT, "%.1fk", n / 1e3) : Long.toString(n);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  static List<String> split(String text) {
    return Arrays.asList(text.split(","));
  }
}
