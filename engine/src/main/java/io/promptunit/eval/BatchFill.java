package io.promptunit.eval;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.promptunit.Example;
import io.promptunit.config.Keys;
import io.promptunit.config.Setting;
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

  /**
   * A safety net: every round records or fails what it sent, so a suite needs as many rounds as its longest chain of
   * calls.
   */
  private static final int MAX_ROUNDS = 1000;

  private BatchFill() {}

  /**
   * Fills {@code session}'s cassette with the answers its run of {@code examples} needs.
   *
   * @param progress takes progress lines (submission, status while waiting)
   * @throws ModelConfigurationException when batch mode cannot run: no read-write cassette, a model without a batch API
   */
  public static void fill(ScoringSession session, List<Example> examples, Configuration settings,
      ModelResolver resolver,
      Consumer<String> progress) {
    Cassette cassette = readWriteCassette(session, settings);
    String task = session.taskModel().name();
    if (Providers.of(task).filter(Provider::batches).isEmpty()) {
      throw BatchClients.unsupported(task);
    }
    BatchSettings batch = BatchSettings.from(settings);
    String label = session.suite().name().substring(session.suite().name().lastIndexOf('.') + 1);
    Wiring wiring = new Wiring(settings, resolver);
    BatchRunner runner = new BatchRunner(label, cassette, session.spend(), BatchLedger.beside(cassette.file()),
        wiring::clientOfProvider,
        batch, progress, Instant.now().plus(batch.maxWait()));
    try {
      rounds(session, examples, cassette, batch, wiring, runner);
    } catch (IOException e) {
      throw new UncheckedIOException("Batch mode of " + label + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Batch mode of " + label
          + " was interrupted while waiting for its batches; their ids are kept in "
          + BatchLedger.beside(cassette.file()).file() + " and the next run with " + Keys.BATCH
              + "=true collects their answers", e);
    } finally {
      // the collecting passes read the cassette; its count of answers given is the suite run's
      cassette.resetHits();
    }
  }

  /** Batch mode records into the suite's cassette, so it needs one that is read and written. */
  private static Cassette readWriteCassette(ScoringSession session, Configuration settings) {
    return session.cassette().filter(c -> c.mode() == CacheMode.READ_WRITE).orElseThrow(() ->
        ModelConfigurationException.invalid(
        "Batch mode (" + Keys.BATCH
            + "=true) records the provider's answers in the suite's cassette and runs the suite from it, so it"
            + " needs " + Keys.CACHE + "=read-write (the default); this run has " + Keys.CACHE + "="
                + Setting.spelled(settings.cache())
            + ". Remove that setting, or run without " + Keys.BATCH + "."));
  }

  /**
   * Collecting passes, each followed by a batch round for what it put aside, until a pass puts
   * nothing aside (or a batch is still running: its follow-ups wait for the run that collects it).
   */
  private static void rounds(ScoringSession session, List<Example> examples, Cassette cassette, BatchSettings batch,
      Wiring wiring,
      BatchRunner runner) throws IOException, InterruptedException {
    boolean settled = true;
    for (int round = 1; ; round++) {
      Path directory = Files.createTempDirectory("promptunit-batch-");
      try (CollectedRequests collected = new CollectedRequests(directory, batch.maxRequests(), wiring::clientOfModel,
          wiring::wireOfModel)) {
        collectPass(session, examples, cassette, collected);
        if (collected.isEmpty()) {
          return;
        }
        if (!settled || round > MAX_ROUNDS) {
          String reason = "Not sent: this request follows from answers of a batch that has not finished (see the other"
              + " errors of this suite). Run again with " + Keys.BATCH
                  + "=true once it has: the next run collects that batch and sends this request.";
          collected.keys().forEach(key -> cassette.deferred().fail(key, reason));
          return;
        }
        settled = runner.round(collected);
      }
    }
  }

  /** One pass of the suite run, with the cassette's misses put aside into {@code collected} instead of sent. */
  private static void collectPass(ScoringSession session, List<Example> examples, Cassette cassette,
      CollectedRequests collected)
      throws InterruptedException {
    cassette.deferred().collectInto(collected);
    try {
      collect(session, examples);
    } finally {
      cassette.deferred().collectInto(null);
    }
    if (collected.problem().isPresent()) {
      throw ModelConfigurationException.invalid(collected.problem().get());
    }
  }

  /** Each provider's batch client and each model's wire format, made once per fill. */
  private static final class Wiring {
    private final Configuration settings;
    private final ModelResolver resolver;
    private final Map<String, BatchClient> clients = new ConcurrentHashMap<>();
    private final Map<String, ProviderWire> wires = new ConcurrentHashMap<>();

    Wiring(Configuration settings, ModelResolver resolver) {
      this.settings = settings;
      this.resolver = resolver;
    }

    BatchClient clientOfProvider(String id) {
      return clients.computeIfAbsent(id, provider -> BatchClients.of(provider, settings, resolver));
    }

    BatchClient clientOfModel(String model) {
      return clientOfProvider(Providers.of(model).filter(Provider::batches).orElseThrow(() ->
          BatchClients.unsupported(model)).id());
    }

    ProviderWire wireOfModel(String model) {
      return wires.computeIfAbsent(model, m -> new ProviderWire(resolver, m, Providers.baseUrl(Providers.of(m)
          .orElseThrow(), settings)));
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
