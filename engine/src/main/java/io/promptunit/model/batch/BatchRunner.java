package io.promptunit.model.batch;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptunit.config.Keys;
import io.promptunit.model.Cassette;
import io.promptunit.model.Provider;
import io.promptunit.model.Providers;
import io.promptunit.model.SpendMeter;
import io.promptunit.model.batch.client.BatchApiException;
import io.promptunit.model.batch.client.BatchClient;
import io.promptunit.model.batch.client.BatchStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * One round of batch mode: sends the requests a collecting pass deferred as provider batches (or
 * picks up the batches an earlier run left in the {@link BatchLedger}), waits for them with a
 * progress line, records every answer in the cassette (charged at batch prices) and marks every
 * request the batches could not answer as failed, with the reason its example will report.
 */
@API(status = INTERNAL, since = "0.1")
public final class BatchRunner {

  private static final Duration LONGEST_POLL = Duration.ofMinutes(1);

  private final String label;
  private final Cassette cassette;
  private final SpendMeter spend;
  private final BatchLedger ledger;
  private final Function<String, BatchClient> clientOfProvider;
  private final BatchSettings settings;
  private final Consumer<String> progress;
  private final Instant deadline;
  private final long started = System.nanoTime();

  /**
   * @param label the suite, for progress lines
   * @param clientOfProvider the batch client of each provider id
   * @param deadline when the run stops waiting ({@code promptunit.batch.max-wait-seconds} after it started)
   */
  public BatchRunner(String label, Cassette cassette, SpendMeter spend, BatchLedger ledger,
      Function<String, BatchClient> clientOfProvider,
      BatchSettings settings, Consumer<String> progress, Instant deadline) {
    this.label = label;
    this.cassette = cassette;
    this.spend = spend;
    this.ledger = ledger;
    this.clientOfProvider = clientOfProvider;
    this.settings = settings;
    this.progress = progress;
    this.deadline = deadline;
  }

  /** A batch this run follows. */
  private static final class Tracked {
    BatchLedger.Batch batch;
    final BatchClient client;
    BatchStatus status;
    /** Why the batch cannot be followed in this run, as its requests' failure says it; null while it can. */
    String problem;
    /** Whether a batch with a problem is done with: only when the provider says it does not exist. */
    boolean forget;
    /** Why the last status check failed, while the batch's status is not known. */
    String lastError;

    Tracked(BatchLedger.Batch batch, BatchClient client) {
      this.batch = batch;
      this.client = client;
    }

    boolean finished() {
      return problem != null || status != null && status.state().finished();
    }
  }

  /**
   * Sends what {@code collected} holds (unless the ledger names batches of an earlier run: those are
   * picked up instead), waits and records.
   *
   * @return whether every batch finished (false: some are still running or cannot be read now; they stay in the ledger)
   * @throws InterruptedException when the run is stopped while it waits; the ledger stays for the next run
   */
  public boolean round(CollectedRequests collected) throws IOException, InterruptedException {
    List<CollectedRequests.Chunk> chunks = collected.finish();
    List<BatchLedger.Batch> earlier = ledger.read();
    List<Tracked> tracked = new ArrayList<>();
    if (!earlier.isEmpty()) {
      pickUp(earlier, tracked);
    } else {
      submit(chunks, tracked);
    }
    poll(tracked);
    List<BatchLedger.Batch> open = new ArrayList<>();
    for (Tracked batch : tracked) {
      if (!record(batch, collected)) {
        open.add(batch.batch);
      }
    }
    ledger.write(open);
    return open.isEmpty();
  }

  /**
   * Follows the batches an earlier run left in the ledger. One it entered but whose create call it did not see answer
   * is looked for by its client id: followed when the provider has it, dropped when not (its requests are collected
   * again and submitted in the next round).
   */
  private void pickUp(List<BatchLedger.Batch> earlier, List<Tracked> tracked) throws IOException,
      InterruptedException {
    progress.accept(label + ": picking up " + earlier.size() + (earlier.size() == 1 ? " batch" : " batches")
        + " submitted by an earlier run ("
        + earlier.stream().map(BatchLedger.Batch::name).collect(Collectors.joining(", ")) + ", listed in "
        + ledger.file() + ")");
    for (BatchLedger.Batch batch : earlier) {
      Tracked following = new Tracked(batch, clientOfProvider.apply(batch.provider()));
      if (batch.created() || found(following)) {
        tracked.add(following);
      }
    }
    // the ids found are noted before any waiting
    ledger.write(tracked.stream().map(t -> t.batch).toList());
  }

