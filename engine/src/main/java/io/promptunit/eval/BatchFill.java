package io.promptunit.eval;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.promptunit.Example;
import io.promptunit.config.Keys;
import io.promptunit.config.Configuration;
import io.promptunit.config.CacheMode;
import io.promptunit.model.Cassette;
import io.promptunit.model.ModelConfigurationException;
import io.promptunit.model.ModelResolver;
import io.promptunit.model.Provider;
import io.promptunit.model.Providers;
import io.promptunit.model.batch.BatchClients;
import io.promptunit.model.batch.BatchLedger;
import io.promptunit.model.batch.BatchRunner;
import io.promptunit.model.batch.BatchSettings;
import io.promptunit.model.batch.CollectedRequests;
import io.promptunit.model.batch.ProviderWire;
import io.promptunit.model.batch.client.BatchClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * Batch mode ({@code promptunit.batch=true}): fills a suite's cassette through the provider's batch
 * API, so that the suite then runs from the cassette exactly as an interactive run would.
 *
 * <p>A collecting pass evaluates the examples with the suite's own session — the same evaluator,
 * checks and request shapes as the real run, so the same cassette keys — but every request the
 * cassette cannot answer is put aside instead of sent ({@link io.promptunit.model.DeferredRequests}).
 * Those requests go to the provider as batches; their answers are recorded; and the pass is repeated,
 * because answers lead to further requests (a judge grading an answer, the next repeat of a
 * {@code minPasses} example), until a pass puts nothing aside. Requests no batch could answer are
 * left marked with the reason, which the suite run reports as the errors of their examples.
 */
@API(status = INTERNAL, since = "0.1")
public final class BatchFill {

  /** A safety net: every round records or fails what it sent, so a suite needs as many rounds as its longest chain of calls. */
  private static final int MAX_ROUNDS = 1000;

  private BatchFill() {}

  /** Whether {@code promptunit.batch} is on (a malformed value is an error). */
  public static boolean enabled(Configuration settings) {
    return settings.batch();
  }

  /**
   * Fills {@code session}'s cassette with the answers its run of {@code examples} needs.
   *
   * @param progress takes progress lines (submission, status while waiting)
   * @throws ModelConfigurationException when batch mode cannot run: no read-write cassette, a model without a batch API
   */
  public static void fill(ScoringSession session, List<Example> examples, Configuration settings, ModelResolver resolver, Consumer<String> progress) {
    Cassette cassette = session.cassette().filter(c -> c.mode() == CacheMode.READ_WRITE).orElseThrow(() -> ModelConfigurationException.invalid(
        "Batch mode (" + Keys.BATCH + "=true) records the provider's answers in the suite's cassette and runs the suite from it, so it needs "
            + Keys.CACHE + "=read-write (the default); this run has " + Keys.CACHE + "=" + io.promptunit.config.Setting.spelled(settings.cache()) + ". Remove that setting, or run without " + Keys.BATCH + "."));
    String task = session.taskModel().name();
    if (Providers.of(task).filter(Provider::batches).isEmpty()) {
      throw BatchClients.unsupported(task);
    }
    BatchSettings batch;
    try {
      batch = BatchSettings.from(settings);
    } catch (IllegalArgumentException e) {
      throw ModelConfigurationException.invalid(e.getMessage());
    }
    String label = session.suite().name().substring(session.suite().name().lastIndexOf('.') + 1);
    Map<String, BatchClient> clients = new ConcurrentHashMap<>();
    Map<String, ProviderWire> wires = new ConcurrentHashMap<>();
    java.util.function.Function<String, BatchClient> clientOfProvider = id -> clients.computeIfAbsent(id, p -> BatchClients.of(p, settings, resolver));
    java.util.function.Function<String, BatchClient> clientOfModel = model -> clientOfProvider.apply(
        Providers.of(model).filter(Provider::batches).orElseThrow(() -> BatchClients.unsupported(model)).id());
    java.util.function.Function<String, ProviderWire> wireOfModel = model -> wires.computeIfAbsent(model,
        m -> new ProviderWire(resolver, m, Providers.baseUrl(Providers.of(m).orElseThrow(), settings)));
    BatchRunner runner = new BatchRunner(label, cassette, session.spend(), BatchLedger.beside(cassette.file()), clientOfProvider, batch, progress,
        Instant.now().plus(batch.maxWait()));
    boolean settled = true;
    try {
      for (int round = 1; ; round++) {
        Path directory = Files.createTempDirectory("promptunit-batch-");
        try (CollectedRequests collected = new CollectedRequests(directory, batch.maxRequests(), clientOfModel, wireOfModel)) {
          cassette.deferred().collectInto(collected);
          try {
            collect(session, examples);
          } finally {
            cassette.deferred().collectInto(null);
          }
          if (collected.problem().isPresent()) {
            throw ModelConfigurationException.invalid(collected.problem().get());
          }
          if (collected.isEmpty()) {
            return;
          }
          if (!settled || round > MAX_ROUNDS) {
            // an earlier batch is still running: these follow-ups wait for the run that collects it
            String reason = "Not sent: this request follows from answers of a batch that has not finished (see the other errors of this suite)."
                + " Run again with " + Keys.BATCH + "=true once it has: the next run collects that batch and sends this request.";
            collected.keys().forEach(key -> cassette.deferred().fail(key, reason));
            return;
          }
          settled = runner.round(collected);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Batch mode of " + label + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Batch mode of " + label + " was interrupted while waiting for its batches; their ids are kept in "
          + BatchLedger.beside(cassette.file()).file() + " and the next run with " + Keys.BATCH + "=true collects their answers", e);
    } finally {
      // the collecting passes read the cassette; its count of answers given is the suite run's
      cassette.resetHits();
    }
  }

  /** One pass over the examples, exactly as the suite run makes it; the results are not kept. */
  private static void collect(ScoringSession session, List<Example> examples) throws InterruptedException {
    SuiteRun pass = new SuiteRun(session, examples);
    for (Example example : examples) {
      pass.await(example);
    }
  }
}
