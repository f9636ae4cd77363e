package io.promptunit.model.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The llama.cpp adapter through the real native library, on a tiny random-weight llama model that the
 * test writes itself ({@link TinyLlamaGguf}: 2 layers, 32-dimensional embeddings, a 331-token
 * SentencePiece vocabulary and a ChatML-style Jinja chat template).
 */
class LlamaChatModelTest {

  private static final List<ChatMessage> HELLO = List.of(UserMessage.from("hello world"));
  private static final String HELLO_PROMPT = "<|im_start|>system\n" + TinyLlamaGguf.DEFAULT_SYSTEM + "<|im_end|>\n"
      + "<|im_start|>user\nhello world<|im_end|>\n"
      + "<|im_start|>assistant\n";

  @TempDir
  static Path directory;

  static Path file;
  static LlamaChatModel model;

  @BeforeAll
  static void writeAndLoadTheTinyModel() throws IOException {
    file = TinyLlamaGguf.write(directory.resolve("tiny-random.gguf"), 42);
    model = LlamaChatModel.builder(file).threads(2).build();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void loadsLazilyOrOnRequest() {
    LlamaChatModel lazy = LlamaChatModel.of(file);
    assertThat(lazy.isLoaded()).isFalse();
    assertThat(lazy.modelName()).isEqualTo("tiny-random");

    model.load();

    assertThat(model.isLoaded()).isTrue();
    assertThat(model.contextSize()).as("the smaller of 4096 and the model's trained context").isEqualTo(TinyLlamaGguf.CONTEXT);
    assertThat(model.metadata().architecture()).hasValue("llama");
  }

  @Test
  void rendersTheChatTemplateStoredInTheModelFile() {
    // The template inserts a default system message; llama.cpp's built-in ChatML would not.
    assertThat(model.applyChatTemplate(HELLO)).isEqualTo(HELLO_PROMPT);

    List<ChatMessage> conversation = List.of(
        UserMessage.from("first"),
        SystemMessage.from("Be brief."),
        UserMessage.from("second"),
        AiMessage.from("answer"),
        UserMessage.from("third"));
    assertThat(model.applyChatTemplate(conversation)).isEqualTo(
        "<|im_start|>system\nBe brief.<|im_end|>\n"
            + "<|im_start|>user\nfirst\n\nsecond<|im_end|>\n"
            + "<|im_start|>assistant\nanswer<|im_end|>\n"
            + "<|im_start|>user\nthird<|im_end|>\n"
            + "<|im_start|>assistant\n");
  }

  @Test
  void generatesFromTheTemplatedPromptAndReportsTokenUsage() {
    ChatResponse response = model.chat(request(HELLO, 8, List.of()));

    assertThat(response.aiMessage().text()).isNotBlank();
    assertThat(response.modelName()).isEqualTo("tiny-random");
    // Input tokens are those of the templated prompt (this vocabulary adds no BOS), special tokens counting one each.
    int templated = model.countTokens(HELLO_PROMPT);
    assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(templated);
    assertThat(templated).isGreaterThan(model.countTokens("hello world") + 20);
    assertThat(model.countTokens("<|im_start|>")).isEqualTo(1);
    assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(8);
    assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
  }

  @Test
  void maxOutputTokensCapsGeneration() {
    String eight = model.chat(request(HELLO, 8, List.of())).aiMessage().text();

    ChatResponse three = model.chat(request(HELLO, 3, List.of()));

    assertThat(three.tokenUsage().outputTokenCount()).isLessThanOrEqualTo(3);
    assertThat(three.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(eight).as("greedy decoding continues the same text").startsWith(three.aiMessage().text());
    assertThat(three.aiMessage().text().length()).isLessThan(eight.length());
  }

  @Test
  void stopsAtAStopSequenceAndLeavesItOut() {
    String full = model.chat(request(HELLO, 12, List.of())).aiMessage().text();
    assertThat(full).hasSizeGreaterThanOrEqualTo(8);
    String stop = full.substring(4, 6);
    String expected = full.substring(0, full.indexOf(stop));

    ChatResponse stopped = model.chat(request(HELLO, 12, List.of(stop)));

    assertThat(stopped.aiMessage().text()).isEqualTo(expected);
    assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(stopped.tokenUsage().outputTokenCount()).isLessThan(12);
  }

  @Test
  void honoursTheTemperature() {
    String greedy = model.chat(request(HELLO, 12, List.of())).aiMessage().text();
    assertThat(model.chat(request(HELLO, 12, List.of())).aiMessage().text()).as("temperature 0 is deterministic").isEqualTo(greedy);

    List<String> sampled = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ChatRequest hot = ChatRequest.builder().messages(HELLO).temperature(5.0).maxOutputTokens(12).build();
      sampled.add(model.chat(hot).aiMessage().text());
    }
    assertThat(sampled).as("sampling at a high temperature with a random seed").anyMatch(text -> !text.equals(greedy));
  }

  @Test
  void aFixedSeedMakesSamplingRepeatable() {
    try (LlamaChatModel seeded = LlamaChatModel.builder(file).threads(2).seed(7).temperature(1.5).build()) {
      ChatRequest request = ChatRequest.builder().messages(HELLO).maxOutputTokens(10).build();
      String first = seeded.chat(request).aiMessage().text();
      assertThat(seeded.chat(request).aiMessage().text()).isEqualTo(first);
      seeded.chat(List.of(UserMessage.from("something else entirely")));
      assertThat(seeded.chat(request).aiMessage().text()).as("independent of the request before").isEqualTo(first);
    }
  }

  @Test
  void callsFromSeveralThreadsAreSerialised() throws Exception {
    String greedy = model.chat(request(HELLO, 6, List.of())).aiMessage().text();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ChatResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(pool.submit(() -> model.chat(request(HELLO, 6, List.of()))));
      }
      for (Future<ChatResponse> future : futures) {
        assertThat(future.get().aiMessage().text()).isEqualTo(greedy);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClosedModelRefusesCalls() {
    LlamaChatModel closing = LlamaChatModel.builder(file).threads(1).build();
    closing.load();
    closing.close();
    closing.close();

    assertThatThrownBy(() -> closing.chat(request(HELLO, 2, List.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was closed");
  }

  @Test
  void refusesWhatItCannotDo() {
    assertThatThrownBy(() -> model.chat(List.of(SystemMessage.from("s"), AiMessage.from("I start"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("must start with a user message");
    ChatRequest json = ChatRequest.builder().messages(HELLO)
        .responseFormat(dev.langchain4j.model.chat.request.ResponseFormat.JSON).build();
    assertThatThrownBy(() -> model.chat(json)).isInstanceOf(UnsupportedFeatureException.class);
  }

  @Test
  void aPromptLargerThanTheContextIsAnErrorNotATruncation() {
    String huge = "word ".repeat(600);
    assertThatThrownBy(() -> model.chat(List.of(UserMessage.from(huge))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("but the context of the local model tiny-random holds 512 tokens");
  }

  @Test
  void filesThatAreNotGgufAreRejectedBeforeNativeCode() throws IOException {
    Path text = Files.writeString(directory.resolve("notes.gguf"), "not a model");
    assertThatThrownBy(() -> LlamaChatModel.of(text).load())
        .isInstanceOf(LocalModelException.class)
        .hasMessageContaining("is not a GGUF model file");
    assertThatThrownBy(() -> LlamaChatModel.of(directory.resolve("missing.gguf")).load())
        .isInstanceOf(LocalModelException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void readsTheMetadataOfTheFile() throws IOException {
    GgufMetadata metadata = GgufMetadata.read(file);

    assertThat(metadata.version()).isEqualTo(3);
    assertThat(metadata.architecture()).hasValue("llama");
    assertThat(metadata.contextLength()).hasValue((long) TinyLlamaGguf.CONTEXT);
    assertThat(metadata.hasChatTemplate()).isTrue();
    assertThat(metadata.addsBos()).isFalse();
    assertThat(metadata.number("tokenizer.ggml.tokens")).as("arrays are recorded by length").hasValue((long) TinyLlamaGguf.TOKENS.size());
    assertThat(metadata.tensorCount()).isEqualTo(3 + 9 * TinyLlamaGguf.N_LAYER);
  }

  private static ChatRequest request(List<ChatMessage> messages, int maxOutputTokens, List<String> stops) {
    return ChatRequest.builder()
        .messages(messages)
        .temperature(0.0)
        .maxOutputTokens(maxOutputTokens)
        .stopSequences(stops)
        .build();
  }
}
