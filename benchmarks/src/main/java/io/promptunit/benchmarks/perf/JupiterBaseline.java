package io.promptunit.benchmarks.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.input.PromptTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The baseline of the engine-overhead figure: what a developer would write by hand with JUnit
 * Jupiter for the same job — read the same examples file, render the same template with
 * langchain4j, call the same instant model, compare with the same normalisation as PromptUnit's
 * default check — one {@code @ParameterizedTest} invocation per example, named by id and input.
 */
public class JupiterBaseline {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PromptTemplate TEMPLATE = PromptTemplate.from(resource(OverheadSuite.PROMPT).stripTrailing());
  private static final ChatModel MODEL = new InstantModel();
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[.!?;:,]+$");

  static Stream<Arguments> examples() {
    InputStream in = JupiterBaseline.class.getClassLoader().getResourceAsStream(OverheadSuite.EXAMPLES);
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    return reader.lines().filter(line -> !line.isBlank()).map(line -> {
      try {
        JsonNode example = JSON.readTree(line);
        return Arguments.of(example.get("id").asText(), example.get("input").asText(), example.get("expected").asText());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).onClose(() -> {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("examples")
  void routesTicket(String id, String input, String expected) {
    String prompt = TEMPLATE.apply(Map.of("input", input)).text();
    String output = MODEL.chat(ChatRequest.builder().messages(UserMessage.from(prompt)).temperature(0.0).build()).aiMessage().text();
    assertEquals(normalize(expected), normalize(output), id);
  }

  /** PromptUnit's default normalisation (TextChecks.normalize), copied: trim, lower-case, collapse whitespace, drop quotes and trailing punctuation. */
  static String normalize(String text) {
    String result = WHITESPACE.matcher(text.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
    for (int round = 0; round < 2; round++) {
      result = TRAILING_PUNCTUATION.matcher(result).replaceAll("").strip();
      if (result.length() >= 2 && isQuote(result.charAt(0)) && result.charAt(result.length() - 1) == result.charAt(0)) {
        result = result.substring(1, result.length() - 1).strip();
      }
    }
    return result;
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'' || c == '`';
  }

  private static String resource(String path) {
    try (InputStream in = JupiterBaseline.class.getClassLoader().getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
