package io.promptunit.model;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Google's Gemini API (generativelanguage.googleapis.com) through langchain4j-google-ai-gemini. */
final class GeminiProvider implements Provider {

  @Override
  public String id() {
    return "gemini";
  }

  @Override
  public String exampleModel() {
    return "gemini-2.5-flash";
  }

  @Override
  public String keyVariable() {
    return "GEMINI_API_KEY";
  }

  /** Google API keys: {@code AIza} and 35 more characters. */
  @Override
  public Pattern keyShape() {
    return Pattern.compile("\\bAIza[0-9A-Za-z_\\-]{35}");
  }

  @Override
  public String defaultBaseUrl() {
    return "https://generativelanguage.googleapis.com/v1beta";
  }

  @Override
  public Map<String, PriceTable.Price> prices() {
    Map<String, PriceTable.Price> prices = new LinkedHashMap<>();
    prices.put("gemini-2.5-flash-lite", new PriceTable.Price(0.10, 0.40));
    prices.put("gemini-2.5-flash", new PriceTable.Price(0.30, 2.50));
    prices.put("gemini-2.5-pro", new PriceTable.Price(1.25, 10.00));
    prices.put("gemini-2.0-flash", new PriceTable.Price(0.10, 0.40));
    return prices;
  }

  @Override
  public ChatModel build(Connection connection) {
    return GoogleAiGeminiChatModel.builder()
        .baseUrl(connection.baseUrl())
        .apiKey(connection.key())
        .modelName(connection.model())
        .timeout(connection.timeout())
        .maxRetries(0)
        .httpClientBuilder(connection.http())
        .maxOutputTokens(connection.maxOutputTokens().orElse(null))
        .build();
  }
}
