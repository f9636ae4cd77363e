package io.promptunit.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scriptable, in-process stand-in for the OpenAI chat-completions API, for tests.
 *
 * <p>It listens on {@code 127.0.0.1} on an ephemeral port and answers {@code POST /v1/chat/completions}
 * in the response format real OpenAI clients (for instance langchain4j's {@code OpenAiChatModel}) parse.
 * Point a client at {@link #baseUrl()}. What it answers is decided per request: first by the one-shot
 * replies queued with {@link #enqueue}, then by the current {@link Responder} (by default, "ok").
 *
 * <pre>{@code
 * try (var server = OpenAiCompatibleServer.start(req -> Reply.text("Paris"))) {
 *     server.enqueue(Reply.rateLimited(1));            // first call gets a 429, later ones "Paris"
 *     var model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
 *             .modelName("gpt-4o-mini").maxRetries(1).build();
 *     ...
 * }
 * }</pre>
 *
 * <p>All counters and recordings are thread-safe; the server runs handlers on a cached thread pool so it
 * is never the bottleneck of a concurrency test.
 */
public final class OpenAiCompatibleServer implements AutoCloseable {

    /** The only path the server answers; anything else gets an OpenAI-style 404. */
    public static final String CHAT_COMPLETIONS_PATH = "/v1/chat/completions";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_MODEL = "gpt-4o-mini";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Queue<Reply> queued = new ConcurrentLinkedQueue<>();
    private volatile Responder responder;

    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger successCount = new AtomicInteger();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<String> authorizationHeaders = new CopyOnWriteArrayList<>();
    private final List<String> requestBodies = new CopyOnWriteArrayList<>();
    private final List<String> upgradeHeaders = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private OpenAiCompatibleServer(Responder responder) throws IOException {
        this.responder = Objects.requireNonNull(responder, "responder");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        this.executor = Executors.newCachedThreadPool(daemonThreads());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server whose responder answers every request with "ok". */
    public static OpenAiCompatibleServer start() {
        return start(request -> Reply.text("ok"));
    }

    /** Starts a server that answers with {@code responder} whenever no queued reply is pending. */
    public static OpenAiCompatibleServer start(Responder responder) {
        try {
            return new OpenAiCompatibleServer(responder);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the OpenAI-compatible test server", e);
        }
    }

    /** The base URL to hand to a client, e.g. {@code http://127.0.0.1:54321/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** The port the server is bound to. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Replaces the responder used when no queued reply is pending. */
    public OpenAiCompatibleServer respondWith(Responder responder) {
        this.responder = Objects.requireNonNull(responder, "responder");
        return this;
    }

    /** Queues one-shot replies, used in order (one per request) before the responder is consulted. */
    public OpenAiCompatibleServer enqueue(Reply... replies) {
        for (Reply reply : replies) {
            queued.add(Objects.requireNonNull(reply, "reply"));
        }
        return this;
    }

    /** Drops queued replies and zeroes every counter and recording; the responder is kept. */
    public void reset() {
        queued.clear();
        requestCount.set(0);
        successCount.set(0);
        promptTokens.set(0);
        completionTokens.set(0);
        maxInFlight.set(inFlight.get());
        authorizationHeaders.clear();
        upgradeHeaders.clear();
        requestBodies.clear();
        requests.clear();
    }

    /** Requests received on any path, including ones answered with an error. */
    public int requestCount() {
        return requestCount.get();
    }

    /**
     * Chat completions answered with a 2xx reply. A reply counts as soon as the server starts sending it,
     * so it is visible to a client that has just received it (and also counts if the client gave up waiting).
     */
    public int successCount() {
        return successCount.get();
    }

    /** Sum of {@code usage.prompt_tokens} over the successful replies. */
    public long promptTokens() {
        return promptTokens.get();
    }

    /** Sum of {@code usage.completion_tokens} over the successful replies. */
    public long completionTokens() {
        return completionTokens.get();
    }

    /** Requests currently received but not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The highest number of requests that were received but not yet answered at the same moment. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** The {@code Authorization} header of every request received, in arrival order ({@code null} when absent). */
    public List<String> authorizationHeaders() {
        return Collections.unmodifiableList(new ArrayList<>(authorizationHeaders));
    }

    /** The {@code Upgrade} header of every request received ("null" where there was none), in arrival order. */
    public List<String> upgradeHeaders() {
        return List.copyOf(upgradeHeaders);
    }

    /** The raw body of every request received, in arrival order. */
    public List<String> requestBodies() {
        return List.copyOf(requestBodies);
    }

    /** The parsed view of every well-formed chat-completions request received, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Stops listening at once; handlers still sleeping on a delay are interrupted. */
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

    private void handle(HttpExchange exchange) throws IOException {
        requestCount.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        boolean answered = false;
        try (exchange) {
            authorizationHeaders.add(exchange.getRequestHeaders().getFirst("Authorization"));
            upgradeHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Upgrade")));
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            requestBodies.add(body);

            Reply reply = replyTo(exchange, body);
            if (!reply.delay.isZero()) {
                Thread.sleep(reply.delay.toMillis());
            }
            byte[] payload = render(reply);
            // Count before sending, so a client that has just received the reply sees consistent numbers.
            inFlight.decrementAndGet();
            answered = true;
            if (reply.isSuccess()) {
                successCount.incrementAndGet();
                promptTokens.addAndGet(reply.promptTokens);
                completionTokens.addAndGet(reply.completionTokens);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            reply.headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(reply.status, payload.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (!reply.bodyStall.isZero()) {
                    out.write(payload, 0, 1);
                    out.flush();
                    Thread.sleep(reply.bodyStall.toMillis());
                    out.write(payload, 1, payload.length - 1);
                } else {
                    out.write(payload);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: drop the exchange
        } catch (IOException e) {
            // The client went away (e.g. it timed out); nothing to answer.
        } finally {
            if (!answered) {
                inFlight.decrementAndGet();
            }
        }
    }

    /** Decides the reply and, for successful ones, fills in the content-dependent fields. */
    private Reply replyTo(HttpExchange exchange, String body) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (!CHAT_COMPLETIONS_PATH.equals(path)) {
            return Reply.error(404, Reply.errorJson(404, "Invalid URL (" + method + " " + path + ")", null));
        }
        if (!"POST".equalsIgnoreCase(method)) {
            return Reply.error(405, "Method " + method + " not allowed on " + path);
        }
        Request request;
        try {
            request = Request.parse(body);
        } catch (JsonProcessingException e) {
            return Reply.error(400, "We could not parse the JSON body of your request: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            return Reply.error(400, "We could not parse the JSON body of your request: " + e.getMessage());
        }
        requests.add(request);

        Reply reply = queued.poll();
        if (reply == null) {
            try {
                reply = Objects.requireNonNull(responder.respond(request), "the responder returned null");
            } catch (RuntimeException e) {
                reply = Reply.error(500, "The test responder failed: " + e);
            }
        }
        return reply.isSuccess() ? reply.completeFor(request) : reply;
    }

    private byte[] render(Reply reply) throws JsonProcessingException {
        if (reply.rawBody != null) {
            return reply.rawBody.getBytes(StandardCharsets.UTF_8);
        }
        if (!reply.isSuccess()) {
            return reply.errorBody.getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-stub" + ids.incrementAndGet());
        root.put("object", "chat.completion");
        root.put("created", Instant.now().getEpochSecond());
        root.put("model", reply.model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", reply.content);
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", reply.promptTokens);
        usage.put("completion_tokens", reply.completionTokens);
        usage.put("total_tokens", reply.promptTokens + reply.completionTokens);
        return JSON.writeValueAsBytes(root);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "openai-test-server-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static int words(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        return text.strip().split("\\s+").length;
    }

    /** Decides the reply to a chat-completions request. Runs on a server thread; may block. */
    @FunctionalInterface
    public interface Responder {
        Reply respond(Request request);
    }

    /** One chat message of a request; {@code content} is the concatenated text parts (empty if none). */
    public record Message(String role, String content) {
    }

    /**
     * A parsed chat-completions request.
     *
     * @param model       the requested model name, or {@code null}
     * @param messages    the messages, in order
     * @param temperature the requested temperature, or {@code null} when not sent
     * @param body        the whole request body
     */
    public record Request(String model, List<Message> messages, Double temperature, JsonNode body) {

        public Request {
            messages = List.copyOf(messages);
        }

        /** The content of the last message with role {@code user}, or {@code ""}. */
        public String lastUserMessage() {
            for (int i = messages.size() - 1; i >= 0; i--) {
                if ("user".equals(messages.get(i).role())) {
                    return messages.get(i).content();
                }
            }
            return "";
        }

        static Request parse(String body) throws JsonProcessingException {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("the body is not a JSON object");
            }
            List<Message> messages = new ArrayList<>();
            for (JsonNode message : root.path("messages")) {
                messages.add(new Message(message.path("role").asText(""), text(message.get("content"))));
            }
            JsonNode temperature = root.get("temperature");
            return new Request(
                    root.hasNonNull("model") ? root.get("model").asText() : null,
                    messages,
                    temperature != null && temperature.isNumber() ? temperature.asDouble() : null,
                    root);
        }

        /** Content is either a string or an array of parts such as {@code {"type":"text","text":"..."}}. */
        private static String text(JsonNode content) {
            if (content == null || content.isNull()) {
                return "";
            }
            if (content.isTextual()) {
                return content.asText();
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.hasNonNull("text")) {
                    text.append(text.length() == 0 ? "" : "\n").append(part.get("text").asText());
                }
            }
            return text.toString();
        }
    }

    /**
     * What the server answers to one request: a successful completion ({@link #text}) or an error
     * ({@link #error} and helpers). Immutable; the {@code with...}/{@link #after} methods return copies.
     */
    public static final class Reply {

        private final int status;
        private final String content;       // success only
        private final Integer promptTokens; // success only; null = derive from the request
        private final Integer completionTokens;
        private final String model;         // success only; null = echo the request's model
        private final String errorBody;     // error only
        private final Map<String, String> headers;
        private final Duration delay;
        private final Duration bodyStall;   // headers sent, then the body withheld this long
        private final String rawBody;       // sent verbatim with status 200 instead of a completion

        private Reply(int status, String content, Integer promptTokens, Integer completionTokens, String model,
                      String errorBody, Map<String, String> headers, Duration delay) {
            this(status, content, promptTokens, completionTokens, model, errorBody, headers, delay, Duration.ZERO, null);
        }

        private Reply(int status, String content, Integer promptTokens, Integer completionTokens, String model,
                      String errorBody, Map<String, String> headers, Duration delay, Duration bodyStall, String rawBody) {
            this.bodyStall = bodyStall;
            this.rawBody = rawBody;
            this.status = status;
            this.content = content;
            this.promptTokens = promptTokens;
            this.completionTokens = completionTokens;
            this.model = model;
            this.errorBody = errorBody;
            this.headers = Collections.unmodifiableMap(headers);
            this.delay = delay;
        }

        /**
         * A successful completion with this content. Token usage defaults to word counts: prompt tokens are the
         * whitespace-separated words of all request messages, completion tokens those of {@code content}.
         */
        public static Reply text(String content) {
            return new Reply(200, Objects.requireNonNull(content, "content"), null, null, null, null,
                    new LinkedHashMap<>(), Duration.ZERO);
        }

        /** A successful completion reporting exactly these token counts. */
        public static Reply text(String content, int promptTokens, int completionTokens) {
            return text(content).withUsage(promptTokens, completionTokens);
        }

        /**
         * An error reply. A body that is a JSON object is sent verbatim; any other text becomes the message of an
         * OpenAI-style body {@code {"error":{"message":...,"type":...,"param":null,"code":...}}}, with the type and
         * code OpenAI uses for that status.
         */
        public static Reply error(int status, String jsonOrMessage) {
            if (status >= 200 && status < 300) {
                throw new IllegalArgumentException("an error reply needs a non-2xx status, got " + status);
            }
            Objects.requireNonNull(jsonOrMessage, "jsonOrMessage");
            String body = looksLikeJsonObject(jsonOrMessage) ? jsonOrMessage
                    : errorJson(status, jsonOrMessage, defaultCode(status));
            return new Reply(status, null, null, null, null, body, new LinkedHashMap<>(), Duration.ZERO);
        }

        /** 401 with OpenAI's wording for a wrong key (a made-up masked key; the key sent is never echoed). */
        public static Reply unauthorized() {
            return error(401, "Incorrect API key provided: sk-fake...abcd. You can find your API key at "
                    + "https://platform.openai.com/account/api-keys.");
        }

        /** 429 "rate limit reached" with a {@code Retry-After} header. */
        public static Reply rateLimited(int retryAfterSeconds) {
            return error(429, "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, "
                    + "Requested 1. Please try again in " + retryAfterSeconds + "s.")
                    .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
        }

        /** 500 with OpenAI's generic server-error wording. */
        public static Reply serverError() {
            return error(500, "The server had an error while processing your request. Sorry about that!");
        }

        /** A 200 response whose body is {@code body} verbatim (e.g. an HTML page or a cut-off answer), not a completion. */
        public static Reply raw(String body) {
            return new Reply(200, "", 0, 0, null, null, new LinkedHashMap<>(), Duration.ZERO, Duration.ZERO, body);
        }

        /** A copy that sends its headers at once, then withholds the body for {@code stall}: a stalled stream. */
        public Reply stallingBodyFor(Duration stall) {
            return new Reply(status, content, promptTokens, completionTokens, model, errorBody, headers, delay, stall, rawBody);
        }

        /** A copy that also sends this response header. */
        public Reply withHeader(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(headers);
            copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return new Reply(status, content, promptTokens, completionTokens, model, errorBody, copy, delay);
        }

        /** A copy that is sent only after {@code delay}, to add latency or make a client time out. */
        public Reply after(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("negative delay: " + delay);
            }
            return new Reply(status, content, promptTokens, completionTokens, model, errorBody, headers, delay);
        }

        /** A copy of a successful reply reporting exactly these token counts. */
        public Reply withUsage(int promptTokens, int completionTokens) {
            requireSuccess("withUsage");
            return new Reply(status, content, promptTokens, completionTokens, model, errorBody, headers, delay);
        }

        /** A copy of a successful reply naming this model in the response (by default the requested one). */
        public Reply withModel(String model) {
            requireSuccess("withModel");
            return new Reply(status, content, promptTokens, completionTokens, model, errorBody, headers, delay);
        }

        /** The HTTP status this reply is sent with. */
        public int status() {
            return status;
        }

        boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        /** Fills in usage and model from the request where the script left them open. */
        Reply completeFor(Request request) {
            int prompt = promptTokens != null ? promptTokens
                    : request.messages().stream().mapToInt(m -> words(m.content())).sum();
            int completion = completionTokens != null ? completionTokens : words(content);
            String name = model != null ? model : request.model() != null ? request.model() : DEFAULT_MODEL;
            return new Reply(status, content, prompt, completion, name, null, headers, delay, bodyStall, rawBody);
        }

        private void requireSuccess(String method) {
            if (!isSuccess()) {
                throw new IllegalStateException(method + " applies to successful replies only");
            }
        }

        private static boolean looksLikeJsonObject(String text) {
            try {
                return JSON.readTree(text).isObject();
            } catch (JsonProcessingException e) {
                return false;
            }
        }

        private static String defaultCode(int status) {
            return switch (status) {
                case 401 -> "invalid_api_key";
                case 404 -> "model_not_found";
                case 429 -> "rate_limit_exceeded";
                default -> null;
            };
        }

        static String errorJson(int status, String message, String code) {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode error = root.putObject("error");
            error.put("message", message);
            error.put("type", switch (status) {
                case 429 -> "requests";
                case 500, 502, 503 -> "server_error";
                default -> "invalid_request_error";
            });
            error.putNull("param");
            if (code == null) {
                error.putNull("code");
            } else {
                error.put("code", code);
            }
            return root.toString();
        }

        @Override
        public String toString() {
            return isSuccess() ? "Reply[" + status + " " + content + "]" : "Reply[" + status + " " + errorBody + "]";
        }
    }
}
