package io.promptunit.testing;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.FinishReason;
import io.promptunit.testing.OpenAiCompatibleServer.Message;
import io.promptunit.testing.OpenAiCompatibleServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Proves {@link OpenAiCompatibleServer} speaks the protocol langchain4j's {@link OpenAiChatModel} (1.19) expects,
 * and pins down how that client reports HTTP failures.
 */
class OpenAiCompatibleServerTest {

    private static final String KEY = "sk-test-not-a-real-key";

    private final OpenAiCompatibleServer server = OpenAiCompatibleServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiChatModel model(int maxRetries) {
        return model(maxRetries, Duration.ofSeconds(10));
    }

    private OpenAiChatModel model(int maxRetries, Duration timeout) {
        return OpenAiChatModel.builder()
                .baseUrl(server.baseUrl())
                .apiKey(KEY)
                .modelName("gpt-4o-mini")
                .temperature(0.0)
                .maxRetries(maxRetries)
                .timeout(timeout)
                .logRequests(false)
                .logResponses(false)
                .build();
    }

    @Test
    void baseUrlIsLoopbackWithV1Prefix() {
        assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port() + "/v1");
        assertThat(server.port()).isPositive();
    }

    @Test
    void roundTripReturnsContentAndTokenUsage() {
        server.respondWith(request -> Reply.text("Echo: " + request.lastUserMessage()));

        ChatResponse response = model(0).chat(ChatRequest.builder()
                .messages(SystemMessage.from("Be brief."), UserMessage.from("What is the capital of France?"))
                .build());

        assertThat(response.aiMessage().text()).isEqualTo("Echo: What is the capital of France?");
        // Default usage is word counts: "Be brief." (2) + the question (6); the reply has 7 words.
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(8);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(7);
        assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(15);
        assertThat(response.modelName()).isEqualTo("gpt-4o-mini");
        assertThat(response.id()).startsWith("chatcmpl-");

        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(server.successCount()).isEqualTo(1);
        assertThat(server.promptTokens()).isEqualTo(8);
        assertThat(server.completionTokens()).isEqualTo(7);
        assertThat(server.authorizationHeaders()).containsExactly("Bearer " + KEY);
        assertThat(server.requestBodies()).singleElement().asString().contains("\"messages\"");

        OpenAiCompatibleServer.Request request = server.requests().get(0);
        assertThat(request.model()).isEqualTo("gpt-4o-mini");
        assertThat(request.temperature()).isEqualTo(0.0);
        assertThat(request.messages()).containsExactly(
                new Message("system", "Be brief."), new Message("user", "What is the capital of France?"));
        assertThat(request.body().path("model").asText()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void successfulResponseHeadersAreVisibleThroughOpenAiMetadata() {
        server.enqueue(Reply.text("hi").withHeader("x-ratelimit-remaining-requests", "9"));

        ChatResponse response = model(0).chat(ChatRequest.builder().messages(UserMessage.from("hello")).build());

        // Unlike failures, a success exposes the raw HTTP response, headers included.
        assertThat(response.metadata()).isInstanceOfSatisfying(OpenAiChatResponseMetadata.class, metadata ->
                assertThat(metadata.rawHttpResponse().headers())
                        .containsEntry("x-ratelimit-remaining-requests", List.of("9")));
        assertThat(response.tokenUsage()).isInstanceOf(OpenAiTokenUsage.class);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void explicitTokenCountsAreReportedAndSummed() {
        server.enqueue(Reply.text("first", 100, 20), Reply.text("second").withUsage(50, 5));
        OpenAiChatModel model = model(0);

        ChatResponse first = model.chat(ChatRequest.builder().messages(UserMessage.from("a")).build());
        ChatResponse second = model.chat(ChatRequest.builder().messages(UserMessage.from("b")).build());
        String third = model.chat("c");

        assertThat(first.aiMessage().text()).isEqualTo("first");
        assertThat(first.tokenUsage().inputTokenCount()).isEqualTo(100);
        assertThat(first.tokenUsage().outputTokenCount()).isEqualTo(20);
        assertThat(second.aiMessage().text()).isEqualTo("second");
        assertThat(second.tokenUsage().totalTokenCount()).isEqualTo(55);
        assertThat(third).isEqualTo("ok"); // queue drained: the default responder answers
        assertThat(server.promptTokens()).isEqualTo(100 + 50 + 1);
        assertThat(server.completionTokens()).isEqualTo(20 + 5 + 1);
    }

    @Test
    void unauthorizedIsNotRetriedAndCarriesTheServerMessage() {
        server.enqueue(Reply.unauthorized());

        Throwable thrown = catchThrowable(() -> model(3).chat("hi"));

        assertThat(thrown).isInstanceOf(AuthenticationException.class).isInstanceOf(NonRetriableException.class)
                .hasMessageContaining("Incorrect API key provided: sk-fake...abcd.")
                .hasMessageNotContaining(KEY);
        // The mapped exception wraps the client's HttpException, which holds the status and the raw body only.
        assertThat(thrown.getCause()).isInstanceOfSatisfying(HttpException.class, http -> {
            assertThat(http.statusCode()).isEqualTo(401);
            assertThat(http.getMessage()).contains("\"code\":\"invalid_api_key\"");
        });
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(server.successCount()).isZero();
    }

    @Test
    void rateLimitIsRetriedOnceThenSucceedsWithoutHonouringRetryAfter() {
        server.enqueue(Reply.rateLimited(5));

        long start = System.nanoTime();
        String answer = model(1).chat("hi");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer).isEqualTo("ok");
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(server.successCount()).isEqualTo(1);
        // langchain4j's own backoff (about 500 ms before the first retry) is used; Retry-After: 5 is ignored.
        assertThat(elapsed).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void rateLimitWithoutRetriesSurfacesStatusAndBodyButNoHeaders() {
        server.enqueue(Reply.rateLimited(1));

        Throwable thrown = catchThrowable(() -> model(0).chat("hi"));

        assertThat(thrown).isInstanceOf(RateLimitException.class).isInstanceOf(RetriableException.class)
                .hasMessageContaining("Rate limit reached");
        assertThat(thrown.getCause()).isInstanceOfSatisfying(HttpException.class, http -> {
            assertThat(http.statusCode()).isEqualTo(429);
            assertThat(http.getMessage()).doesNotContain("Retry-After");
        });
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void retriesAreExhaustedOnRepeatedServerErrors() {
        server.respondWith(request -> Reply.serverError());

        assertThatThrownBy(() -> model(2).chat("hi"))
                .isInstanceOf(InternalServerException.class)
                .hasMessageContaining("The server had an error while processing your request");
        assertThat(server.requestCount()).isEqualTo(3); // 1 attempt + 2 retries
    }

    static Stream<Arguments> statusToException() {
        return Stream.of(
                Arguments.of(400, InvalidRequestException.class),
                Arguments.of(401, AuthenticationException.class),
                Arguments.of(403, AuthenticationException.class),
                Arguments.of(404, ModelNotFoundException.class),
                Arguments.of(408, TimeoutException.class),
                Arguments.of(422, InvalidRequestException.class),
                Arguments.of(429, RateLimitException.class),
                Arguments.of(500, InternalServerException.class),
                Arguments.of(503, InternalServerException.class));
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @MethodSource("statusToException")
    void httpStatusesMapToLangchain4jExceptions(int status, Class<? extends LangChain4jException> expected) {
        server.enqueue(Reply.error(status, "scripted failure " + status));

        Throwable thrown = catchThrowable(() -> model(0).chat("hi"));

        assertThat(thrown).isExactlyInstanceOf(expected).hasMessageContaining("scripted failure " + status);
        assertThat(thrown.getCause()).isInstanceOfSatisfying(HttpException.class,
                http -> assertThat(http.statusCode()).isEqualTo(status));
    }

    @Test
    void verbatimJsonErrorBodyIsPassedThrough() {
        String body = "{\"error\":{\"message\":\"custom\",\"type\":\"x\",\"param\":null,\"code\":\"y\"}}";
        server.enqueue(Reply.error(400, body));

        assertThatThrownBy(() -> model(0).chat("hi"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(body);
    }

    @Test
    void slowReplyTimesOutTheClient() {
        server.enqueue(Reply.text("too late").after(Duration.ofSeconds(3)));

        Throwable thrown = catchThrowable(() -> model(0, Duration.ofMillis(300)).chat("hi"));

        assertThat(thrown).isExactlyInstanceOf(TimeoutException.class)
                .hasCauseInstanceOf(HttpTimeoutException.class);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void maxInFlightCountsParallelCalls() throws Exception {
        int parallel = 4;
        CyclicBarrier allArrived = new CyclicBarrier(parallel);
        server.respondWith(request -> {
            try {
                allArrived.await(10, TimeUnit.SECONDS); // hold every request until all are in flight
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Reply.text("done " + request.lastUserMessage());
        });
        OpenAiChatModel model = model(0);

        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                String prompt = "call" + i;
                answers.add(pool.submit(() -> model.chat(prompt)));
            }
            for (int i = 0; i < parallel; i++) {
                assertThat(answers.get(i).get(15, TimeUnit.SECONDS)).isEqualTo("done call" + i);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(server.maxInFlight()).isEqualTo(parallel);
        assertThat(server.inFlight()).isZero();
        assertThat(server.successCount()).isEqualTo(parallel);
    }

    @Test
    void sequentialCallsNeverOverlap() {
        OpenAiChatModel model = model(0);
        for (int i = 0; i < 5; i++) {
            model.chat("call " + i);
        }
        assertThat(server.maxInFlight()).isEqualTo(1);
        assertThat(server.requestCount()).isEqualTo(5);
    }

    @Test
    void resetClearsCountersAndQueue() {
        server.enqueue(Reply.serverError(), Reply.serverError());
        assertThatThrownBy(() -> model(0).chat("hi")).isInstanceOf(InternalServerException.class);

        server.reset(); // drops the second queued 500 too

        assertThat(server.requestCount()).isZero();
        assertThat(server.authorizationHeaders()).isEmpty();
        assertThat(model(0).chat("hi")).isEqualTo("ok");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void unknownPathGetsOpenAiStyle404() {
        // A base URL without /v1 makes the client post to /chat/completions.
        OpenAiChatModel model = OpenAiChatModel.builder()
                .baseUrl("http://127.0.0.1:" + server.port())
                .apiKey(KEY)
                .modelName("gpt-4o-mini")
                .maxRetries(0)
                .build();

        assertThatThrownBy(() -> model.chat("hi"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("Invalid URL (POST /chat/completions)");
        assertThat(server.requests()).isEmpty();
        assertThat(server.requestCount()).isEqualTo(1);
    }
}
