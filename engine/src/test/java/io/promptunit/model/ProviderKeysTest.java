package io.promptunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.promptunit.config.Configuration;
import io.promptunit.testing.LocalHttp;
import java.io.IOException;
import java.nio.channels.UnresolvedAddressException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where API keys go: a provider's key only to that provider's own API; a custom base URL gets a key only
 * when {@code promptunit.<provider>.api-key-env} names one. Against a server on 127.0.0.1 speaking all three
 * providers' chat APIs, which records every header and URL it receives.
 */
class ProviderKeysTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> AUTH_HEADERS = Map.of("openai", "Authorization", "anthropic", "x-api-key",
      "gemini", "x-goog-api-key");

  private HttpServer server;
  /** Every request's URI and headers, as one text per request. */
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    server = LocalHttp.start(this::answer);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getPath();
    received.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders());
    String provider = path.endsWith("/chat/completions") ? "openai" : path.endsWith("/messages") ? "anthropic" : "gemini";
    authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst(AUTH_HEADERS.get(provider))));
    LocalHttp.reply(exchange, 200, switch (provider) {
      case "openai" -> "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":\"billing\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}";
      case "anthropic" -> "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":"
          + "[{\"type\":\"text\",\"text\":\"billing\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
          + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}";
      default -> JSON.writeValueAsString(Map.of("candidates", List.of(Map.of("content", Map.of("role", "model",
          "parts", List.of(Map.of("text", "billing"))), "finishReason", "STOP", "index", 0)),
          "usageMetadata", Map.of("promptTokenCount", 5, "candidatesTokenCount", 1, "totalTokenCount", 6)));
    });
  }

  private String baseUrl(Provider provider) {
    return LocalHttp.root(server) + (provider.id().equals("gemini") ? "/v1beta" : "/v1");
  }

  private static String key(Provider provider) {
    return switch (provider.id()) {
      case "openai" -> "sk-proj-ownkey0123456789abcdef";
      case "anthropic" -> "sk-ant-ownkey0123456789abcdef";
      default -> "AIzaSyOwnKey0123456789abcdefghijklmnopq";
    };
  }

  private String ask(Provider provider, Map<String, String> settings, Map<String, String> environment) {
    Map<String, String> values = new HashMap<>(settings);
    values.put(provider.baseUrlSetting(), baseUrl(provider));
    ChatModel model = new ModelResolver(Configuration.of(values, environment)).resolve(provider.id() + ":"
        + provider.exampleModel(), "test");
    return model.chat(ChatRequest.builder().messages(UserMessage.from("route: my invoice")).build()).aiMessage().text();
  }

  @Test
  void finding9_aProvidersKeyIsNotSentToACustomBaseUrl() {
    for (Provider provider : Providers.ALL) {
      String key = key(provider);

      assertThat(ask(provider, Map.of(), Map.of(provider.keyVariable(), key))).isEqualTo("billing");

      assertThat(received).as(provider.id()).isNotEmpty().noneSatisfy(request -> assertThat(request).contains(key));
      assertThat(authorizations).as(provider.id()).noneSatisfy(header -> assertThat(header).contains(key));
      received.clear();
      authorizations.clear();
    }
  }

  @Test
  void finding9_aKeyNamedForTheCustomBaseUrlIsSentThere() {
    for (Provider provider : Providers.ALL) {
      Map<String, String> environment = Map.of(provider.keyVariable(), key(provider), "GATEWAY_KEY", "gw-secret-4711");

      ask(provider, Map.of(provider.apiKeyEnvSetting(), "GATEWAY_KEY"), environment);

      assertThat(authorizations).as(provider.id()).singleElement().satisfies(header -> assertThat(header)
          .isIn("Bearer gw-secret-4711", "gw-secret-4711"));
      assertThat(received).as(provider.id()).noneSatisfy(request -> assertThat(request).contains(key(provider)));
      received.clear();
      authorizations.clear();
    }
  }

  @Test
  void finding9_aNamedVariableThatIsNotSetIsAClearErrorBeforeAnyCall() {
    Map<String, String> settings = Map.of("promptunit.openai.api-key-env", "GATEWAY_KEY");

    assertThatThrownBy(() -> ask(Providers.find("openai").orElseThrow(), settings,
        Map.of("OPENAI_API_KEY", "sk-proj-ownkey0123456789abcdef")))
        .isInstanceOf(ModelConfigurationException.class)
        .hasMessageContaining("promptunit.openai.api-key-env names the environment variable GATEWAY_KEY, which is not set");
    assertThat(received).isEmpty();
  }

  @Test
  void finding9_theProvidersOwnApiGetsItsKeyAndLookAlikesDoNot() {
    Provider openai = Providers.find("openai").orElseThrow();
    ModelResolver resolver = new ModelResolver(Configuration.of(Map.of(), Map.of("OPENAI_API_KEY", key(openai))));

    assertThat(resolver.key(openai, "https://api.openai.com/v1")).contains(key(openai));
    assertThat(resolver.key(openai, "https://API.openai.com:443/v1/")).contains(key(openai));
    for (String elsewhere : List.of("http://api.openai.com/v1", "https://api.openai.com.example.net/v1",
        "https://api.openai.com:8443/v1", "https://gateway.example.com/v1", "http://127.0.0.1:11434/v1")) {
      assertThat(resolver.key(openai, elsewhere)).as(elsewhere).isPresent().get().isNotEqualTo(key(openai));
    }
  }

  @Test
  void aBaseUrlVariableWithoutItsSchemeNamesTheVariable() {
    Configuration settings = Configuration.of(Map.of(), Map.of("OPENAI_BASE_URL", "localhost:11434/v1"));

    assertThatThrownBy(() -> new ModelResolver(settings).resolve("openai:gpt-4o-mini", "promptunit.model"))
        .isInstanceOf(ModelConfigurationException.class)
        .hasMessageContaining("OPENAI_BASE_URL=localhost:11434/v1 (environment variable)")
        .hasMessageContaining("http://localhost:11434/v1");
  }

  @Test
  void anUnknownHostIsNamedWithItsUrlAndSettingAndNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    ChatModel unresolved = new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        calls.incrementAndGet();
        // what langchain4j makes of the JDK client's failure to resolve the host
        throw new UnresolvedModelServerException(new UnresolvedAddressException());
      }
    };
    RetryPolicy policy = new RetryPolicy(3, 1, 1000, model -> RateLimiter.perMinute(0, 0),
        model -> Optional.of("https://user:pw@nowhere.invalid/v1"));

    assertThatThrownBy(() -> policy.send(unresolved, "openai:gpt-4o-mini",
        ChatRequest.builder().messages(UserMessage.from("hi")).build()))
        .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.getMessage())
            .startsWith("Model openai:gpt-4o-mini connection failed: unknown host nowhere.invalid")
            .contains("https://nowhere.invalid/v1", "promptunit.openai.base-url")
            .doesNotContain("UnresolvedAddressException", "pw@"));
    assertThat(calls).hasValue(1);
  }
}
