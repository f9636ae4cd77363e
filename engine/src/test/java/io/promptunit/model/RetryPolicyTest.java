package io.promptunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.promptunit.config.Keys;
import io.promptunit.config.Configuration;
import io.promptunit.model.ModelCallException.Kind;
import io.promptunit.testing.ScriptedChatModel;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The model-call policy (classification, retries, messages), model specs and settings. */
class RetryPolicyTest {

  private static final String MODEL = "openai:gpt-4o-mini";
  private static final ChatRequest REQUEST = ChatRequest.builder().messages(UserMessage.from("Route: refund me")).temperature(0.0).build();

  /** A model that throws {@code failure} on its first {@code failing} calls and answers "billing" after that. */
  private static ScriptedChatModel failing(int failing, Supplier<RuntimeException> failure) {
    AtomicInteger calls = new AtomicInteger();
    return new ScriptedChatModel(request -> {
      if (calls.incrementAndGet() <= failing) {
        throw failure.get();
      }
      return "billing";
    });
  }

  private static ScriptedChatModel alwaysThrowing(Supplier<RuntimeException> failure) {
    return failing(Integer.MAX_VALUE, failure);
  }

  @Nested
  class Classification {

    static Stream<Arguments> langchain4jExceptions() {
      return Stream.of(
          Arguments.of(new AuthenticationException("bad key"), Kind.AUTHENTICATION),
          Arguments.of(new RateLimitException("slow down"), Kind.RATE_LIMIT),
          Arguments.of(new TimeoutException("too slow"), Kind.TIMEOUT),
          Arguments.of(new InternalServerException("oops"), Kind.SERVER),
          Arguments.of(new ContentFilteredException("blocked"), Kind.CONTENT_FILTER),
          Arguments.of(new ModelNotFoundException("no such model"), Kind.MODEL_NOT_FOUND),
          Arguments.of(new InvalidRequestException("bad request"), Kind.INVALID_REQUEST),
          Arguments.of(new HttpException(401, "unauthorized"), Kind.AUTHENTICATION),
          Arguments.of(new HttpException(403, "forbidden"), Kind.AUTHENTICATION),
          Arguments.of(new HttpException(429, "too many requests"), Kind.RATE_LIMIT),
          Arguments.of(new HttpException(408, "request timeout"), Kind.TIMEOUT),
          Arguments.of(new HttpException(500, "internal error"), Kind.SERVER),
          Arguments.of(new HttpException(503, "unavailable"), Kind.SERVER),
          Arguments.of(new HttpException(400, "bad request"), Kind.INVALID_REQUEST),
          Arguments.of(new RuntimeException(new java.net.ConnectException("Connection refused")), Kind.CONNECTION),
          Arguments.of(new RuntimeException(new java.net.http.HttpTimeoutException("request timed out")), Kind.TIMEOUT),
          Arguments.of(new IllegalStateException("something else"), Kind.OTHER));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("langchain4jExceptions")
    void providerErrorsAreClassifiedByKind(RuntimeException error, Kind kind) {
      assertThat(RetryPolicy.classify(error)).isEqualTo(kind);
    }
  }

  @Nested
  class Retries {

    @Test
    void aTransientErrorIsRetriedExactlyMaxRetriesTimesThenReported() {
      ScriptedChatModel model = alwaysThrowing(() -> new RateLimitException("slow down"));

      ModelCallException error = catchThrowableOfType(ModelCallException.class, () -> new RetryPolicy(2, 1).send(model, MODEL, REQUEST));

      assertThat(model.calls()).isEqualTo(3);
      assertThat(error.kind()).isEqualTo(Kind.RATE_LIMIT);
      assertThat(error.attempts()).isEqualTo(3);
      assertThat(error.getMessage()).contains("after 3 attempts");
    }

    @Test
    void everyTransientKindIsRetried() {
      for (Supplier<RuntimeException> failure : java.util.List.<Supplier<RuntimeException>>of(
          () -> new RateLimitException("slow down"),
          () -> new InternalServerException("oops"),
          () -> new TimeoutException("too slow"),
          () -> new HttpException(503, "unavailable"),
          () -> new RuntimeException(new java.net.ConnectException("Connection refused")))) {
        ScriptedChatModel model = alwaysThrowing(failure);

        assertThatThrownBy(() -> new RetryPolicy(1, 1).send(model, MODEL, REQUEST)).isInstanceOf(ModelCallException.class);
        assertThat(model.calls()).as("calls after %s", failure.get()).isEqualTo(2);
      }
    }

    @Test
    void anAnswerAfterTransientErrorsIsReturnedWithItsAttemptCount() {
      ScriptedChatModel model = failing(2, () -> new InternalServerException("oops"));

      Reply reply = new RetryPolicy(3, 1).send(model, MODEL, REQUEST);

      assertThat(reply.text()).isEqualTo("billing");
      assertThat(reply.attempts()).isEqualTo(3);
      assertThat(model.calls()).isEqualTo(3);
    }

