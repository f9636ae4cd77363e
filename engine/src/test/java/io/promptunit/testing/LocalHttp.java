package io.promptunit.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A provider-shaped fake on 127.0.0.1 (a free port): the plumbing the provider tests share. */
public final class LocalHttp {

  /** Handles one exchange; a failure is printed (the JDK server would swallow it) and the connection dropped. */
  @FunctionalInterface
  public interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private LocalHttp() {}

  /** Starts a server answering every path with {@code handler}. */
  public static HttpServer start(Handler handler) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        try {
          handler.handle(exchange);
        } catch (IOException | RuntimeException | AssertionError e) {
          e.printStackTrace();
          throw e;
        }
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>} */
  public static String root(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A JSON (or JSON-lines) answer. */
  public static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
