package io.promptunit.model;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** OpenAI, and every OpenAI-compatible server (Ollama, llama.cpp server, vLLM, LM Studio) through {@code promptunit.openai.base-url}. */
final class OpenAiProvider implements Provider {

  static final String DEFAULT_URL = "https://api.openai.com/v1";

  @Override
  public String id() {
    return "openai";
  }

  @Override
  public String exampleModel() {
    return "gpt-4o-mini";
  }

  @Override
  public String keyVariable() {
    return "OPENAI_API_KEY";
  }

  @Override
  public Pattern keyShape() {
    return Pattern.compile("\\b(sk|sk-proj)-[A-Za-z0-9_*\\-.]{6,}");
  }

  @Override
  public String defaultBaseUrl() {
    return DEFAULT_URL;
  }

  @Override
  public String alsoSupported() {
    return "any OpenAI-compatible server (Ollama, llama.cpp server, vLLM, LM Studio) with promptunit.model=openai:<model> plus"
        + " promptunit.openai.base-url=http://localhost:11434/v1 and no key";
  }

  @Override
  public Map<String, PriceTable.Price> prices() {
    Map<String, PriceTable.Price> prices = new LinkedHashMap<>();
    prices.put("gpt-4o-mini", new PriceTable.Price(0.15, 0.60));
    prices.put("gpt-4o", new PriceTable.Price(2.50, 10.00));
    prices.put("gpt-4.1-nano", new PriceTable.Price(0.10, 0.40));
    prices.put("gpt-4.1-mini", new PriceTable.Price(0.40, 1.60));
    prices.put("gpt-4.1", new PriceTable.Price(2.00, 8.00));
    prices.put("gpt-5-nano", new PriceTable.Price(0.05, 0.40));
    prices.put("gpt-5-mini", new PriceTable.Price(0.25, 2.00));
    prices.put("gpt-5", new PriceTable.Price(1.25, 10.00));
    prices.put("o4-mini", new PriceTable.Price(1.10, 4.40));
    return prices;
  }

  @Override
  public ChatModel build(Connection connection) {
    return OpenAiChatModel.builder()
        .baseUrl(connection.baseUrl())
        .apiKey(connection.key())
        .modelName(connection.model())
        .timeout(connection.timeout())
        .maxRetries(0)
        .httpClientBuilder(connection.http())
        .maxTokens(connection.maxOutputTokens().orElse(null))
        .build();
  }
}
