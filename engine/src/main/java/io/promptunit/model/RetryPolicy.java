package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.promptunit.config.Keys;
import io.promptunit.config.Configuration;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one place where PromptUnit calls a model: measures latency and token usage, retries
 * transient failures (rate limits, server errors, timeouts) with exponential backoff and jitter,
 * and turns what is left into a {@link ModelCallException} that names the problem.
 */
@API(status = INTERNAL, since = "0.1")
public final class RetryPolicy {

  private final int maxRetries;
  private final long backoffMillis;
  private final long maxRetryWaitMillis;
  private final Function<String, RateLimiter> limiterFactory;
  private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
  private final Function<String, java.util.Optional<String>> endpoints;
  private final Map<String, AtomicInteger> connectFailures = new ConcurrentHashMap<>();

  public RetryPolicy(int maxRetries, long backoffMillis) {
    this(maxRetries, backoffMillis, Keys.DEFAULT_MAX_RETRY_WAIT_SECONDS * 1000L, model -> RateLimiter.perMinute(0, 0));
  }

  public RetryPolicy(int maxRetries, long backoffMillis, long maxRetryWaitMillis,
      Function<String, RateLimiter> limiterFactory) {
    this(maxRetries, backoffMillis, maxRetryWaitMillis, limiterFactory, model -> java.util.Optional.empty());
  }

  /**
   * @param limiterFactory the rate limiter of each model name (created once per model)
   * @param endpoints where calls to each model name go, for messages about failed connections
   */
  public RetryPolicy(int maxRetries, long backoffMillis, long maxRetryWaitMillis,
      Function<String, RateLimiter> limiterFactory,
      Function<String, java.util.Optional<String>> endpoints) {
    this.endpoints = endpoints;
    this.maxRetries = maxRetries;
    this.backoffMillis = backoffMillis;
    this.maxRetryWaitMillis = maxRetryWaitMillis;
    this.limiterFactory = limiterFactory;
  }

  public static RetryPolicy from(Configuration settings) {
    int requests = settings.requestsPerMinute();
    long tokens = settings.tokensPerMinute();
    return new RetryPolicy(
        settings.maxRetries(),
        settings.retryBackoffMillis(),
        settings.maxRetryWaitSeconds() * 1000L,
        model -> RateLimiter.perMinute(requests, tokens),
        model -> ModelResolver.endpoint(settings, model));
  }

  /** The rate limiter every call to {@code modelName} goes through. */
  public RateLimiter limiter(String modelName) {
    return limiters.computeIfAbsent(modelName, limiterFactory);
  }

  /**
   * Sends {@code request} to {@code model}.
   *
   * @param modelName how to name the model in messages
   * @throws ModelCallException when no answer could be had after retries, or the provider withheld it
   */
  public Reply send(ChatModel model, String modelName, ChatRequest request) {
    // counted only under a tokens-per-minute limit: an encoding is costly to load and to run
    long estimatedTokens = limiter(modelName).limitsTokens() ? estimatedTokens(modelName, request) : 0;
    int attempt = 0;
    while (true) {
      attempt++;
      refuseIfUnreachable(modelName, attempt);
      acquire(modelName, estimatedTokens, attempt);
      long start = System.nanoTime();
      ChatResponse response;
      try {
        response = model.chat(request);
      } catch (BudgetExhaustedException e) {
        throw e;
      } catch (RuntimeException e) {
        ModelCallException.Kind kind = classify(e);
        connectFailures(modelName).updateAndGet(n -> couldNotConnect(e) ? n + 1 : 0);
        if (!isTransient(kind) || unknownHost(e) || attempt > maxRetries) {
          throw failure(kind, modelName, attempt, e);
        }
        sleep(Math.max(backoff(attempt), retryAfter(e)
            .map(d -> Math.min(d.toMillis(), maxRetryWaitMillis)).orElse(0L)));
        continue;
      }
      connectFailures(modelName).set(0);
      return reply(modelName, response, attempt, (System.nanoTime() - start) / 1_000_000);
    }
  }

