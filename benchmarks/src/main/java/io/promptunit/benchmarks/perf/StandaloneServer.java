package io.promptunit.benchmarks.perf;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@link BenchServer} in a process of its own, for benchmarks whose clients are other processes ({@code mvn test},
 * promptfoo): its CPU is not theirs. Arguments: latency in milliseconds, handler threads, and a file to which the
 * chat base URL and the control URL are written once the server listens. The control server answers
 * {@code GET /stats} with {@code requests maxInFlight activeMillis} and {@code GET /reset} by zeroing them.
 */
final class StandaloneServer {

  private StandaloneServer() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    long latency = Long.parseLong(args[0]);
    int threads = Integer.parseInt(args[1]);
    Path urls = Path.of(args[2]);
    BenchServer bench = new BenchServer(latency, threads);
    HttpServer control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    control.createContext("/stats", exchange -> answer(exchange, bench.requests() + " " + bench.maxInFlight()
        + " " + String.format(java.util.Locale.ROOT, "%.1f", bench.activeNanos() / 1e6)));
    control.createContext("/reset", exchange -> {
      bench.reset();
      answer(exchange, "ok");
    });
    control.start();
    Files.writeString(urls, bench.baseUrl() + "\nhttp://127.0.0.1:" + control.getAddress().getPort() + "\n");
    new CountDownLatch(1).await();
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
