package io.promptunit.model;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Anthropic's Messages API. */
final class AnthropicProvider implements Provider {

  @Override
  public String id() {
    return "anthropic";
  }

  @Override
  public String exampleModel() {
    return "claude-3-5-haiku-latest";
  }

  @Override
  public String keyVariable() {
    return "ANTHROPIC_API_KEY";
  }

  @Override
  public Pattern keyShape() {
    return Pattern.compile("\\bsk-ant-[A-Za-z0-9_*\\-.]{6,}");
  }

  @Override
  public String defaultBaseUrl() {
    return "https://api.anthropic.com/v1";
  }

  @Override
  public Map<String, PriceTable.Price> prices() {
    Map<String, PriceTable.Price> prices = new LinkedHashMap<>();
    prices.put("claude-3-5-haiku", new PriceTable.Price(0.80, 4.00));
    prices.put("claude-haiku-4-5", new PriceTable.Price(1.00, 5.00));
    prices.put("claude-3-7-sonnet", new PriceTable.Price(3.00, 15.00));
    prices.put("claude-sonnet-4", new PriceTable.Price(3.00, 15.00));
    prices.put("claude-opus-4", new PriceTable.Price(15.00, 75.00));
    return prices;
  }

  /** Anthropic requires an output cap: {@code promptunit.max-output-tokens}, else 1024. */
  @Override
  public ChatModel build(Connection connection) {
    return AnthropicChatModel.builder()
        .baseUrl(connection.baseUrl())
        .apiKey(connection.key())
        .modelName(connection.model())
        .timeout(connection.timeout())
        .maxRetries(0)
        .httpClientBuilder(connection.http())
        .maxTokens(connection.maxOutputTokens().orElse(1024))
        .build();
  }
}