  private static long estimatedTokens(String modelName, ChatRequest request) {
    Tokens tokens = Tokens.of(modelName);
    // a byte bound is about four times the tokens of English text: a rate limit wants the likely figure
    return tokens.bound(request.messages()) / (tokens.exact() ? 1 : 4)
        + (request.parameters().maxOutputTokens() == null ? 256 : request.parameters().maxOutputTokens());
  }

  private void acquire(String modelName, long estimatedTokens, int attempt) {
    try {
      limiter(modelName).acquire(estimatedTokens);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelCallException(ModelCallException.Kind.OTHER,
          "interrupted while waiting for the rate limit of " + modelName, attempt, e);
    }
  }

  /** The answer of {@code response}, unless the provider withheld it (a content filter, a refusal). */
  private static Reply reply(String modelName, ChatResponse response, int attempt, long latency) {
    Optional<String> withheld = Providers.withheld(response);
    if (withheld.isPresent()) {
      throw new ModelCallException(ModelCallException.Kind.CONTENT_FILTER, "Model " + modelName + " "
          + ModelCallException.Kind.CONTENT_FILTER.phrase() + ": " + withheld.get()
          + "; a withheld answer is an error of its example, never an empty output", attempt, null);
    }
    String text = response.aiMessage() == null || response.aiMessage().text() == null ? ""
        : response.aiMessage().text();
    TokenUsage usage = response.tokenUsage();
    long in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
    long out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
    // an answer may echo a key (a proxy reflecting headers, a model quoting its prompt): it must not
    // reach a cassette, a report or the console
    return new Reply(Secrets.redact(text), in, out, latency, attempt, false,
        response.finishReason() == dev.langchain4j.model.output.FinishReason.LENGTH);
  }

  /**
   * Connection attempts in a row that found no server, per endpoint (or model, where the endpoint is not known):
   * once one call's worth of attempts ({@code maxRetries + 1}) has failed so, the rest of the run's calls there
   * fail at once instead of each spending its own.
   */
  private AtomicInteger connectFailures(String modelName) {
    return connectFailures.computeIfAbsent(endpoints.apply(modelName).orElse(modelName), k -> new AtomicInteger());
  }

  private void refuseIfUnreachable(String modelName, int attempt) {
    if (connectFailures(modelName).get() > maxRetries) {
      throw new ModelCallException(ModelCallException.Kind.CONNECTION, "Model " + modelName + " "
          + ModelCallException.Kind.CONNECTION.phrase() + ": " + (attempt == 1 ? "not tried" : "not tried again")
          + ", as " + (maxRetries + 1) + " attempts in a row could not connect"
          + hint(ModelCallException.Kind.CONNECTION, modelName, null),
          attempt - 1, null);
    }
  }

  private ModelCallException failure(ModelCallException.Kind kind, String modelName, int attempt, RuntimeException e) {
    String retried = attempt > 1 ? " after " + attempt + " attempts" : "";
    return new ModelCallException(kind, "Model " + modelName + " " + kind.phrase() + retried + ": "
        + ConsoleText.escape(Secrets.redact(describe(e, modelName))) + hint(kind, modelName, e), attempt,
        Secrets.redactedCopy(e));
  }

