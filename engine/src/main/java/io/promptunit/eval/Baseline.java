package io.promptunit.eval;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promptunit.config.AtomicWrite;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A suite's committed per-example outcomes ({@code pass} or {@code fail}), and the regression gate
 * that compares a run with them: paired outcomes, an exact one-sided McNemar test. A run is
 * significantly worse when the examples that flipped from pass to fail outnumber those that flipped
 * from fail to pass by more than chance allows at the chosen significance level; a few flips either
 * way are noise (an LLM at temperature 0 is not deterministic).
 *
 * <p>The file is small, sorted and one example per line, so that its diffs review well:
 * <pre>{@code
 * {
 *   "suite" : "com.acme.RouterPromptTest",
 *   "outcomes" : {
 *     "crash" : "pass",
 *     "refund" : "fail"
 *   }
 * }
 * }</pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class Baseline {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String suite;
  private final Map<String, Boolean> outcomes;

  public Baseline(String suite, Map<String, Boolean> outcomes) {
    this.suite = suite;
    this.outcomes = java.util.Collections.unmodifiableMap(new TreeMap<>(outcomes));
  }

  /** The suite the baseline was written for (its anchor class), or "" when the file does not say. */
  public String suite() {
    return suite;
  }

  /** Whether the file was written for another suite than {@code name} (a file that names no suite is not). */
  public boolean writtenForAnotherSuite(String name) {
    return !suite.isEmpty() && !suite.equals(name);
  }

  /** Whether each example passed, by id. */
  public Map<String, Boolean> outcomes() {
    return outcomes;
  }

  /**
   * Reads a baseline file; empty when there is none.
   *
   * @param shownAs the file as the user knows it, for messages
   * @throws IllegalArgumentException naming the file and line when it is not a baseline
   */
  public static Optional<Baseline> read(Path file, String shownAs) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String fix = ". Fix: restore it from version control, or write it anew with -Dpromptunit.baseline=update";
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(shownAs + ":" + e.getLocation().getLineNr() + ": not valid JSON ("
          + e.getOriginalMessage() + ")" + fix, e);
    } catch (IOException e) {
      throw new IllegalArgumentException(shownAs + ": cannot be read (" + e.getMessage() + ")" + fix, e);
    }
    JsonNode outcomes = root == null ? null : root.get("outcomes");
    if (outcomes == null || !outcomes.isObject()) {
      throw new IllegalArgumentException(shownAs + ":1: not a baseline: it has no \"outcomes\" object" + fix);
    }
    Map<String, Boolean> read = new TreeMap<>();
    for (Map.Entry<String, JsonNode> outcome : outcomes.properties()) {
      String value = outcome.getValue().asText("");
      if (!value.equals("pass") && !value.equals("fail")) {
        throw new IllegalArgumentException(shownAs + ": example \"" + outcome.getKey() + "\" has outcome "
            + outcome.getValue()
            + "; an outcome is \"pass\" or \"fail\"" + fix);
      }
      read.put(outcome.getKey(), value.equals("pass"));
    }
    return Optional.of(new Baseline(root.path("suite").asText(""), read));
  }

  /**
   * This baseline with {@code run}'s outcomes replacing (or adding to) its own: examples a partial run did not run keep
   * theirs.
   */
  public Baseline updatedWith(Map<String, Boolean> run) {
    Map<String, Boolean> merged = new TreeMap<>(outcomes);
    merged.putAll(run);
    return new Baseline(suite, merged);
  }

  /** Writes the file atomically, sorted by example id. */
  public void write(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("suite", suite);
    ObjectNode written = root.putObject("outcomes");
    outcomes.forEach((id, passed) -> written.put(id, passed ? "pass" : "fail"));
    AtomicWrite.replace(file, JSON.writeValueAsString(root) + "\n");
  }

  /** Pairs {@code run}'s outcomes with this baseline's (examples in both) and tests whether the run is worse. */
  public Comparison compare(Map<String, Boolean> run) {
    List<String> regressions = new ArrayList<>();
    List<String> improvements = new ArrayList<>();
    int paired = 0;
    for (Map.Entry<String, Boolean> outcome : new TreeMap<>(run).entrySet()) {
      Boolean before = outcomes.get(outcome.getKey());
      if (before == null) {
        continue;
      }
      paired++;
      if (before && !outcome.getValue()) {
        regressions.add(outcome.getKey());
      } else if (!before && outcome.getValue()) {
        improvements.add(outcome.getKey());
      }
    }
    int unpaired = (int) run.keySet().stream().filter(id -> !outcomes.containsKey(id)).count();
    return new Comparison(paired, unpaired, List.copyOf(regressions), List.copyOf(improvements),
        upperTail(regressions.size(), regressions.size() + improvements.size()));
  }

  /**
   * The outcome of the paired comparison.
   *
   * @param paired examples in both the run and the baseline
   * @param unpaired examples of the run the baseline does not know (new ones)
   * @param regressions ids that passed in the baseline and fail now
   * @param improvements ids that failed in the baseline and pass now
   * @param pValue the exact one-sided McNemar p-value: the chance of at least this many of the
   *     discordant pairs being regressions if pass-to-fail and fail-to-pass were equally likely
   */
  public record Comparison(int paired, int unpaired, List<String> regressions,
      List<String> improvements, double pValue) {

    /** Worse than chance allows at {@code significance} (e.g. 0.05). */
    public boolean significantlyWorse(double significance) {
      return !regressions.isEmpty() && pValue < significance;
    }
  }

  /**
   * How many examples must flip from pass to fail (with none the other way) before the gate can call
   * a run worse at {@code significance}: 5 at 0.05. A suite with fewer paired examples cannot fail the gate.
   */
  public static int flipsNeeded(double significance) {
    int flips = 1;
    while (Math.pow(0.5, flips) >= significance) {
      flips++;
    }
    return flips;
  }

  /** P(X >= k) for X ~ Binomial(n, 1/2), exactly. */
  static double upperTail(int k, int n) {
    if (n == 0 || k == 0) {
      return 1.0;
    }
    BigInteger sum = BigInteger.ZERO;
    BigInteger coefficient = BigInteger.ONE; // C(n, 0)
    for (int i = 0; i <= n; i++) {
      if (i >= k) {
        sum = sum.add(coefficient);
      }
      coefficient = coefficient.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
    }
    return new java.math.BigDecimal(sum).divide(new java.math.BigDecimal(BigInteger.TWO.pow(n)),
        java.math.MathContext.DECIMAL64).doubleValue();
  }
}
