package io.promptunit.benchmarks.perf;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal OpenAI-compatible chat-completions server on 127.0.0.1 with an injected latency. It
 * answers with the team marked in the ticket, after sleeping {@code latencyMillis}, and counts the
 * requests it holds at once.
 *
 * <p>A request counts as in flight from the moment its handler starts until just before the
 * answer is sent. That interval lies inside the client's own wait for the answer, so the maximum
 * seen here can never overstate how many requests the client had outstanding.
 */
final class BenchServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final long latencyMillis;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();
  /** When the first request since the last reset arrived and the last answer was sent, System.nanoTime(); 0: none. */
  private final AtomicLong firstArrival = new AtomicLong();
  private final AtomicLong lastAnswer = new AtomicLong();

  /** Every {@code faultEvery}-th request fails with 503 (0: none), as a provider under load does. */
  private final int faultEvery;

  BenchServer(long latencyMillis, int threads) {
    this(latencyMillis, threads, 0);
  }

  BenchServer(long latencyMillis, int threads, int faultEvery) {
    this.faultEvery = faultEvery;
    this.latencyMillis = latencyMillis;
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
    // holds the body until the client's delayed ACK (~40 ms on Linux) and every call looks 40 ms slower.
    // Read once, when the JDK's server configuration is first loaded.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AtomicInteger count = new AtomicInteger();
    executor = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "bench-server-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  void reset() {
    requests.set(0);
    maxInFlight.set(0);
    firstArrival.set(0);
    lastAnswer.set(0);
  }

  /** From the first request's arrival to the last answer sent since the last reset, in nanoseconds (0: none). */
  long activeNanos() {
    long first = firstArrival.get();
    return first == 0 ? 0 : Math.max(0, lastAnswer.get() - first);
  }

  int requests() {
    return requests.get();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    firstArrival.compareAndSet(0, System.nanoTime());
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    int number = requests.incrementAndGet();
    boolean counted = true;
    try {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (faultEvery > 0 && number % faultEvery == 0) {
        Thread.sleep(latencyMillis);
        inFlight.decrementAndGet();
        counted = false;
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      String answer = answerFor(body);
      Thread.sleep(latencyMillis);
      byte[] response = ("{\"id\":\"chatcmpl-" + ids.incrementAndGet() + "\",\"object\":\"chat.completion\",\"created\":"
          + (System.currentTimeMillis() / 1000) + ",\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"" + answer + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + (body.length() / 4)
          + ",\"completion_tokens\":1,\"total_tokens\":" + (body.length() / 4 + 1) + "}}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      inFlight.decrementAndGet();
      counted = false;
      exchange.sendResponseHeaders(200, response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
      lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.sendResponseHeaders(503, -1);
    } finally {
      if (counted) {
        inFlight.decrementAndGet();
      }
      exchange.close();
    }
  }

  /** The team named by the last marker in {@code text} (a prompt, or a raw request body), or "unknown". */
  static String answerFor(String text) {
    int at = text.lastIndexOf(InstantModel.MARKER);
    if (at < 0) {
      return "unknown";
    }
    int start = at + InstantModel.MARKER.length();
    int end = text.indexOf(')', start);
    return end < 0 ? "unknown" : text.substring(start, end);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
