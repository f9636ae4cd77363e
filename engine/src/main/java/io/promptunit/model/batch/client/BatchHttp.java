package io.promptunit.model.batch.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The HTTP side every batch client shares: authenticated requests to one base URL, JSON answers,
 * JSON-lines downloads streamed line by line, and failures that name the provider, what was tried
 * and the provider's message (redacted).
 */
final class BatchHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  @FunctionalInterface
  interface LineHandler {
    void accept(String line) throws IOException;
  }

  private final String provider;
  private final String baseUrl;
  private final Duration timeout;
  private final UnaryOperator<HttpRequest.Builder> authenticate;
  private final UnaryOperator<String> redact;
  private final HttpClient http;

  /**
   * @param provider the provider's name in messages, e.g. {@code OpenAI}
   * @param authenticate adds the provider's key (and version) headers to a request
   */
  BatchHttp(String provider, BatchClient.Endpoint endpoint, UnaryOperator<HttpRequest.Builder> authenticate) {
    this.provider = provider;
    this.baseUrl = endpoint.baseUrl().replaceAll("/+$", "");
    this.timeout = endpoint.timeout();
    this.authenticate = authenticate;
    this.redact = endpoint.redact();
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** {@code text} without API keys, as everything a client passes on must be. */
  String redact(String text) {
    return redact.apply(text);
  }

  String baseUrl() {
    return baseUrl;
  }

  /** A request to {@code path} under the base URL, or to an absolute URL the provider gave. */
  HttpRequest.Builder request(String pathOrUrl) {
    URI uri = URI.create(pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://") ? pathOrUrl
        : baseUrl + pathOrUrl);
    return authenticate.apply(HttpRequest.newBuilder(uri));
  }

  /**
   * Sends a small call (it must start answering within the timeout) and reads its JSON answer; a non-2xx status is a
   * failure.
   */
  JsonNode json(HttpRequest request, String what) throws IOException {
    HttpResponse<String> response = send(HttpRequest.newBuilder(request, (name, value) -> true)
        .timeout(timeout).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), what);
    if (response.statusCode() / 100 != 2) {
      throw failure(what, response.statusCode(), response.body());
    }
    return JSON.readTree(response.body());
  }

  /** Sends an upload of any size (no timeout on the transfer) and reads its JSON answer. */
  JsonNode upload(HttpRequest request, String what) throws IOException {
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), what);
    if (response.statusCode() / 100 != 2) {
      throw failure(what, response.statusCode(), response.body());
    }
    return JSON.readTree(response.body());
  }

  /** Sends a small call and returns the response itself (its headers matter); a non-2xx status is a failure. */
  HttpResponse<String> raw(HttpRequest request, String what) throws IOException {
    HttpResponse<String> response = send(HttpRequest.newBuilder(request, (name, value) -> true)
        .timeout(timeout).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), what);
    if (response.statusCode() / 100 != 2) {
      throw failure(what, response.statusCode(), response.body());
    }
    return response;
  }

  /** Streams a JSON-lines download to {@code handler}, a line at a time. */
  void lines(HttpRequest request, String what, LineHandler handler) throws IOException {
    HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream(), what);
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw failure(what, response.statusCode(), new String(body.readNBytes(4096), StandardCharsets.UTF_8));
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          handler.accept(line);
        }
      }
    }
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler,
      String what) throws IOException {
    try {
      return http.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while trying to " + what);
    } catch (IOException e) {
      throw new IOException("could not " + what + " at " + redact(baseUrl) + ": "
          + redact(String.valueOf(e.getMessage())), e);
    }
  }

  BatchApiException failure(String what, int status, String body) {
    String message = body;
    try {
      message = JSON.readTree(body).path("error").path("message").asText(body);
    } catch (IOException notJson) {
      // the body as it is
    }
    return new BatchApiException(provider + "'s batch API could not " + what + " (HTTP " + status + " from "
        + redact(baseUrl) + "): "
        + redact(abbreviate(message)), status);
  }

  static String abbreviate(String text) {
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() > 400 ? line.substring(0, 400) + "..." : line;
  }

  /**
   * A request file written as JSON straight to disk, a request at a time: each provider says how one
   * request is written ({@link #write}) and, if its format needs them, what comes first and last.
   */
  abstract static class JsonRequestFile implements BatchClient.RequestFile {
    protected final JsonGenerator generator;
    private final CountingStream out;
    private int count;

    JsonRequestFile(java.nio.file.Path file) throws IOException {
      this.out =
          new CountingStream(new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file), 1 << 16));
      this.generator = JSON.getFactory().createGenerator(out, com.fasterxml.jackson.core.JsonEncoding.UTF8);
    }

    /** Writes one request. */
    protected abstract void write(String customId, WireRequest request) throws IOException;

    /** Writes what closes the file's JSON, if anything. */
    protected void finish() throws IOException {}

    @Override
    public final void add(String customId, WireRequest request) throws IOException {
      write(customId, request);
      count++;
    }

    @Override
    public final int count() {
      return count;
    }

    @Override
    public final long bytes() {
      return out.count() + Math.max(0, generator.getOutputBuffered());
    }

    @Override
    public final void close() throws IOException {
      if (!generator.isClosed()) {
        finish();
        generator.close();
      }
      out.close();
    }
  }

  /** Counts what goes through it: the size of a request file while it is written. */
  static final class CountingStream extends java.io.FilterOutputStream {
    private long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    long count() {
      return count;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
