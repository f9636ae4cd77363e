package io.promptunit.model.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.model.local.ModelDownloadException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads {@link PinnedModel pinned} model files into a cache directory, once.
 *
 * <ul>
 *   <li>The transfer goes to {@code <name>.part}; when a {@code .part} file exists, the download resumes
 *       with an HTTP {@code Range} request. A server that answers {@code 206} continues where the file
 *       ends; one that answers {@code 200} sends the whole file, which then replaces the partial one.</li>
 *   <li>When complete, the file's size and SHA-256 are checked against the pin. On a mismatch the file is
 *       deleted and a {@link ModelDownloadException} gives the expected and actual hashes. Only a
 *       verified file is renamed, atomically, to its final name; a marker {@code <name>.sha256} records
 *       the verification so later runs do not hash the file again.</li>
 *   <li>A file put into the cache directory by hand is verified (once) before it is used.</li>
 *   <li>A progress bar (percent, MB done of total, rate) is drawn on the given stream, at most a few
 *       times per second, and ended with a newline.</li>
 *   <li>Connecting times out after a connect timeout, and a transfer that stalls for longer than the
 *       idle timeout is aborted (the partial file is kept for the next attempt).</li>
 *   <li>When the host cannot be reached (no network, DNS failure, refused or timed-out connection) the
 *       exception says which URL was tried, the exact path where the file can be put by hand, and how
 *       to configure another model instead.</li>
 *   <li>Concurrent downloads of the same file, by threads or by processes (e.g. parallel Surefire
 *       forks), are serialised with a lock file; the second one finds the verified file.</li>
 * </ul>
 */
