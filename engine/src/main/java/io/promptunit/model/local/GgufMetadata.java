package io.promptunit.model.local;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata key/value pairs of a GGUF file (versions 2 and 3), read without loading the model:
 * scalars and strings are kept, arrays (the vocabulary, merges, ...) are skipped and recorded only by
 * their length. Used to reject files that are not GGUF before they reach native code, and to learn
 * what llama.cpp will do with a model (architecture, context length, whether it adds a BOS token,
 * whether it carries a chat template).
 */
final class GgufMetadata {

  private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
  private static final int MAX_STRING = 64 << 20;

  private final int version;
  private final long tensorCount;
  private final Map<String, Object> values;

  private GgufMetadata(int version, long tensorCount, Map<String, Object> values) {
    this.version = version;
    this.tensorCount = tensorCount;
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Reads the metadata of {@code file}.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it is not a GGUF file of a supported version, or is truncated
   */
  public static GgufMetadata read(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
         DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      int magic;
      try {
        magic = u32(in);
      } catch (EOFException e) {
        throw new IllegalArgumentException(file + " is not a GGUF model file: it is shorter than a GGUF header");
      }
      if (magic != MAGIC) {
        throw new IllegalArgumentException(file + " is not a GGUF model file: it does not start with \"GGUF\"");
      }
      try {
        int version = u32(in);
        if (version < 2 || version > 3) {
          throw new IllegalArgumentException(file + " is GGUF version " + version
              + "; llama.cpp reads versions 2 and 3");
        }
        long tensorCount = u64(in);
        long kvCount = u64(in);
        if (kvCount < 0 || kvCount > 1_000_000) {
          throw new IllegalArgumentException(file + " is a corrupt GGUF file (" + kvCount + " metadata entries)");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
          String key = string(in, file);
          values.put(key, value(in, u32(in), file, key));
        }
        return new GgufMetadata(version, tensorCount, values);
      } catch (EOFException e) {
        throw new IllegalArgumentException(file + " is a truncated GGUF file (it ends inside its metadata)");
      }
    }
  }

  private static Object value(DataInputStream in, int type, Path file, String key) throws IOException {
    switch (type) {
      case 0: return (long) in.readUnsignedByte();
      case 1: return (long) in.readByte();
      case 2: return (long) (Short.reverseBytes(in.readShort()) & 0xffff);
      case 3: return (long) Short.reverseBytes(in.readShort());
      case 4: return u32(in) & 0xffff_ffffL;
      case 5: return (long) u32(in);
      case 6: return Float.intBitsToFloat(u32(in));
      case 7: return in.readByte() != 0;
      case 8: return string(in, file);
      case 9: return skipArray(in, file, key);
      case 10:
      case 11: return u64(in);
      case 12: return Double.longBitsToDouble(u64(in));
      default: throw new IllegalArgumentException(file + " is a corrupt GGUF file (unknown value type " + type
          + " of " + key + ")");
    }
  }

  /** Skips an array value and returns its length. */
  private static Long skipArray(DataInputStream in, Path file, String key) throws IOException {
    int elementType = u32(in);
    long count = u64(in);
    if (count < 0) {
      throw new IllegalArgumentException(file + " is a corrupt GGUF file (array " + key + " of negative length)");
    }
    int width = switch (elementType) {
      case 0, 1, 7 -> 1;
      case 2, 3 -> 2;
      case 4, 5, 6 -> 4;
      case 10, 11, 12 -> 8;
      default -> 0;
    };
    if (width > 0) {
      in.skipNBytes(count * width);
    } else {
      for (long i = 0; i < count; i++) {
        value(in, elementType, file, key);
      }
    }
    return count;
  }

  private static String string(DataInputStream in, Path file) throws IOException {
    long length = u64(in);
    if (length < 0 || length > MAX_STRING) {
      throw new IllegalArgumentException(file + " is a corrupt GGUF file (a string of " + length + " bytes)");
    }
    byte[] bytes = in.readNBytes((int) length);
    if (bytes.length != length) {
      throw new EOFException();
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static long u64(DataInputStream in) throws IOException {
    return Long.reverseBytes(in.readLong());
  }

  private static int u32(DataInputStream in) throws IOException {
    return Integer.reverseBytes(in.readInt());
  }

  public int version() {
    return version;
  }

  public long tensorCount() {
    return tensorCount;
  }

  /** All scalar and string values by key; an array is represented by its length as a {@code Long}. */
  public Map<String, Object> values() {
    return values;
  }

  public Optional<String> string(String key) {
    Object value = values.get(key);
    return value instanceof String s ? Optional.of(s) : Optional.empty();
  }

  public Optional<Long> number(String key) {
    Object value = values.get(key);
    return value instanceof Number n && !(value instanceof Float || value instanceof Double)
        ? Optional.of(n.longValue()) : Optional.empty();
  }

  public Optional<Boolean> bool(String key) {
    Object value = values.get(key);
    return value instanceof Boolean b ? Optional.of(b) : Optional.empty();
  }

  /** {@code general.architecture}, e.g. {@code llama} or {@code qwen2}. */
  public Optional<String> architecture() {
    return string("general.architecture");
  }

  /** {@code general.name}, if the file has one. */
  public Optional<String> name() {
    return string("general.name");
  }

  /** The context length the model was trained for ({@code <architecture>.context_length}). */
  public Optional<Long> contextLength() {
    return architecture().flatMap(arch -> number(arch + ".context_length"));
  }

  /** Whether the file carries a chat template ({@code tokenizer.chat_template}). */
  public boolean hasChatTemplate() {
    return string("tokenizer.chat_template").isPresent();
  }

  /**
   * Whether llama.cpp puts a BOS token before a prompt it tokenizes: {@code tokenizer.ggml.add_bos_token}
   * when present, else llama.cpp's default for the tokenizer type (true for SentencePiece
   * {@code llama} and WordPiece {@code bert} vocabularies, false otherwise).
   */
  public boolean addsBos() {
    return bool("tokenizer.ggml.add_bos_token").orElseGet(() -> {
      String model = string("tokenizer.ggml.model").orElse("");
      return model.equals("llama") || model.equals("bert");
    });
  }
}