  /** Looks for the batch {@code intent} was creating; false when the provider has none (it was never created). */
  private boolean found(Tracked intent) throws InterruptedException {
    BatchLedger.Batch batch = intent.batch;
    Optional<BatchStatus> found;
    try {
      found = intent.client.find(batch.clientId(), entered(batch), batch.keys().size());
    } catch (java.io.InterruptedIOException e) {
      throw new InterruptedException(e.getMessage());
    } catch (IOException e) {
      intent.problem = "Not answered: " + batch.name() + " of " + batch.model() + " (listed in " + ledger.file()
          + ") was being created when an earlier run stopped, and PromptUnit could not look for it: "
          + e.getMessage() + "." + whatToFix(batch, e) + " It is kept: run again with " + Keys.BATCH
          + "=true once that is fixed; the run looks for it before submitting its requests anew.";
      return true;
    }
    if (found.isEmpty()) {
      progress.accept(label + ": " + batch.name() + " of " + batch.model() + " was not created before the earlier"
          + " run stopped; its " + batch.keys().size() + " requests are submitted anew");
      return false;
    }
    intent.batch = batch.createdAs(found.get().id(), found.get().inputFileId());
    intent.status = found.get();
    progress.accept(label + ": found batch " + found.get().id() + " of " + batch.model() + ", created by an earlier"
        + " run that stopped before it could note its id (" + batch.clientId() + "); collecting it, not paying twice");
    return true;
  }