    @Test
    void withZeroMaxRetriesATransientErrorIsReportedAfterOneCall() {
      ScriptedChatModel model = alwaysThrowing(() -> new RateLimitException("slow down"));

      assertThatThrownBy(() -> new RetryPolicy(0, 1).send(model, MODEL, REQUEST)).isInstanceOf(ModelCallException.class);
      assertThat(model.calls()).isEqualTo(1);
    }

    @Test
    void aNonTransientErrorIsNotRetried() {
      for (Supplier<RuntimeException> failure : java.util.List.<Supplier<RuntimeException>>of(
          () -> new AuthenticationException("bad key"),
          () -> new ContentFilteredException("blocked"),
          () -> new ModelNotFoundException("no such model"),
          () -> new HttpException(400, "bad request"))) {
        ScriptedChatModel model = alwaysThrowing(failure);

        assertThatThrownBy(() -> new RetryPolicy(3, 1).send(model, MODEL, REQUEST)).isInstanceOf(ModelCallException.class);
        assertThat(model.calls()).as("calls after %s", failure.get()).isEqualTo(1);
      }
    }
  }

  @Nested
  class ErrorMessages {

    @Test
    void nameTheModelAndTheKindAndRedactKeys() {
      ScriptedChatModel model = alwaysThrowing(() -> new AuthenticationException("Incorrect API key provided: sk-proj-abcdef123456."));

      ModelCallException error = catchThrowableOfType(ModelCallException.class, () -> new RetryPolicy(3, 1).send(model, MODEL, REQUEST));

      assertThat(error.kind()).isEqualTo(Kind.AUTHENTICATION);
      assertThat(error.getMessage())
          .startsWith("Model " + MODEL + " authentication failed: ")
          .contains("Incorrect API key provided")
          .contains("[redacted]")
          .doesNotContain("abcdef123456")
          .contains("OPENAI_API_KEY");
    }

    @Test
    void keepTheProviderErrorAsARedactedCauseWithItsStackTrace() {
      AuthenticationException cause = new AuthenticationException("Incorrect API key provided: sk-proj-abcdef1234567890");

      ModelCallException error = catchThrowableOfType(ModelCallException.class,
          () -> new RetryPolicy(0, 1).send(alwaysThrowing(() -> cause), MODEL, REQUEST));

      // reports print whole cause chains, so the provider's message reaches them only redacted
      assertThat(error.getCause()).hasMessage(AuthenticationException.class.getName() + ": Incorrect API key provided: [redacted]");
      assertThat(error.getCause().getStackTrace()).isEqualTo(cause.getStackTrace());
    }

    @Test
    void secretsRedactsKeyShapedText() {
      assertThat(Secrets.redact("key sk-proj-abcdef123456 and sk-ant-api03-xyz987654 end"))
          .isEqualTo("key [redacted] and [redacted] end");
      assertThat(Secrets.redact("nothing secret here, just a task-force-1")).isEqualTo("nothing secret here, just a task-force-1");
      assertThat(Secrets.redact(null)).isEmpty();
    }
  }

  @Nested
  class ModelSpecs {

    @Test
    void theProviderIsBeforeTheFirstColonAndTheModelKeepsAnyFurtherColons() {
      ModelSpec spec = ModelSpec.parse("openai:qwen2.5:0.5b", Keys.MODEL);

      assertThat(spec.provider()).isEqualTo("openai");
      assertThat(spec.model()).isEqualTo("qwen2.5:0.5b");
      assertThat(spec).hasToString("openai:qwen2.5:0.5b");
    }

    @Test
    void theProviderIsCaseInsensitiveAndSurroundingSpaceIgnored() {
      assertThat(ModelSpec.parse("  OpenAI:gpt-4o-mini ", Keys.MODEL)).isEqualTo(new ModelSpec("openai", "gpt-4o-mini"));
    }

    @Test
    void aModelWithoutProviderIsAClearErrorNamingTheSettingAndTheForm() {
      assertThatThrownBy(() -> ModelSpec.parse("gpt-4o", Keys.MODEL))
          .isInstanceOf(ModelConfigurationException.class)
          .hasMessageContaining("promptunit.model=gpt-4o")
          .hasMessageContaining("provider:model")
          .hasMessageContaining("openai:gpt-4o-mini");
    }

    @Test
    void anEmptyModelAfterTheProviderIsAnError() {
      assertThatThrownBy(() -> ModelSpec.parse("openai:", Keys.MODEL)).isInstanceOf(ModelConfigurationException.class);
    }
  }

  @Nested
  class SettingsSources {

    @Test
    void theCallPolicyReadsItsSettings() {
      Configuration settings = Configuration.of(Map.of(Keys.MAX_RETRIES, "1", Keys.RETRY_BACKOFF_MILLIS, "1"));
      ScriptedChatModel model = alwaysThrowing(() -> new RateLimitException("slow down"));

      assertThatThrownBy(() -> RetryPolicy.from(settings).send(model, MODEL, REQUEST)).isInstanceOf(ModelCallException.class);
      assertThat(model.calls()).isEqualTo(2);
    }
  }
}
