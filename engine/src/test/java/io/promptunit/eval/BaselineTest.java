package io.promptunit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineTest {

  @TempDir
  Path folder;

  @Test
  void theExactUpperTailOfAFairBinomial() {
    assertThat(Baseline.upperTail(6, 6)).isEqualTo(1 / 64.0);
    assertThat(Baseline.upperTail(1, 1)).isEqualTo(0.5);
    assertThat(Baseline.upperTail(0, 5)).isEqualTo(1.0);
    assertThat(Baseline.upperTail(5, 10)).isCloseTo(638 / 1024.0, within(1e-12));
    assertThat(Baseline.upperTail(60, 60)).isCloseTo(Math.pow(0.5, 60), within(1e-25));
  }

  @Test
  void sixOfFortyFlippingToFailIsSignificantOneIsNoise() {
    Baseline baseline = new Baseline("S", outcomes(40, 0));

    Baseline.Comparison six = baseline.compare(outcomes(40, 6));
    Baseline.Comparison one = baseline.compare(outcomes(40, 1));

    assertThat(six.regressions()).hasSize(6);
    assertThat(six.pValue()).isEqualTo(1 / 64.0);
    assertThat(six.significantlyWorse(0.05)).isTrue();
    assertThat(six.significantlyWorse(0.01)).as("a stricter level").isFalse();
    assertThat(one.pValue()).isEqualTo(0.5);
    assertThat(one.significantlyWorse(0.05)).isFalse();
  }

  @Test
  void improvementsOffsetRegressionsAndNewExamplesAreNotPaired() {
    Map<String, Boolean> before = outcomes(40, 0);
    IntStream.rangeClosed(1, 4).forEach(i -> before.put(id(40 - i), false)); // 4 failed before
    Map<String, Boolean> now = outcomes(40, 4); // the first 4 fail now, the last 4 pass now
    now.put("new-one", false);

    Baseline.Comparison comparison = new Baseline("S", before).compare(now);

    assertThat(comparison.regressions()).hasSize(4);
    assertThat(comparison.improvements()).hasSize(4);
    assertThat(comparison.unpaired()).isEqualTo(1);
    assertThat(comparison.significantlyWorse(0.05)).isFalse();
  }

  @Test
  void writesSortedOneExamplePerLineAndReadsBack() throws IOException {
    Path file = folder.resolve("S.baseline.json");
    new Baseline("com.acme.S", Map.of("b", false, "a", true)).write(file);

    String text = Files.readString(file);
    assertThat(text.indexOf("\"a\" : \"pass\"")).isPositive().isLessThan(text.indexOf("\"b\" : \"fail\""));
    assertThat(Baseline.read(file, "src/test/cassettes/S.baseline.json").orElseThrow().outcomes()).containsEntry("a", true).containsEntry("b", false);
    assertThat(Baseline.read(folder.resolve("none.json"), "none.json")).isEmpty();
  }

  @Test
  void aBrokenFileIsAnErrorNamingItsLineAndTheFix() throws IOException {
    Path file = folder.resolve("S.baseline.json");
    Files.writeString(file, "{\n  \"outcomes\": {\n    \"a\": \"pass\",,\n  }\n}\n");
    assertThatThrownBy(() -> Baseline.read(file, "src/test/cassettes/S.baseline.json"))
        .hasMessageContaining("src/test/cassettes/S.baseline.json:3:").hasMessageContaining("-Dpromptunit.baseline=update");

    Files.writeString(file, "{\"outcomes\": {\"a\": \"maybe\"}}");
    assertThatThrownBy(() -> Baseline.read(file, "S.baseline.json")).hasMessageContaining("\"a\"").hasMessageContaining("\"pass\" or \"fail\"");
  }

  @Test
  void aGateNeedsFiveFlipsAtFivePercent() {
    assertThat(Baseline.flipsNeeded(0.05)).isEqualTo(5);
    assertThat(Baseline.flipsNeeded(0.01)).isEqualTo(7);
    assertThat(Baseline.flipsNeeded(0.5)).isEqualTo(2);
  }

  /** {@code count} examples, the first {@code failing} of them failing. */
  private static Map<String, Boolean> outcomes(int count, int failing) {
    Map<String, Boolean> outcomes = new HashMap<>();
    IntStream.rangeClosed(1, count).forEach(i -> outcomes.put(id(i), i > failing));
    return outcomes;
  }

  private static String id(int i) {
    return String.format("item-%02d", i);
  }
}
