package io.promptunit.benchmarks.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a run's CPU went, by thread: the JVM's own threads (compilers, collector) included, which
 * {@code ThreadMXBean} does not see. Read from Linux's {@code /proc/self/task/<tid>/schedstat} (time on the CPU, in
 * nanoseconds) and {@code comm} (the thread's name, cut at 15 characters), before and after a run; threads are
 * grouped by name without their numbers ({@code promptunit-http-3} is {@code promptunit-http-}). CPU of threads
 * that ended during the run is only in the process total: {@link #between} reports it as {@code (ended threads)}.
 */
final class ThreadCpu {

  private static final Path TASKS = Path.of("/proc/self/task");

  private record Sample(String name, long nanos) {}

  private final Map<String, Sample> byTid;

  private ThreadCpu(Map<String, Sample> byTid) {
    this.byTid = byTid;
  }

  /** Whether this system can say (Linux); elsewhere {@link #between} is empty. */
  static boolean available() {
    return Files.isDirectory(TASKS);
  }

  static ThreadCpu now() {
    Map<String, Sample> samples = new HashMap<>();
    if (!available()) {
      return new ThreadCpu(samples);
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        try {
          String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
          String schedstat = Files.readString(task.resolve("schedstat"), StandardCharsets.UTF_8);
          samples.put(task.getFileName().toString(), new Sample(name, Long.parseLong(schedstat.split(" ")[0])));
        } catch (IOException | RuntimeException ended) {
          // the thread ended while we looked
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new ThreadCpu(samples);
  }

  /**
   * Milliseconds of CPU per thread group from {@code before} to {@code after}, largest first, and the rest of
   * {@code processMillis} (threads that started and ended in between, or ended before {@code after}) as
   * {@code (ended threads)}.
   */
  static Map<String, Double> between(ThreadCpu before, ThreadCpu after, double processMillis) {
    Map<String, Double> groups = new TreeMap<>();
    double counted = 0;
    for (Map.Entry<String, Sample> entry : after.byTid.entrySet()) {
      Sample was = before.byTid.get(entry.getKey());
      long nanos = entry.getValue().nanos() - (was == null ? 0 : was.nanos());
      groups.merge(group(entry.getValue().name()), nanos / 1e6, Double::sum);
      counted += nanos / 1e6;
    }
    Map<String, Double> sorted = new LinkedHashMap<>();
    groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    sorted.put("(ended threads)", Math.max(0, processMillis - counted));
    return sorted;
  }

  /**
   * {@code byGroup} (a group's milliseconds in each run it was seen in) with a 0 for each of the {@code runs} it was
   * not seen in, so that a median over the runs counts a group that ran in few of them as it should.
   */
  static Map<String, List<Double>> everyRun(Map<String, List<Double>> byGroup, int runs) {
    Map<String, List<Double>> padded = new LinkedHashMap<>();
    byGroup.forEach((group, values) -> {
      List<Double> all = new ArrayList<>(values);
      while (all.size() < runs) {
        all.add(0.0);
      }
      padded.put(group, all);
    });
    return padded;
  }

  /**
   * {@code promptunit-http-3} to {@code promptunit-http-}, {@code GC Thread#1} to {@code GC Thread#},
   * {@code HttpClient-7-Se} (a JDK client's selector, numbered per client) to {@code HttpClient-N-Se}.
   */
  static String group(String name) {
    return name.replaceAll("^HttpClient-\\d+-", "HttpClient-N-").replaceAll("\\d+$", "");
  }
}
