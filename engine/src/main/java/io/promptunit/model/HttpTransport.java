package io.promptunit.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP client PromptUnit gives langchain4j's providers. It behaves like langchain4j's JDK
 * client, except that an error response keeps its {@code Retry-After} header
 * ({@link RetryAfterHttpException}): langchain4j's own error types drop headers, and honouring
 * Retry-After is what a provider asks of a polite client; and that a body longer than
 * {@link AnswerBody#LIMIT} is not held but refused ({@link AnswerTooLongException}) with the usage it reports.
 *
 * <p>What each call costs is kept near the plain JDK client's: JSON bodies go out compact (langchain4j's
 * providers write them indented), plain {@code http://} speaks HTTP/1.1 at once (no {@code Upgrade: h2c} offer on
 * every request, which local servers decline anyway), and the client's own threads are a small pool rather than
 * one per call in flight (calls wait on their futures; the pool only delivers bytes).
 */
final class HttpTransport implements HttpClient {

  private final java.net.http.HttpClient client;
  private final Duration readTimeout;
  private final Duration connectTimeout;
  /** langchain4j's own client for streamed answers, built on first use (PromptUnit's calls do not stream). */
  private volatile HttpClient streaming;

  /**
   * The client's threads: they only move bytes between sockets and futures, so a few serve any concurrency. Eight,
   * not two: on a busy machine two threads among the callers' were scheduled too seldom and answers queued (2,000
   * calls at 64 at once took 2.3-2.7 s against 2.0-2.1 s with the JDK's default pool of a thread per exchange).
   */
  private static final int CLIENT_THREADS = 8;

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * The JDK clients, one per model and connect timeout for the whole JVM: a test JVM that runs several launches (an
   * IDE, a benchmark) reuses a model's client, its threads and its connections instead of leaving them behind for
   * each launch (the JDK's client of Java 17 cannot be closed; its idle connections outlive it until collected).
   * Not one client for all models: over HTTP/2 a client speaks to a host through one connection, and Java 17's
   * client fails the requests beyond the server's limit of concurrent streams at once instead of queueing them, so
   * two models of one provider (a matrix, a judge, the optimizer) keep a connection each, as they always had.
   */
  private static final Map<ClientKey, java.net.http.HttpClient> CLIENTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record ClientKey(String model, Optional<Duration> connectTimeout) {}

  private HttpTransport(Builder builder) {
    this.client = CLIENTS.computeIfAbsent(new ClientKey(builder.model, Optional.ofNullable(builder.connectTimeout)),
        key -> newClient(key.connectTimeout()));
    this.readTimeout = builder.readTimeout;
    this.connectTimeout = builder.connectTimeout;
  }

  private static java.net.http.HttpClient newClient(Optional<Duration> connectTimeout) {
    java.util.concurrent.ThreadPoolExecutor threads = new java.util.concurrent.ThreadPoolExecutor(CLIENT_THREADS,
        CLIENT_THREADS, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
        DaemonThreads.named("promptunit-http-"));
    threads.allowCoreThreadTimeOut(true);
    java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder().executor(threads);
    connectTimeout.ifPresent(jdk::connectTimeout);
    return jdk.build();
  }

  /** The JDK client this transport speaks through. */
  java.net.http.HttpClient jdkClient() {
    return client;
  }

  /** A builder of the transport of {@code model} (e.g. {@code openai:gpt-4o-mini}). */
  static Builder builder(String model) {
    return new Builder(model);
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) throws HttpException {
    java.net.URI uri = java.net.URI.create(request.url());
    java.net.http.HttpRequest.Builder jdk = java.net.http.HttpRequest.newBuilder(uri);
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      // HTTP/2 over plain HTTP needs an upgrade round that local servers decline: HTTP/1.1 at once
      jdk.version(java.net.http.HttpClient.Version.HTTP_1_1);
    }
    request.headers().forEach((name, values) -> values.forEach(value -> jdk.header(name, value)));
    if (readTimeout != null) {
      jdk.timeout(readTimeout);
    }
    String body = compact(request.body());
    jdk.method(request.method().name(), body == null
        ? java.net.http.HttpRequest.BodyPublishers.noBody()
        : java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    HttpResponse<AnswerBody> response = send(jdk.build());
    if (response.body().tooLong()) {
      // not parsed, not retried: the caller counts the tokens the server says it spent
      throw new AnswerTooLongException(response.body().size(), response.body().edges());
    }
    String text = response.body().text();
    if (response.statusCode() < 200 || response.statusCode() >= 300) {
      Duration retryAfter = response.headers().firstValue("Retry-After")
          .flatMap(HttpTransport::parseRetryAfter).orElse(null);
      throw new RetryAfterHttpException(response.statusCode(), text, retryAfter);
    }
    Map<String, List<String>> headers = response.headers().map();
    return SuccessfulHttpResponse.builder().statusCode(response.statusCode()).headers(headers).body(text).build();
  }

  /**
   * The whole response, headers and body, within the read timeout: the request timeout covers only the headers,
   * and a body that stalls after them needs a deadline of its own ({@link AnswerBody#within}).
   *
   * <p>{@code send}, not {@code sendAsync}: the JDK hands every {@code sendAsync} response on to
   * {@code CompletableFuture}'s default executor, which on a machine of two cores starts a new thread for each
   * (2,000 calls started 2,000 threads); {@code send} completes the call on the threads that read it.
   */
  private HttpResponse<AnswerBody> send(java.net.http.HttpRequest request) {
    long start = System.nanoTime();
    try {
      return client.send(request, info -> readTimeout == null ? new AnswerBody()
          : AnswerBody.within(readTimeout.minusNanos(System.nanoTime() - start), this::stalled));
    } catch (HttpTimeoutException e) {
      throw new dev.langchain4j.exception.TimeoutException(e);
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  private HttpTimeoutException stalled() {
    return new HttpTimeoutException(
        "no complete response within " + readTimeout.toSeconds() + " s (promptunit.timeout-seconds)");
  }

  /**
   * {@code body} without the whitespace between JSON tokens, every value exactly as written; a body that is not
   * JSON is sent as it is.
   */
  static String compact(String body) {
    if (body == null || body.indexOf('\n') < 0 || !body.startsWith("{")) {
      return body;
    }
    java.io.StringWriter out = new java.io.StringWriter(body.length());
    try (JsonParser parser = JSON.createParser(body); JsonGenerator generator = JSON.createGenerator(out)) {
      while (parser.nextToken() != null) {
        generator.copyCurrentEventExact(parser);
      }
    } catch (IOException notJson) {
      return body;
    }
    return out.toString();
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    HttpClient client = streaming;
    if (client == null) {
      synchronized (this) {
        if (streaming == null) {
          streaming = JdkHttpClient.builder().connectTimeout(connectTimeout).readTimeout(readTimeout).build();
        }
        client = streaming;
      }
    }
    client.execute(request, parser, listener);
  }

  /** Retry-After is either delta-seconds or an HTTP date. */
  static Optional<Duration> parseRetryAfter(String value) {
    String text = value.strip();
    try {
      return Optional.of(Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(text) * 1000))));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration until = Duration.between(ZonedDateTime.now(when.getZone()), when);
        return Optional.of(until.isNegative() ? Duration.ZERO : until);
      } catch (RuntimeException notADate) {
        return Optional.empty();
      }
    }
  }

  static final class Builder implements HttpClientBuilder {
    private final String model;
    private Duration connectTimeout;
    private Duration readTimeout;

    private Builder(String model) {
      this.model = model;
    }

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    @Override
    public HttpClient build() {
      return new HttpTransport(this);
    }
  }
}