@API(status = INTERNAL, since = "0.1")
public final class ModelDownloader {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "promptunit-download-watchdog");
    thread.setDaemon(true);
    return thread;
  });

  private final Path cacheDirectory;
  private final PrintStream progress;
  private final HttpClient client;
  private final Duration idleTimeout;

  /** A downloader into {@code cacheDirectory} that draws its progress bar on {@code progress}. */
  public ModelDownloader(Path cacheDirectory, PrintStream progress) {
    this(cacheDirectory, progress, DEFAULT_CONNECT_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
  }

  public ModelDownloader(Path cacheDirectory, PrintStream progress, Duration connectTimeout, Duration idleTimeout) {
    this.cacheDirectory = cacheDirectory.toAbsolutePath().normalize();
    this.progress = Objects.requireNonNull(progress, "progress");
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    this.client = HttpClient.newBuilder()
        .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  public Path cacheDirectory() {
    return cacheDirectory;
  }

  /** Where the verified file of {@code model} lives, and where it can be put by hand. */
  public Path target(PinnedModel model) {
    return cacheDirectory.resolve(model.fileName());
  }

  /** Where an unfinished download of {@code model} is kept. */
  public Path partFile(PinnedModel model) {
    return cacheDirectory.resolve(model.fileName() + ".part");
  }

  /**
   * The path of the verified file of {@code model}, downloading it first if it is not in the cache.
   *
   * @throws ModelDownloadException when the file cannot be downloaded or does not match its pin
   */
  public Path download(PinnedModel model) {
    Path target = target(model);
    ReentrantLock threadLock = LOCKS.computeIfAbsent(target, path -> new ReentrantLock());
    threadLock.lock();
    try {
      Files.createDirectories(cacheDirectory);
      Path lockFile = cacheDirectory.resolve(model.fileName() + ".lock");
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          progress.println("Waiting for another process that is downloading " + model.fileName() + " into "
              + cacheDirectory + " ...");
          lock = channel.lock();
        }
        try {
          return downloadLocked(model, target);
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new ModelDownloadException(Reason.LOCAL_IO, model.url(), target,
          "Could not write the model cache directory " + cacheDirectory + ": " + describe(e) + ".\n"
              + howToProceed(model, target), e);
    } finally {
      threadLock.unlock();
    }
  }

  private Path downloadLocked(PinnedModel model, Path target) throws IOException {
    if (Files.exists(target)) {
      if (isMarkedVerified(model, target)) {
        return target;
      }
      String problem = mismatch(model, target);
      if (problem == null) {
        markVerified(model, target);
        return target;
      }
      Files.delete(target);
      Files.deleteIfExists(marker(model));
      progress.println("The cached file " + target + " does not match its pin (" + problem
          + "); it was deleted and is downloaded again.");
    }
    Path part = partFile(model);
    fetch(model, target, part);
    String problem = mismatch(model, part);
    if (problem != null) {
      Files.deleteIfExists(part);
      throw new ModelDownloadException(Reason.VERIFICATION_FAILED, model.url(), target,
          "Verification failed for " + model.fileName() + " downloaded from " + model.url() + ": " + problem
              + ". The downloaded file was deleted; an unverified model file is never used.\n"
              + howToProceed(model, target), null);
    }
    try {
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    }
    markVerified(model, target);
    return target;
  }

  private void fetch(PinnedModel model, Path target, Path part) throws IOException {
    for (int attempt = 0; ; attempt++) {
      long have = partSize(model, part);
      if (have == model.size()) {
        return;
      }
      HttpResponse<InputStream> response = send(model, target, have);
      Optional<Start> start = start(model, target, part, response, have, attempt);
      if (start.isPresent()) {
        transfer(model, target, part, response.body(), start.get().append(), start.get().have());
        return;
      }
    }
  }

  /** Where a transfer starts: appended to the {@code have} bytes of the partial file, or from the beginning. */
  private record Start(boolean append, long have) {}

  /** The bytes of the partial file, none when it is longer than the pinned file (it is deleted then). */
  private static long partSize(PinnedModel model, Path part) throws IOException {
    long have = Files.exists(part) ? Files.size(part) : 0;
    if (have > model.size()) {
      Files.delete(part);
      return 0;
    }
    return have;
  }

  /** Asks for the file, from byte {@code have} on when part of it is there. */
  private HttpResponse<InputStream> send(PinnedModel model, Path target, long have) {
    HttpRequest.Builder request = HttpRequest.newBuilder(model.url()).GET()
        .header("User-Agent", "PromptUnit model downloader");
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(model, target, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelDownloadException(Reason.INTERRUPTED, model.url(), target,
          "The download of " + model.fileName() + " from " + model.url() + " was interrupted before it started.\n"
              + howToProceed(model, target), e);
    }
  }

  /**
   * Where the transfer of {@code response} starts, or empty when the download is to start again from
   * the beginning (once: on the first attempt).
   */
  private Optional<Start> start(PinnedModel model, Path target, Path part, HttpResponse<InputStream> response,
      long have, int attempt) throws IOException {
    int status = response.statusCode();
    if (status == 206) {
      return resumed(model, target, part, response, have, attempt);
    }
    if (status == 200) {
      return Optional.of(whole(model, target, response, have));
    }
    response.body().close();
    if (status == 416 && have > 0 && attempt == 0) {
      Files.deleteIfExists(part);
      return Optional.empty();
    }
    throw new ModelDownloadException(Reason.HTTP_STATUS, model.url(), target,
        "Downloading " + model.fileName() + " failed: " + model.url() + " answered HTTP " + status + statusHint(status)
            + ".\n" + howToProceed(model, target), null);
  }

  /** A {@code 206} answer: it continues the partial file unless the server sent another range than asked for. */
  private Optional<Start> resumed(PinnedModel model, Path target, Path part, HttpResponse<InputStream> response,
      long have, int attempt) throws IOException {
    if (contentRangeStart(response) == have) {
      return Optional.of(new Start(true, have));
    }
    response.body().close();
    Files.deleteIfExists(part);
    if (attempt == 0) {
      progress.println("The server answered the resume request with a different range ("
          + response.headers().firstValue("Content-Range").orElse("none") + "); downloading " + model.fileName()
          + " from the start.");
      return Optional.empty();
    }
    throw new ModelDownloadException(Reason.HTTP_STATUS, model.url(), target,
        "The server sent a range of " + model.fileName() + " that was not asked for ("
            + response.headers().firstValue("Content-Range").orElse("no Content-Range") + ") from " + model.url()
            + ".\n" + howToProceed(model, target), null);
  }

  /** A {@code 200} answer: the whole file, which replaces a partial one, unless its length is not the pinned one. */
  private Start whole(PinnedModel model, Path target, HttpResponse<InputStream> response, long have)
      throws IOException {
    if (have > 0) {
      progress.println("The server does not resume downloads (it answered 200 to a range request); downloading "
          + model.fileName() + " from the start.");
    }
    long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (length >= 0 && length != model.size()) {
      response.body().close();
      throw new ModelDownloadException(Reason.VERIFICATION_FAILED, model.url(), target,
          "The server offers " + length + " bytes for " + model.fileName() + " at " + model.url()
              + ", but the pinned file has " + model.size()
              + " bytes, so it was not downloaded: the file behind the URL is not the pinned one.\n"
              + howToProceed(model, target), null);
    }
    return new Start(false, 0);
  }

  private void transfer(PinnedModel model, Path target, Path part, InputStream body, boolean append, long have)
      throws IOException {
    ProgressBar bar = new ProgressBar(progress, model, have);
    AtomicLong lastRead = new AtomicLong(System.nanoTime());
    AtomicBoolean stalled = new AtomicBoolean();
    ScheduledFuture<?> watchdog = closeWhenIdle(body, lastRead, stalled);
    long done = have;
    try (InputStream in = body; OutputStream out = openPart(part, append)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        lastRead.set(System.nanoTime());
        if (done + n > model.size()) {
          throw sentTooMuch(model, target);
        }
        out.write(buffer, 0, n);
        done += n;
        bar.update(done);
        if (Thread.currentThread().isInterrupted()) {
          throw new IOException("interrupted");
        }
      }
    } catch (ModelDownloadException e) {
      bar.abort();
      Files.deleteIfExists(part);
      throw e;
    } catch (IOException e) {
      bar.abort();
      String why = stalled.get() ? "no data arrived for " + idleTimeout.toSeconds() + " s" : describe(e);
      throw brokeOff(model, target, part, done, why, e);
    } finally {
      watchdog.cancel(false);
    }
    if (done < model.size()) {
      bar.abort();
      throw closedEarly(model, target, part, done);
    }
    bar.finish(done);
  }

  private static ModelDownloadException sentTooMuch(PinnedModel model, Path target) {
    return new ModelDownloadException(Reason.VERIFICATION_FAILED, model.url(), target,
        "The server sent more than the pinned " + model.size() + " bytes of " + model.fileName() + " from "
            + model.url() + ", so the file behind the URL is not the pinned one. The partial file was deleted.\n"
            + howToProceed(model, target), null);
  }

  private static ModelDownloadException brokeOff(PinnedModel model, Path target, Path part, long done, String why,
      IOException e) {
    return new ModelDownloadException(Reason.INTERRUPTED, model.url(), target, "The download of " + model.fileName()
        + " from " + model.url() + " broke off after " + megabytes(done) + " of " + megabytes(model.size()) + " MB ("
        + why + ")." + partKept(model, target, part), e);
  }

  private static ModelDownloadException closedEarly(PinnedModel model, Path target, Path part, long done) {
    return new ModelDownloadException(Reason.INTERRUPTED, model.url(), target, "The server closed the connection after "
        + megabytes(done) + " of " + megabytes(model.size()) + " MB of " + model.fileName() + " from " + model.url()
        + "." + partKept(model, target, part), null);
  }

  private static String partKept(PinnedModel model, Path target, Path part) {
    return " The partial file is kept at " + part + " and the next run resumes from there.\n"
        + howToProceed(model, target);
  }

  /** Closes {@code body} when nothing was read from it for the idle timeout, so that the reader stops waiting. */
  private ScheduledFuture<?> closeWhenIdle(InputStream body, AtomicLong lastRead, AtomicBoolean stalled) {
    return WATCHDOG.scheduleAtFixedRate(() -> {
      if (System.nanoTime() - lastRead.get() > idleTimeout.toNanos() && stalled.compareAndSet(false, true)) {
        try {
          body.close();
        } catch (IOException ignored) {
          // the reader sees the closed stream
        }
      }
    }, 250, 250, TimeUnit.MILLISECONDS);
  }

  private static OutputStream openPart(Path part, boolean append) throws IOException {
    return Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static long contentRangeStart(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Range")
        .map(CONTENT_RANGE::matcher)
        .filter(Matcher::matches)
        .map(m -> Long.parseLong(m.group(1)))
        .orElse(-1L);
  }

  /** Null when {@code file} has the pinned size and SHA-256, else what differs. */
  private static String mismatch(PinnedModel model, Path file) throws IOException {
    long size = Files.size(file);
    if (size != model.size()) {
      return "expected " + model.size() + " bytes, actual " + size + " bytes";
    }
    String actual = sha256(file);
    if (!actual.equals(model.sha256())) {
      return "checksum mismatch: expected SHA-256 " + model.sha256() + ", actual SHA-256 " + actual;
    }
    return null;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private Path marker(PinnedModel model) {
    return cacheDirectory.resolve(model.fileName() + ".sha256");
  }

  private boolean isMarkedVerified(PinnedModel model, Path target) throws IOException {
    Path marker = marker(model);
    if (!Files.isRegularFile(marker) || Files.size(target) != model.size()) {
      return false;
    }
    String recorded = Files.readString(marker, StandardCharsets.UTF_8).strip();
    return recorded.startsWith(model.sha256() + " ")
        && Files.getLastModifiedTime(marker).compareTo(Files.getLastModifiedTime(target)) >= 0;
  }

  private void markVerified(PinnedModel model, Path target) throws IOException {
    // sha256sum's format, so that `sha256sum -c` can check the cache by hand.
    Files.writeString(marker(model), model.sha256() + "  " + target.getFileName() + "\n", StandardCharsets.UTF_8);
  }

  private ModelDownloadException unreachable(PinnedModel model, Path target, IOException e) {
    return new ModelDownloadException(Reason.OFFLINE, model.url(), target,
        "Could not download the model " + model.name() + " (" + model.displaySize() + "): " + host(model.url())
            + " cannot be reached: " + reachability(e) + " (" + describe(e)
            + "). This machine seems to be offline, or the host is blocked.\n"
            + "  Tried: " + model.url() + "\n"
            + howToProceed(model, target), e);
  }

  /** What the person can do now; part of every error message. */
  static String howToProceed(PinnedModel model, Path target) {
    return "To go on, either:\n"
        + "  - put the file in place by hand: download " + model.url()
            + " on a machine with network access and copy it to\n"
        + "      " + target + "\n"
        + "    (exactly " + model.size() + " bytes, SHA-256 " + model.sha256() + "; it is verified before use);\n"
        + "  - or use any local GGUF model: promptunit.model=gguf:/path/to/model.gguf;\n"
        + "  - or configure a hosted model: promptunit.model=openai:gpt-4o-mini"
            + " with the OPENAI_API_KEY environment variable set (every provider and its key: README,"
            + " Configuring models).\n"
        + "The model cache directory is set with promptunit.model-cache or PROMPTUNIT_MODEL_CACHE.";
  }

  private static String statusHint(int status) {
    switch (status) {
      case 401:
      case 403:
        return " (access denied)";
      case 404:
        return " (not found: the pinned revision may have been removed)";
      case 429:
        return " (too many requests: try again later)";
      default:
        return status >= 500 ? " (server error: try again later)" : "";
    }
  }

  static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    String previous = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String part = t.getClass().getSimpleName()
          + (t.getMessage() == null || t.getMessage().isBlank() ? "" : " " + t.getMessage());
      if (part.equals(previous) || (previous != null && previous.endsWith(part))) {
        continue;
      }
      if (text.length() > 0) {
        text.append(": ");
      }
      text.append(part);
      previous = part;
    }
    return text.toString();
  }

  /** A plain-words reason for a failure to reach a host, when one is recognisable. */
  private static String reachability(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
        return "its name could not be resolved";
      }
      if (t instanceof java.net.http.HttpConnectTimeoutException) {
        return "connecting timed out";
      }
      if (t instanceof java.net.NoRouteToHostException) {
        return "there is no route to it";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return "the connection was refused";
      }
    }
    return "the connection failed";
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1_000_000.0);
  }

  /**
   * A one-line progress bar redrawn with carriage returns: at most every 200 ms and only when the
   * percentage changed, then once more at the end, followed by a newline.
   */
  static final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final PrintStream out;
    private final long total;
    private final long startBytes;
    private final long startNanos = System.nanoTime();
    private long lastPrintNanos;
    private int lastPercent = -1;
    private boolean open;

    ProgressBar(PrintStream out, PinnedModel model, long alreadyThere) {
      this.out = out;
      this.total = model.size();
      this.startBytes = alreadyThere;
      out.println((alreadyThere > 0 ? "Resuming the download of " : "Downloading ") + model.name()
          + " (" + model.fileName() + ", " + model.displaySize() + ", " + model.licence() + ")"
          + (alreadyThere > 0 ? " at " + megabytes(alreadyThere) + " MB" : "")
          + "\n  from " + model.url());
      draw(alreadyThere);
    }

    void update(long done) {
      int percent = percent(done);
      long now = System.nanoTime();
      if (percent != lastPercent && now - lastPrintNanos >= MIN_INTERVAL_NANOS) {
        draw(done);
      }
    }

    void finish(long done) {
      draw(done);
      out.println();
      out.flush();
      open = false;
    }

    void abort() {
      if (open) {
        out.println();
        out.flush();
        open = false;
      }
    }

    private int percent(long done) {
      return (int) Math.min(100, done * 100 / total);
    }

    private void draw(long done) {
      int percent = percent(done);
      int filled = (int) (done * WIDTH / total);
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      String rate = seconds > 0.5 ? String.format(Locale.ROOT, "  %.1f MB/s", (done - startBytes) / 1e6 / seconds) : "";
      out.print(String.format(Locale.ROOT, "\r  [%s%s] %3d%%  %s / %s MB%s", "#".repeat(filled),
          "-".repeat(WIDTH - filled), percent,
          megabytes(done), megabytes(total), rate));
      out.flush();
      lastPercent = percent;
      lastPrintNanos = System.nanoTime();
      open = true;
    }
  }

  /** For messages: the host of {@code url}, e.g. to say which host could not be reached. */
  static String host(URI url) {
    return url.getHost() == null ? url.toString() : url.getHost();
  }
}
