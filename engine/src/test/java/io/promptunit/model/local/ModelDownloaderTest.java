package io.promptunit.model.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.promptunit.model.local.ModelDownloadException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a local HTTP server on 127.0.0.1 that serves a file with Range support. */
class ModelDownloaderTest {

  private static final int SIZE = 2_000_000;
  private static final byte[] CONTENT = new byte[SIZE];

  static {
    new Random(7).nextBytes(CONTENT);
  }

  @TempDir
  Path cache;

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final PrintStream progress = new PrintStream(output, true, StandardCharsets.UTF_8);
  private FileServer server;

  @BeforeEach
  void start() throws IOException {
    server = new FileServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void downloadsVerifiesAndRenamesWithAProgressBar() throws IOException {
    PinnedModel model = server.pinned(sha256(CONTENT));
    Path file = downloader().download(model);

    assertThat(file).isEqualTo(cache.resolve("tiny.gguf"));
    assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
    assertThat(cache.resolve("tiny.gguf.part")).doesNotExist();
    assertThat(cache.resolve("tiny.gguf.sha256")).content().startsWith(sha256(CONTENT) + "  tiny.gguf");
    assertThat(server.ranges).containsExactly("none");
    assertThat(server.sentBytes.get()).isEqualTo(SIZE);

    String text = output.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("Downloading tiny test model (tiny.gguf, 2.0 MB, Apache-2.0)", server.url().toString());
    assertThat(text).contains("  0%").contains("100%  2.0 / 2.0 MB").endsWith(System.lineSeparator());
    assertThat(text.split("\r").length).as("redraws are throttled").isLessThan(10);
  }

  @Test
  void aVerifiedFileInTheCacheIsUsedWithoutTheNetwork() {
    PinnedModel model = server.pinned(sha256(CONTENT));
    Path first = downloader().download(model);
    server.close();

    Path second = downloader().download(model);

    assertThat(second).isEqualTo(first);
    assertThat(server.ranges).hasSize(1);
  }

  @Test
  void resumesAPartialFileWithARangeRequest() throws IOException {
    PinnedModel model = server.pinned(sha256(CONTENT));
    int have = 700_000;
    Files.write(cache.resolve("tiny.gguf.part"), Arrays.copyOf(CONTENT, have));

    Path file = downloader().download(model);

    assertThat(server.ranges).containsExactly("bytes=" + have + "-");
    assertThat(server.statuses).containsExactly(206);
    assertThat(server.sentBytes.get()).as("only the remainder is sent").isEqualTo(SIZE - have);
    assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
    assertThat(output.toString(StandardCharsets.UTF_8)).contains("Resuming the download of tiny test model", "at 0.7 MB", "100%");
  }

  @Test
  void restartsWhenTheServerIgnoresTheRange() throws IOException {
    server.honourRanges = false;
    PinnedModel model = server.pinned(sha256(CONTENT));
    Files.write(cache.resolve("tiny.gguf.part"), new byte[500_000]);

    Path file = downloader().download(model);

    assertThat(server.ranges).containsExactly("bytes=500000-");
    assertThat(server.statuses).containsExactly(200);
    assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
    assertThat(output.toString(StandardCharsets.UTF_8)).contains("does not resume downloads", "from the start");
  }

  @Test
  void aDroppedConnectionKeepsThePartialFileAndTheNextRunResumes() throws Exception {
    int dropAfter = 800_000;
    URI dropping = droppingServer(dropAfter);
    PinnedModel viaDroppingServer = new PinnedModel("tiny test model", "tiny.gguf", dropping, sha256(CONTENT), SIZE, "Apache-2.0");

    ModelDownloadException broken = catchThrowableOfType(ModelDownloadException.class, () -> downloader().download(viaDroppingServer));

    assertThat(broken.reason()).isEqualTo(Reason.INTERRUPTED);
    assertThat(broken.getMessage()).contains("broke off after", "The partial file is kept at " + cache.resolve("tiny.gguf.part"), "resumes");
    // The HTTP client may discard its last buffers when the connection breaks: at most what was sent is kept.
    long kept = Files.size(cache.resolve("tiny.gguf.part"));
    assertThat(kept).isPositive().isLessThanOrEqualTo(dropAfter);
    assertThat(cache.resolve("tiny.gguf")).doesNotExist();

    Path file = downloader().download(server.pinned(sha256(CONTENT)));

    assertThat(server.ranges).containsExactly("bytes=" + kept + "-");
    assertThat(server.sentBytes.get()).isEqualTo(SIZE - kept);
    assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
  }

  @Test
  void aStalledTransferIsAbortedAfterTheIdleTimeout() throws IOException {
    server.stallAfter = 300_000;
    PinnedModel model = server.pinned(sha256(CONTENT));
    ModelDownloader impatient = new ModelDownloader(cache, progress, Duration.ofSeconds(5), Duration.ofSeconds(1));

    ModelDownloadException stalled = catchThrowableOfType(ModelDownloadException.class, () -> impatient.download(model));

    assertThat(stalled.reason()).isEqualTo(Reason.INTERRUPTED);
    assertThat(stalled.getMessage()).contains("no data arrived for 1 s");
    assertThat(Files.size(cache.resolve("tiny.gguf.part"))).isEqualTo(300_000);
  }

  @Test
  void aChecksumMismatchDeletesTheFileAndSaysSo() {
    String wrong = "0".repeat(64);
    PinnedModel model = server.pinned(wrong);

    ModelDownloadException mismatch = catchThrowableOfType(ModelDownloadException.class, () -> downloader().download(model));

    assertThat(mismatch.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(mismatch.getMessage())
        .contains("Verification failed for tiny.gguf downloaded from " + server.url())
        .contains("checksum mismatch: expected SHA-256 " + wrong + ", actual SHA-256 " + sha256(CONTENT))
        .contains("The downloaded file was deleted");
    assertThat(cache.resolve("tiny.gguf")).doesNotExist();
    assertThat(cache.resolve("tiny.gguf.part")).doesNotExist();
  }

  @Test
  void aServerOfferingAnotherSizeIsNotDownloaded() {
    PinnedModel model = new PinnedModel("tiny test model", "tiny.gguf", server.url(), sha256(CONTENT), SIZE + 1, "Apache-2.0");

    assertThatThrownBy(() -> downloader().download(model))
        .isInstanceOfSatisfying(ModelDownloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED))
        .hasMessageContaining("The server offers " + SIZE + " bytes for tiny.gguf")
        .hasMessageContaining("the pinned file has " + (SIZE + 1) + " bytes");
    assertThat(cache.resolve("tiny.gguf.part")).doesNotExist();
    assertThat(cache.resolve("tiny.gguf")).doesNotExist();
  }

  @Test
  void aFilePutThereByHandIsVerifiedOnceAndUsed() throws IOException {
    PinnedModel model = server.pinned(sha256(CONTENT));
    Files.write(cache.resolve("tiny.gguf"), CONTENT);

    Path file = downloader().download(model);

    assertThat(file).hasBinaryContent(CONTENT);
    assertThat(server.ranges).isEmpty();
    assertThat(cache.resolve("tiny.gguf.sha256")).exists();
  }

  @Test
  void aWrongFileInTheCacheIsDeletedAndDownloadedAgain() throws IOException {
    PinnedModel model = server.pinned(sha256(CONTENT));
    byte[] damaged = CONTENT.clone();
    damaged[12345] ^= 1;
    Files.write(cache.resolve("tiny.gguf"), damaged);

    Path file = downloader().download(model);

    assertThat(file).hasBinaryContent(CONTENT);
    assertThat(server.ranges).containsExactly("none");
    assertThat(output.toString(StandardCharsets.UTF_8)).contains("does not match its pin (checksum mismatch", "it was deleted and is downloaded again");
  }

  @Test
  void anHttpErrorNamesTheStatusAndTheUrl() {
    PinnedModel model = new PinnedModel("tiny test model", "tiny.gguf", server.url().resolve("/missing.gguf"), sha256(CONTENT), SIZE, "Apache-2.0");

    assertThatThrownBy(() -> downloader().download(model))
        .isInstanceOfSatisfying(ModelDownloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HTTP_STATUS))
        .hasMessageContaining(server.url().resolve("/missing.gguf") + " answered HTTP 404 (not found");
  }