  private long backoff(int attempt) {
    long ceiling = backoffMillis << Math.min(attempt - 1, 16);
    // "Equal jitter": half fixed, half random, so that concurrent callers spread out but still wait.
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  /** What the provider asked us to wait, when it said (a Retry-After header). */
  static Optional<Duration> retryAfter(Throwable e) {
    return cause(e, RetryAfterHttpException.class).flatMap(RetryAfterHttpException::retryAfter);
  }

  private static boolean isTransient(ModelCallException.Kind kind) {
    return kind == ModelCallException.Kind.RATE_LIMIT
        || kind == ModelCallException.Kind.SERVER
        || kind == ModelCallException.Kind.TIMEOUT
        || kind == ModelCallException.Kind.CONNECTION
        || kind == ModelCallException.Kind.BAD_RESPONSE;
  }

  static ModelCallException.Kind classify(Throwable e) {
    if (AnswerTooLongException.in(e).isPresent()) {
      return ModelCallException.Kind.TOO_LONG;
    }
    if (notServed(e)) {
      // 501, 505: a server that does not implement this API says so every time
      return ModelCallException.Kind.INVALID_REQUEST;
    }
    if (e instanceof AuthenticationException) {
      return ModelCallException.Kind.AUTHENTICATION;
    }
    if (e instanceof RateLimitException) {
      return ModelCallException.Kind.RATE_LIMIT;
    }
    if (e instanceof TimeoutException || hasCause(e, HttpTimeoutException.class)
        || hasCause(e, java.net.SocketTimeoutException.class)) {
      return ModelCallException.Kind.TIMEOUT;
    }
    if (e instanceof ContentFilteredException) {
      return ModelCallException.Kind.CONTENT_FILTER;
    }
    if (e instanceof ModelNotFoundException) {
      return ModelCallException.Kind.MODEL_NOT_FOUND;
    }
    if (e instanceof InternalServerException) {
      return ModelCallException.Kind.SERVER;
    }
    if (e instanceof InvalidRequestException) {
      return ModelCallException.Kind.INVALID_REQUEST;
    }
    if (e instanceof HttpException http) {
      return classify(http.statusCode());
    }
    return classifyByCause(e);
  }

  /** A failure without a status of its own: what its causes say (a body that is not JSON, a dropped connection). */
  private static ModelCallException.Kind classifyByCause(Throwable e) {
    if (hasCause(e, com.fasterxml.jackson.core.JsonProcessingException.class)) {
      // a body that is not JSON (a proxy's error page, a cut-off answer): the server answered, so it is running
      return ModelCallException.Kind.BAD_RESPONSE;
    }
    if (unknownHost(e) || hasCause(e, java.io.IOException.class)) {
      // refused, reset or dropped connections: worth another try (not an unknown host: see send)
      return ModelCallException.Kind.CONNECTION;
    }
    if (e instanceof RetriableException) {
      return ModelCallException.Kind.SERVER;
    }
    return ModelCallException.Kind.OTHER;
  }

  private static ModelCallException.Kind classify(int httpStatus) {
    if (httpStatus == 401 || httpStatus == 403) {
      return ModelCallException.Kind.AUTHENTICATION;
    }
    if (httpStatus == 429) {
      return ModelCallException.Kind.RATE_LIMIT;
    }
    if (httpStatus == 408) {
      return ModelCallException.Kind.TIMEOUT;
    }
    if (httpStatus >= 500) {
      return ModelCallException.Kind.SERVER;
    }
    return ModelCallException.Kind.INVALID_REQUEST;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    return cause(e, type).isPresent();
  }

  /** The first of {@code e} and its causes that is a {@code type}. */
  private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  /** Whether the call found no server: refused, unreachable, or a host name that does not resolve. */
  private static boolean couldNotConnect(Throwable e) {
    return unknownHost(e) || hasCause(e, java.net.ConnectException.class);
  }

  private static boolean unknownHost(Throwable e) {
    return e instanceof UnresolvedModelServerException || hasCause(e, UnresolvedAddressException.class)
        || hasCause(e, java.net.UnknownHostException.class);
  }

  /** Whether the server answered that it does not implement the request (HTTP 501 or 505): asking again is no use. */
  private static boolean notServed(Throwable e) {
    return httpStatus(e) == 501 || httpStatus(e) == 505;
  }

  /** The HTTP status the server answered with, 0 when the failure has none. */
  private static int httpStatus(Throwable e) {
    return cause(e, HttpException.class).map(HttpException::statusCode).orElse(0);
  }

  private String describe(Throwable e, String modelName) {
    Optional<AnswerTooLongException> tooLong = AnswerTooLongException.in(e);
    if (tooLong.isPresent()) {
      AnswerTooLongException answer = tooLong.get();
      return answer.bytes() + " bytes, where at most " + (AnswerBody.LIMIT >> 20) + " MB are read; not retried, and"
          + " counted: " + answer.outputTokens().map(n -> n + " output tokens, as the server reported")
              .orElse("about " + answer.bytes() / 4 + " output tokens, estimated from its size");
    }
    if (unknownHost(e)) {
      return "unknown host" + endpoints.apply(modelName).map(RetryPolicy::host).orElse("");
    }
    String message = describe(e);
    return notServed(e) ? "HTTP " + httpStatus(e) + ": " + message : message;
  }

  private static String host(String url) {
    try {
      String host = new java.net.URI(url).getHost();
      return host == null ? "" : " " + host;
    } catch (java.net.URISyntaxException e) {
      return "";
    }
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while ((root.getMessage() == null || root.getMessage().isBlank()) && root.getCause() != null) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage()
        : root instanceof java.net.ConnectException ? "connection refused" : root.getClass().getSimpleName();
    return message.length() > 500 ? message.substring(0, 500) + "..." : message;
  }

  /** What to check, naming the URL tried and the setting that changes it where the model's endpoint is known. */
  private String hint(ModelCallException.Kind kind, String modelName, Throwable e) {
    Optional<String> url = endpoints.apply(modelName).map(RetryPolicy::withoutCredentials);
    Optional<Provider> provider = Providers.of(modelName);
    String key = provider.map(Provider::baseUrlSetting).orElse("promptunit.openai.base-url");
    if (url.isPresent() && kind == ModelCallException.Kind.CONNECTION) {
      return " (tried " + url.get() + "; " + (e != null && unknownHost(e) ? "is its host name right?"
          : "is that server running?") + " Set " + key + " to change it)";
    }
    if (url.isPresent() && kind == ModelCallException.Kind.MODEL_NOT_FOUND && provider.isPresent()
        && !provider.get().isOwnApi(url.get()) && !url.get().replaceAll("/+$", "").endsWith("/v1")) {
      // a custom server answering 404 is more often a base URL without its /v1 than a wrong model name
      return " (from " + url.get() + ": check the model name in promptunit.model, and whether " + key
          + " needs its API path, e.g. " + url.get().replaceAll("/+$", "") + "/v1)";
    }
    if (url.isPresent() && kind == ModelCallException.Kind.BAD_RESPONSE) {
      return " (from " + url.get() + "; is " + key
          + " the API's base URL, e.g. http://localhost:11434/v1, and not a web page or a proxy?)";
    }
    if (e != null && notServed(e)) {
      return url.map(u -> " (from " + u + ": that server does not implement this API; is " + key
          + " the base URL of an LLM API, e.g. http://localhost:11434/v1?)")
          .orElse(" (the server does not implement this API)");
    }
    if (kind == ModelCallException.Kind.AUTHENTICATION && provider.isPresent() && url.isPresent()
        && !provider.get().isOwnApi(url.get())) {
      return " (a server at " + url.get() + " gets no " + provider.get().keyVariable() + "; a key it needs is the one"
          + " in the variable named by " + provider.get().apiKeyEnvSetting() + ")";
    }
    if (kind == ModelCallException.Kind.AUTHENTICATION) {
      return " (check the API key in " + provider.map(Provider::keyVariable)
          .orElse(String.join(" / ", Providers.ALL.stream().map(Provider::keyVariable).toList())) + ")";
    }
    return hint(kind);
  }

  /** A URL as it may be shown: user and password removed, anything key-shaped redacted. */
  static String withoutCredentials(String url) {
    return Secrets.redact(url.replaceFirst("//[^/@]*@", "//"));
  }

  private static String hint(ModelCallException.Kind kind) {
    switch (kind) {
      case MODEL_NOT_FOUND:
        return " (check the model name in promptunit.model)";
      case TIMEOUT:
        return " (raise promptunit.timeout-seconds if the model is slow)";
      case RATE_LIMIT:
        return " (lower promptunit.concurrency or raise promptunit.max-retries)";
      case CONNECTION:
        return " (is the server at promptunit.openai.base-url running?)";
      case BAD_RESPONSE:
        return " (is promptunit.openai.base-url the API's base URL, e.g. http://localhost:11434/v1, "
            + "and not a web page or a proxy?)";
      case TOO_LONG:
        return " (does the server honour the output cap? Set promptunit.max-output-tokens)";
      default:
        return "";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelCallException(ModelCallException.Kind.OTHER, "interrupted while waiting to retry", 0, e);
    }
  }
}
