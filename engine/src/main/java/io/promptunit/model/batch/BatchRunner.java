package io.promptunit.model.batch;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptunit.model.Cassette;
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
    final BatchLedger.Batch batch;
    final BatchClient client;
    BatchStatus status;
    String problem;

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
   * @return whether every batch finished (false: some are still running; their ids stay in the ledger)
   * @throws InterruptedException when the run is stopped while it waits; the ledger stays for the next run
   */
  public boolean round(CollectedRequests collected) throws IOException, InterruptedException {
    List<CollectedRequests.Chunk> chunks = collected.finish();
    List<BatchLedger.Batch> earlier = ledger.read();
    List<Tracked> tracked = new ArrayList<>();
    if (!earlier.isEmpty()) {
      progress.accept(label + ": picking up " + earlier.size() + (earlier.size() == 1 ? " batch" : " batches")
          + " submitted by an earlier run ("
          + earlier.stream().map(BatchLedger.Batch::id).collect(Collectors.joining(", ")) + ", listed in "
          + ledger.file() + ")");
      for (BatchLedger.Batch batch : earlier) {
        tracked.add(new Tracked(batch, clientOfProvider.apply(batch.provider())));
      }
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

  private void submit(List<CollectedRequests.Chunk> chunks, List<Tracked> tracked) throws IOException {
    List<BatchLedger.Batch> submitted = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      CollectedRequests.Chunk chunk = chunks.get(i);
      String provider = chunk.model().substring(0, chunk.model().indexOf(':'));
      BatchClient client = clientOfProvider.apply(provider);
      BatchStatus status;
      try {
        status = client.submit(chunk.file());
      } catch (IOException e) {
        // what is submitted is followed; the rest is reported, request by request, with the reason
        for (CollectedRequests.Chunk unsent : chunks.subList(i, chunks.size())) {
          String reason = "Not answered: PromptUnit could not submit this request as a batch to " + unsent.model()
              + ": " + e.getMessage()
              + ". Nothing was charged for it; fix the cause and run again (promptunit.batch=true), "
              + "or run without promptunit.batch.";
          unsent.keys().forEach(key -> cassette.deferred().fail(key, reason));
        }
        progress.accept(label + ": batch submission failed: " + e.getMessage());
        break;
      }
      BatchLedger.Batch batch = new BatchLedger.Batch(provider, chunk.model(), status.id(), status.inputFileId(),
          Instant.now().toString(),
          new LinkedHashSet<>(chunk.keys()));
      submitted.add(batch);
      Tracked following = new Tracked(batch, client);
      following.status = status;
      tracked.add(following);
      // before any waiting: a run stopped from here on leaves the id for the next run
      ledger.write(submitted);
      progress.accept(String.format(Locale.ROOT,
          "%s: submitted %d requests to %s as batch %s (request file of %s, streamed from %s)", label,
          chunk.keys().size(), chunk.model(), status.id(), size(chunk.bytes()), chunk.file().getParent()));
    }
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
        } catch (java.io.InterruptedIOException e) {
          throw new InterruptedException(e.getMessage());
        } catch (BatchApiException e) {
          if (!e.transientFailure()) {
            batch.problem = e.getMessage();
          }
        } catch (IOException e) {
          // the network or the provider hiccupped: ask again at the next check
        }
      }
    }
  }

  private String describe(Tracked batch) {
    if (batch.problem != null) {
      return "batch " + batch.batch.id() + " unreadable";
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
      failAll(batch, collected, "Not answered: batch " + id + " (" + batch.batch.model() + ", listed in "
          + ledger.file() + ") cannot be read: " + batch.problem
          + ". It is forgotten; run again to submit its requests anew.");
      return true;
    }
    if (batch.status == null || !batch.status.state().finished()) {
      String state = batch.status == null ? "of unknown status" : "still " + batch.status.describe();
      failAll(batch, collected, "Not answered yet: batch " + id + " of " + batch.batch.model() + " is " + state
          + " after waiting " + elapsed() + " s (" + io.promptunit.config.Keys.BATCH_MAX_WAIT_SECONDS + "="
          + settings.maxWait().toSeconds() + "). Its id is kept in " + ledger.file()
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
                new Cassette.Entry(answer.text(), answer.inputTokens(), answer.outputTokens()));
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