  private static Instant entered(BatchLedger.Batch batch) {
    try {
      return Instant.parse(batch.submitted());
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  /** What to do about a refusal: a refused key names its variable. */
  private static String whatToFix(BatchLedger.Batch batch, IOException e) {
    if (e instanceof BatchApiException api && (api.status() == 401 || api.status() == 403)) {
      String variable = Providers.find(batch.provider()).map(Provider::keyVariable).orElse("the API key");
      return " The provider refused the key: check " + variable + " (it must belong to the account that created"
          + " the batch).";
    }
    return "";
  }

  /**
   * Submits each chunk as a batch. Each is entered in the ledger before its create call (with a client id the provider
   * keeps with the batch where it can), and its provider id added as soon as the call answers.
   */
  private void submit(List<CollectedRequests.Chunk> chunks, List<Tracked> tracked) throws IOException {
    List<BatchLedger.Batch> entered = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      CollectedRequests.Chunk chunk = chunks.get(i);
      String provider = chunk.model().substring(0, chunk.model().indexOf(':'));
      BatchClient client = clientOfProvider.apply(provider);
      BatchLedger.Batch intent = new BatchLedger.Batch(provider, chunk.model(), "promptunit-" + UUID.randomUUID(),
          "", "", Instant.now().toString(), new LinkedHashSet<>(chunk.keys()));
      entered.add(intent);
      // before the create call: a run stopped from here on leaves the intent, and the next run looks for the batch
      ledger.write(entered);
      BatchStatus status;
      try {
        status = client.submit(chunk.file(), intent.clientId());
      } catch (IOException e) {
        unsent(chunks.subList(i, chunks.size()), intent, client, e, entered, tracked);
        break;
      }
      BatchLedger.Batch batch = intent.createdAs(status.id(), status.inputFileId());
      entered.set(entered.size() - 1, batch);
      Tracked following = new Tracked(batch, client);
      following.status = status;
      tracked.add(following);
      ledger.write(entered);
      progress.accept(String.format(Locale.ROOT,
          "%s: submitted %d requests to %s as batch %s (request file of %s, streamed from %s)", label,
          chunk.keys().size(), chunk.model(), status.id(), size(chunk.bytes()), chunk.file().getParent()));
    }
  }

  /**
   * A submission failed: the provider refused it (nothing was created, the intent leaves the ledger), or the call
   * failed on the way (the batch may exist: the intent stays, and the next run looks for it). The chunks after it are
   * not sent; every request says why.
   */
  private void unsent(List<CollectedRequests.Chunk> unsent, BatchLedger.Batch intent, BatchClient client,
      IOException e, List<BatchLedger.Batch> entered, List<Tracked> tracked) throws IOException {
    boolean refused = e instanceof BatchApiException api && !api.transientFailure();
    if (refused) {
      entered.remove(intent);
      ledger.write(entered);
    } else {
      Tracked kept = new Tracked(intent, client);
      kept.problem = "Not answered: PromptUnit could not submit this request as a batch to " + intent.model() + ": "
          + e.getMessage() + ". The provider may have created the batch all the same: it is kept in " + ledger.file()
          + " as " + intent.clientId() + ", and the next run with " + Keys.BATCH + "=true looks for it before"
          + " submitting anew, so it is not paid for twice.";
      tracked.add(kept);
    }
    for (CollectedRequests.Chunk chunk : refused ? unsent : unsent.subList(1, unsent.size())) {
      String reason = "Not answered: PromptUnit could not submit this request as a batch to " + chunk.model()
          + ": " + e.getMessage()
          + ". Nothing was charged for it; fix the cause and run again (promptunit.batch=true), "
          + "or run without promptunit.batch.";
      chunk.keys().forEach(key -> cassette.deferred().fail(key, reason));
    }
    progress.accept(label + ": batch submission failed: " + e.getMessage());
  }

  private void poll(List<Tracked> tracked) throws InterruptedException {
    long pause = settings.firstPoll().toMillis();
    String lastLine = "";
    long lastLineAt = 0;
    // a batch just submitted says where it is; one picked up from the ledger is asked first
    check(tracked.stream().filter(batch -> batch.status == null).toList());
    while (true) {
      String line = tracked.stream().map(this::describe).collect(Collectors.joining("; "));
      long now = System.nanoTime();
      boolean due = !settings.progressEvery().isZero() && now - lastLineAt >= settings.progressEvery().toNanos();
      if (!tracked.isEmpty() && (!line.equals(lastLine) || due)) {
        progress.accept(label + ": " + line + "; " + elapsed() + " s");
        lastLine = line;
        lastLineAt = now;
      }
      Duration left = Duration.between(Instant.now(), deadline);
      if (tracked.stream().allMatch(Tracked::finished) || left.isNegative() || left.isZero()) {
        return;
      }
      Thread.sleep(Math.min(pause, left.toMillis() + 1));
      pause = Math.min(pause * 2, Math.max(LONGEST_POLL.toMillis(), settings.firstPoll().toMillis()));
      check(tracked);
    }
  }

  private void check(List<Tracked> tracked) throws InterruptedException {
    for (Tracked batch : tracked) {
      if (!batch.finished()) {
        try {
          batch.status = batch.client.status(batch.batch.id());
          batch.lastError = null;
        } catch (java.io.InterruptedIOException e) {
          throw new InterruptedException(e.getMessage());
        } catch (BatchApiException e) {
          refused(batch, e);
        } catch (IOException e) {
          // the network hiccupped: ask again at the next check
          batch.lastError = e.getMessage();
        }
      }
    }
  }

  /**
   * A status check the provider refused. Only a batch it says does not exist is forgotten; a busy provider is asked
   * again at the next check; any other refusal (a key refused, a bad request) keeps the batch for a later run.
   */
  private void refused(Tracked batch, BatchApiException e) {
    if (e.transientFailure()) {
      batch.lastError = e.getMessage();
      return;
    }
    String name = "batch " + batch.batch.id() + " (" + batch.batch.model() + ", listed in " + ledger.file() + ")";
    if (e.status() == 404 || e.status() == 410) {
      batch.problem = "Not answered: " + name + " does not exist at the provider any more: " + e.getMessage()
          + ". It is forgotten; run again to submit its requests anew.";
      batch.forget = true;
      return;
    }
    batch.problem = "Not answered: " + name + " could not be read: " + e.getMessage() + "."
        + whatToFix(batch.batch, e) + " Its id is kept in " + ledger.file() + ": run again with " + Keys.BATCH
        + "=true once that is fixed, to collect its answers without paying twice.";
  }

  private String describe(Tracked batch) {
    if (batch.problem != null) {
      return batch.batch.name() + " unreadable";
    }
    if (batch.status == null) {
      return "batch " + batch.batch.id() + " status unknown";
    }
    BatchStatus status = batch.status;
    long total = status.total() > 0 ? status.total() : batch.batch.keys().size();
    return String.format(Locale.ROOT, "batch %s %s: %d submitted, %d completed, %d failed", status.id(),
        status.providerState(), total,
        status.completed(), status.failed());
  }

  private static String size(long bytes) {
    return bytes >= 1_000_000 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
        : String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
  }

  private long elapsed() {
    return (System.nanoTime() - started) / 1_000_000_000L;
  }

  /** Records what {@code batch} answered; returns whether it is done with (false: it stays in the ledger). */
  private boolean record(Tracked batch, CollectedRequests collected) throws IOException {
    String id = batch.batch.id();
    if (batch.problem != null) {
      failAll(batch, collected, batch.problem);
      return batch.forget;
    }
    if (batch.status == null || !batch.status.state().finished()) {
      String state = batch.status == null ? "of unknown status" : "still " + batch.status.describe();
      failAll(batch, collected, "Not answered yet: batch " + id + " of " + batch.batch.model() + " is " + state
          + " after waiting " + elapsed() + " s (" + Keys.BATCH_MAX_WAIT_SECONDS + "="
          + settings.maxWait().toSeconds() + ")"
          + (batch.lastError == null ? "" : "; the last status check failed: " + batch.lastError)
          + ". Its id is kept in " + ledger.file()
          + ": run again with promptunit.batch=true to collect its answers without paying twice.");
      return false;
    }
    BatchStatus status = batch.status;
    Set<String> seen = new HashSet<>();
    String origin = "batch " + id + " of " + batch.batch.model();
    try {
      batch.client.results(status, recorder(batch, collected, seen, origin));
    } catch (IOException | UncheckedIOException e) {
      String reason = e instanceof UncheckedIOException unchecked ? unchecked.getCause().getMessage() : e.getMessage();
      failAll(batch, collected, "Not recorded: the results of " + origin + " (" + status.providerState()
          + ") could not be read: " + reason + ". Its id is kept in " + ledger.file()
          + ": run again to download them without paying twice.");
      return false;
    }
    String missing = missing(origin, status);
    for (String key : batch.batch.keys()) {
      if (!seen.contains(key) && collected.contains(key)) {
        cassette.deferred().fail(key, missing);
      }
    }
    if (status.failed() > 0 || status.state() != BatchStatus.State.COMPLETED) {
      progress.accept(label + ": " + origin + " " + status.describe());
    }
    return true;
  }

  /**
   * Records every answer of {@code batch} in the cassette and charges it; an error becomes its
   * request's failure. Every result's key is added to {@code seen}.
   */
  private BatchClient.ResultSink recorder(Tracked batch, CollectedRequests collected, Set<String> seen, String origin) {
    return new BatchClient.ResultSink() {
      @Override
      public void answer(String customId, BatchClient.Answer answer) {
        seen.add(customId);
        try {
          Optional<JsonNode> request = collected.recordedRequest(customId);
          if (request.isPresent()) {
            cassette.record(customId, request.get(),
                new Cassette.Entry(answer.text(), answer.inputTokens(), answer.outputTokens(), answer.truncated()));
            spend.chargeBatched(batch.batch.model(), answer.inputTokens(), answer.outputTokens());
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void error(String customId, String message) {
        seen.add(customId);
        cassette.deferred().fail(customId, "The provider could not answer this request in " + origin + ": " + message);
      }
    };
  }

  /** Why a request of a finished batch has no result. */
  private static String missing(String origin, BatchStatus status) {
    if (status.state() == BatchStatus.State.COMPLETED) {
      return "Not answered: " + origin + " completed without a result for this request";
    }
    return "Not answered: " + origin + " ended " + status.providerState()
        + (status.errors().isEmpty() ? "" : " (" + status.errors() + ")")
        + " after answering " + status.completed() + " of " + status.total()
        + " requests; its answers are recorded, this request's is not."
        + " Run again with promptunit.batch=true to submit the rest, or without it to call the model directly.";
  }

  private void failAll(Tracked batch, CollectedRequests collected, String reason) {
    for (String key : batch.batch.keys()) {
      if (collected.contains(key)) {
        cassette.deferred().fail(key, reason);
      }
    }
  }
}
