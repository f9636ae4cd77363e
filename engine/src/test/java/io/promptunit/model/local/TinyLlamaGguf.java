package io.promptunit.model.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a tiny but complete llama-architecture GGUF model with random F32 weights: 2 layers,
 * embedding length 32, 4 heads, a SentencePiece ("llama") vocabulary of control, byte-fallback and
 * single-character tokens, and a Jinja chat template in the ChatML style. Its file is about 200 KB and
 * loads in milliseconds; its output is random text, which is all the adapter tests need.
 */
final class TinyLlamaGguf {

  static final int N_EMBD = 32;
  static final int N_HEAD = 4;
  static final int N_HEAD_KV = 2;
  static final int N_FF = 64;
  static final int N_LAYER = 2;
  static final int CONTEXT = 512;

  static final String IM_START = "<|im_start|>";
  static final String IM_END = "<|im_end|>";

  /** A default system message the template inserts when there is none, as Qwen's template does. */
  static final String DEFAULT_SYSTEM = "You are a tiny test model.";

  /**
   * ChatML with a default system message. It differs from llama.cpp's built-in ChatML (the default
   * system message), so a prompt that contains {@link #DEFAULT_SYSTEM} proves that this file's own
   * template was rendered.
   */
  static final String CHAT_TEMPLATE =
      "{% if messages[0]['role'] != 'system' %}{{ '" + IM_START + "system\\n" + DEFAULT_SYSTEM + IM_END + "\\n' }}{% endif %}"
          + "{% for message in messages %}"
          + "{{ '" + IM_START + "' + message['role'] + '\\n' + message['content'] + '" + IM_END + "' + '\\n' }}"
          + "{% endfor %}"
          + "{% if add_generation_prompt %}{{ '" + IM_START + "assistant\\n' }}{% endif %}";

  // llama_token_type
  private static final int NORMAL = 1;
  private static final int UNKNOWN = 2;
  private static final int CONTROL = 3;
  private static final int BYTE = 6;

  /** The vocabulary: ids 0-4 control, 5-260 byte fallback, then "▁" and single characters. */
  static final List<String> TOKENS;
  static final int FIRST_TEXT_TOKEN;

  static {
    List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>", IM_START, IM_END));
    for (int b = 0; b < 256; b++) {
      tokens.add(String.format("<0x%02X>", b));
    }
    FIRST_TEXT_TOKEN = tokens.size();
    tokens.add("\u2581");
    for (char c = 'a'; c <= 'z'; c++) {
      tokens.add(String.valueOf(c));
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      tokens.add(String.valueOf(c));
    }
    for (char c = '0'; c <= '9'; c++) {
      tokens.add(String.valueOf(c));
    }
    for (String p : List.of(".", ",", "!", "?", ":", "'", "-")) {
      tokens.add(p);
    }
    TOKENS = List.copyOf(tokens);
  }

  private TinyLlamaGguf() {}

  static Path write(Path file, long seed) throws IOException {
    int vocab = TOKENS.size();
    float[] scores = new float[vocab];
    int[] types = new int[vocab];
    for (int i = 0; i < vocab; i++) {
      scores[i] = -i;
      types[i] = i == 0 ? UNKNOWN : i < 5 ? CONTROL : i < FIRST_TEXT_TOKEN ? BYTE : NORMAL;
    }
    GgufWriter gguf = new GgufWriter()
        .string("general.architecture", "llama")
        .string("general.name", "promptunit-tiny-random")
        .uint32("general.alignment", GgufWriter.ALIGNMENT)
        .uint32("llama.context_length", CONTEXT)
        .uint32("llama.embedding_length", N_EMBD)
        .uint32("llama.block_count", N_LAYER)
        .uint32("llama.feed_forward_length", N_FF)
        .uint32("llama.attention.head_count", N_HEAD)
        .uint32("llama.attention.head_count_kv", N_HEAD_KV)
        .uint32("llama.rope.dimension_count", N_EMBD / N_HEAD)
        .float32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
        .float32("llama.rope.freq_base", 10000f)
        .uint32("llama.vocab_size", vocab)
        .string("tokenizer.ggml.model", "llama")
        .strings("tokenizer.ggml.tokens", TOKENS)
        .floats("tokenizer.ggml.scores", scores)
        .ints("tokenizer.ggml.token_type", types)
        .uint32("tokenizer.ggml.unknown_token_id", 0)
        .uint32("tokenizer.ggml.bos_token_id", 1)
        .uint32("tokenizer.ggml.eos_token_id", 2)
        .bool("tokenizer.ggml.add_bos_token", false)
        .bool("tokenizer.ggml.add_eos_token", false)
        .string("tokenizer.chat_template", CHAT_TEMPLATE);

    Random random = new Random(seed);
    int headDim = N_EMBD / N_HEAD;
    int kvDim = headDim * N_HEAD_KV;
    gguf.tensor("token_embd.weight", randoms(random, N_EMBD * vocab, 1f), N_EMBD, vocab);
    gguf.tensor("output_norm.weight", ones(N_EMBD), N_EMBD);
    // Output rows of control and byte tokens are zero, so greedy decoding prefers printable text
    // tokens: random bytes would otherwise form incomplete UTF-8 that llama.cpp holds back.
    float[] output = randoms(random, N_EMBD * vocab, 1f);
    for (int i = 0; i < FIRST_TEXT_TOKEN * N_EMBD; i++) {
      output[i] = 0f;
    }
    gguf.tensor("output.weight", output, N_EMBD, vocab);
    float scale = (float) (1 / Math.sqrt(N_EMBD));
    for (int layer = 0; layer < N_LAYER; layer++) {
      String p = "blk." + layer + ".";
      gguf.tensor(p + "attn_norm.weight", ones(N_EMBD), N_EMBD);
      gguf.tensor(p + "attn_q.weight", randoms(random, N_EMBD * N_EMBD, scale), N_EMBD, N_EMBD);
      gguf.tensor(p + "attn_k.weight", randoms(random, N_EMBD * kvDim, scale), N_EMBD, kvDim);
      gguf.tensor(p + "attn_v.weight", randoms(random, N_EMBD * kvDim, scale), N_EMBD, kvDim);
      gguf.tensor(p + "attn_output.weight", randoms(random, N_EMBD * N_EMBD, scale), N_EMBD, N_EMBD);
      gguf.tensor(p + "ffn_norm.weight", ones(N_EMBD), N_EMBD);
      gguf.tensor(p + "ffn_gate.weight", randoms(random, N_EMBD * N_FF, scale), N_EMBD, N_FF);
      gguf.tensor(p + "ffn_up.weight", randoms(random, N_EMBD * N_FF, scale), N_EMBD, N_FF);
      gguf.tensor(p + "ffn_down.weight", randoms(random, N_FF * N_EMBD, (float) (1 / Math.sqrt(N_FF))), N_FF, N_EMBD);
    }
    gguf.write(file);
    return file;
  }

  private static float[] randoms(Random random, int n, float scale) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian() * scale;
    }
    return values;
  }

  private static float[] ones(int n) {
    float[] values = new float[n];
    java.util.Arrays.fill(values, 1f);
    return values;
  }
}
