package io.promptunit.model.batch;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.promptunit.model.ModelResolver;
import io.promptunit.model.batch.client.WireRequest;
import java.time.Duration;
import org.apiguardian.api.API;

/**
 * Turns a {@link ChatRequest} into the HTTP body the provider's own langchain4j client sends for it:
 * a copy of the suite's model, built the same way, whose transport keeps the request instead of
 * sending it. A batched request is therefore byte for byte the interactive one (model parameters,
 * output cap, message encoding), for whatever the client does now or in a later langchain4j.
 */
@API(status = INTERNAL, since = "0.1")
public final class ProviderWire {

  private static final ThreadLocal<HttpRequest> CAPTURED = new ThreadLocal<>();

  private final String baseUrl;
  private final ChatModel model;

  /** The wire of {@code model} (e.g. {@code openai:gpt-4o-mini}), whose requests go to {@code baseUrl}. */
  public ProviderWire(ModelResolver resolver, String model, String baseUrl) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.model = resolver.rebuild(model, "promptunit.batch", new Capture());
  }

  /** What the provider's client would send for {@code request}. */
  public WireRequest encode(ChatRequest request) {
    CAPTURED.remove();
    try {
      model.chat(request);
    } catch (RuntimeException expected) {
      // the capturing transport stops every call after keeping its request
    }
    HttpRequest captured = CAPTURED.get();
    CAPTURED.remove();
    if (captured == null) {
      throw new IllegalStateException("the provider's client sent no request for "
          + request.messages().size() + " messages");
    }
    String url = captured.url();
    String path = url.startsWith(baseUrl) ? url.substring(baseUrl.length()) : java.net.URI.create(url).getPath();
    int query = path.indexOf('?');
    return new WireRequest(query < 0 ? path : path.substring(0, query), captured.body());
  }

  /** A transport that keeps the request it is given (headers, with the key, are dropped unread) and sends nothing. */
  private static final class Capture implements HttpClientBuilder, HttpClient {

    @Override
    public Duration connectTimeout() {
      return null;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
      return this;
    }

    @Override
    public Duration readTimeout() {
      return null;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
      return this;
    }

    @Override
    public HttpClient build() {
      return this;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
      CAPTURED.set(request);
      throw new CapturedException();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
      CAPTURED.set(request);
      throw new CapturedException();
    }
  }

  private static final class CapturedException extends RuntimeException {
    CapturedException() {
      super("kept for a batch", null, false, false);
    }
  }
}
