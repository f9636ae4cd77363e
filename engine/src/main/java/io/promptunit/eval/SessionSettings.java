package io.promptunit.eval;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.config.Keys;
import io.promptunit.config.Settings;
import io.promptunit.model.CacheMode;
import io.promptunit.model.Cassette;
import io.promptunit.model.ModelClient;
import io.promptunit.model.PriceTable;
import io.promptunit.model.ModelChoice;
import io.promptunit.suite.Suite;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a suite's {@link ScoringSession} is set up from the settings — scoring concurrency, cassette,
 * prices, output cap, judges — the same for the JUnit engine, the Jupiter integration and plain-Java
 * callers, so that a suite scored anywhere shares its cassette and its spend figures.
 *
 * <pre>{@code
 * ModelChoice models = new ModelChoice(new ModelResolver(settings), settings, RetryPolicy.from(settings));
 * ModelClient task = models.taskModel(suite.anchor(), suite.options().model());
 * try (ScoringSession session = SessionSettings.builder(suite, task, models, settings, name -> {}).build()) { ... }
 * }</pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class SessionSettings {

  private SessionSettings() {}

  /**
   * A session builder for {@code suite} scored by {@code task}: judges from {@code models}, the
   * configured concurrency, prices, cassette and output cap ({@code promptunit.max-output-tokens}).
   *
   * @param modelUsed told the name of every model the session comes to use (task and judges), e.g. to warn about unpriced ones
   */
  public static ScoringSession.Builder builder(Suite suite, ModelClient task, ModelChoice models, Settings settings,
      Consumer<String> modelUsed) {
    modelUsed.accept(task.name());
    return ScoringSession.builder(suite, task)
        .judges(spec -> {
          ModelClient judge = models.judgeModel(spec, task);
          modelUsed.accept(judge.name());
          return judge;
        })
        .concurrency(concurrency(suite, settings))
        .prices(new PriceTable(settings))
        .cassette(cassette(suite, settings, System.err))
        .outputCap(configuredOutputCap(settings));
  }

  /** The suite's own concurrency, else {@code promptunit.concurrency}, else {@value Keys#DEFAULT_CONCURRENCY}. */
  public static int concurrency(Suite suite, Settings settings) {
    int concurrency = suite.options().concurrency().orElse(settings.getInt(Keys.CONCURRENCY, Keys.DEFAULT_CONCURRENCY));
    if (concurrency < 1) {
      throw new IllegalArgumentException(Keys.CONCURRENCY + "=" + concurrency + " must be at least 1");
    }
    return concurrency;
  }

  /** {@code promptunit.cache}, read-write by default. */
  public static CacheMode cacheMode(Settings settings) {
    return settings.get(Keys.CACHE).map(CacheMode::parse).orElse(CacheMode.READ_WRITE);
  }

  /** The suite's cassette, opened in the configured mode; none when caching is off. */
  public static Optional<Cassette> cassette(Suite suite, Settings settings, PrintStream warnings) {
    CacheMode mode = cacheMode(settings);
    return mode == CacheMode.OFF ? Optional.empty() : Optional.of(Cassette.open(cassettePath(suite, settings), mode, warnings));
  }

  /** {@code <promptunit.cache-dir>/<suite name>.jsonl}. */
  public static Path cassettePath(Suite suite, Settings settings) {
    return settings.cacheDir().resolve(suite.name() + ".jsonl");
  }

  /** {@code promptunit.max-output-tokens}, when set. */
  public static Optional<Integer> configuredOutputCap(Settings settings) {
    return settings.get(Keys.MAX_OUTPUT_TOKENS).map(v -> settings.getInt(Keys.MAX_OUTPUT_TOKENS, 0));
  }
}