  @Test
  void whenTheHostRefusesConnectionsTheMessageSaysWhatWasTriedAndHowToGoOn() throws IOException {
    URI refused;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      refused = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/models/tiny.gguf");
    }
    PinnedModel model = new PinnedModel("tiny test model", "tiny.gguf", refused, sha256(CONTENT), SIZE, "Apache-2.0");

    ModelDownloadException offline = catchThrowableOfType(ModelDownloadException.class, () -> downloader().download(model));

    assertThat(offline.reason()).isEqualTo(Reason.OFFLINE);
    assertThat(offline.url()).isEqualTo(refused);
    assertThat(offline.target()).isEqualTo(cache.resolve("tiny.gguf"));
    assertThat(offline.getMessage())
        .contains("Could not download the model tiny test model (2.0 MB): 127.0.0.1 cannot be reached: the connection was refused (ConnectException")
        .contains("This machine seems to be offline")
        .contains("Tried: " + refused)
        .contains("put the file in place by hand", "      " + cache.resolve("tiny.gguf"), "exactly " + SIZE + " bytes, SHA-256 " + sha256(CONTENT))
        .contains("promptunit.model=gguf:/path/to/model.gguf")
        .contains("promptunit.model=openai:gpt-4o-mini with the OPENAI_API_KEY environment variable set");
    assertThat(cache.resolve("tiny.gguf")).doesNotExist();
    assertThat(cache.resolve("tiny.gguf.part")).doesNotExist();
  }

  @Test
  void theEmbeddedDefaultIsPinnedByRevisionSizeAndChecksum() {
    PinnedModel model = EmbeddedModels.DEFAULT;

    assertThat(model.fileName()).isEqualTo("qwen2.5-0.5b-instruct-q4_k_m.gguf");
    assertThat(model.url().toString())
        .startsWith("https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/")
        .doesNotContain("/main/")
        .endsWith("/qwen2.5-0.5b-instruct-q4_k_m.gguf");
    assertThat(model.sha256()).hasSize(64);
    assertThat(model.size()).isEqualTo(491_400_032L);
    assertThat(model.licence()).isEqualTo("Apache-2.0");
    assertThat(EmbeddedModels.defaultCacheDirectory().endsWith(Path.of(".cache", "promptunit", "models"))).isTrue();
  }

  /**
   * A one-shot server that answers the first request with the headers of the whole file and the first
   * {@code dropAfter} bytes, then closes the socket: a connection dropped in the middle of a transfer.
   */
  private static URI droppingServer(int dropAfter) throws IOException {
    ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread thread = new Thread(() -> {
      try (socket; Socket connection = socket.accept()) {
        connection.setSoTimeout(5000);
        InputStream in = connection.getInputStream();
        int matched = 0;
        while (matched < 4) {
          int b = in.read();
          if (b < 0) {
            return;
          }
          matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        OutputStream out = connection.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + SIZE + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(CONTENT, 0, dropAfter);
        out.flush();
      } catch (IOException e) {
        // the test sees the outcome
      }
    }, "dropping-server");
    thread.setDaemon(true);
    thread.start();
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/models/tiny.gguf");
  }

  private ModelDownloader downloader() {
    return new ModelDownloader(cache, progress, Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Serves {@link #CONTENT} at {@code /models/tiny.gguf}, honouring {@code Range: bytes=N-}. */
  private static final class FileServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    final List<String> ranges = new CopyOnWriteArrayList<>();
    final List<Integer> statuses = new CopyOnWriteArrayList<>();
    final AtomicLong sentBytes = new AtomicLong();
    volatile boolean honourRanges = true;
    volatile int stallAfter = -1;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpServer http;
    private boolean closed;

    FileServer() throws IOException {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext("/models/tiny.gguf", this::serve);
      http.setExecutor(executor);
      http.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/models/tiny.gguf");
    }

    PinnedModel pinned(String sha256) {
      return new PinnedModel("tiny test model", "tiny.gguf", url(), sha256, SIZE, "Apache-2.0");
    }

    private void serve(HttpExchange exchange) throws IOException {
      String range = exchange.getRequestHeaders().getFirst("Range");
      ranges.add(range == null ? "none" : range);
      int from = 0;
      if (range != null && honourRanges) {
        Matcher m = RANGE.matcher(range);
        if (m.matches()) {
          from = Integer.parseInt(m.group(1));
        }
      }
      int status = from > 0 ? 206 : 200;
      statuses.add(status);
      if (status == 206) {
        exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (SIZE - 1) + "/" + SIZE);
      }
      exchange.sendResponseHeaders(status, SIZE - from);
      try (OutputStream body = exchange.getResponseBody()) {
        int stop = stallAfter >= 0 ? stallAfter : SIZE;
        for (int at = from; at < Math.min(stop, SIZE); at += 65536) {
          int n = Math.min(65536, Math.min(stop, SIZE) - at);
          body.write(CONTENT, at, n);
          sentBytes.addAndGet(n);
        }
        body.flush();
        if (stallAfter >= 0) {
          Thread.sleep(3000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // the client sees a connection that ends early
      } finally {
        exchange.close();
      }
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        http.stop(0);
        executor.shutdownNow();
      }
    }
  }
}
