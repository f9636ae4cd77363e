package io.promptunit.model.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal writer of GGUF version 3 files (the format llama.cpp loads): header, metadata key/value
 * pairs, tensor infos and aligned little-endian tensor data. Only what the tests need: scalar, string and
 * array metadata, and F32 tensors.
 *
 * <p>Layout (all little-endian): {@code "GGUF"}, {@code u32 version}, {@code u64 tensor count},
 * {@code u64 kv count}; each kv is {@code string key, u32 type, value}; each tensor info is
 * {@code string name, u32 n_dims, u64[n_dims] ne (innermost first), u32 ggml type, u64 offset}; then
 * padding to {@code general.alignment} (32) and the tensor data, each tensor starting aligned.
 * A string is {@code u64 length} + UTF-8 bytes.
 */
final class GgufWriter {

  static final int ALIGNMENT = 32;

  // gguf_type
  private static final int UINT32 = 4;
  private static final int INT32 = 5;
  private static final int FLOAT32 = 6;
  private static final int BOOL = 7;
  private static final int STRING = 8;
  private static final int ARRAY = 9;
  // ggml_type
  private static final int GGML_TYPE_F32 = 0;

  private final Map<String, Object> metadata = new LinkedHashMap<>();
  private final List<Tensor> tensors = new ArrayList<>();

  private record Tensor(String name, long[] ne, float[] data) {}

  private record Uint32(long value) {}

  GgufWriter string(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  GgufWriter uint32(String key, long value) {
    metadata.put(key, new Uint32(value));
    return this;
  }

  GgufWriter float32(String key, float value) {
    metadata.put(key, value);
    return this;
  }

  GgufWriter bool(String key, boolean value) {
    metadata.put(key, value);
    return this;
  }

  GgufWriter strings(String key, List<String> values) {
    metadata.put(key, values.toArray(new String[0]));
    return this;
  }

  GgufWriter floats(String key, float[] values) {
    metadata.put(key, values.clone());
    return this;
  }

  GgufWriter ints(String key, int[] values) {
    metadata.put(key, values.clone());
    return this;
  }

  /** An F32 tensor; {@code ne} lists dimensions innermost first, as ggml does. */
  GgufWriter tensor(String name, float[] data, long... ne) {
    long count = 1;
    for (long n : ne) {
      count *= n;
    }
    if (count != data.length) {
      throw new IllegalArgumentException(name + ": " + data.length + " values for shape of " + count);
    }
    tensors.add(new Tensor(name, ne.clone(), data));
    return this;
  }

  void write(Path file) throws IOException {
    Buf out = new Buf();
    out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
    out.u32(3);
    out.u64(tensors.size());
    out.u64(metadata.size());
    for (Map.Entry<String, Object> kv : metadata.entrySet()) {
      out.string(kv.getKey());
      writeValue(out, kv.getValue());
    }
    long offset = 0;
    List<Long> offsets = new ArrayList<>();
    for (Tensor t : tensors) {
      out.string(t.name());
      out.u32(t.ne().length);
      for (long n : t.ne()) {
        out.u64(n);
      }
      out.u32(GGML_TYPE_F32);
      out.u64(offset);
      offsets.add(offset);
      offset = align(offset + 4L * t.data().length);
    }
    out.pad();
    long dataStart = out.size();
    for (int i = 0; i < tensors.size(); i++) {
      while (out.size() - dataStart < offsets.get(i)) {
        out.u8(0);
      }
      for (float f : tensors.get(i).data()) {
        out.f32(f);
      }
    }
    out.pad();
    try (OutputStream stream = Files.newOutputStream(file)) {
      stream.write(out.array(), 0, out.size());
    }
  }

  private static long align(long n) {
    return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  private static void writeValue(Buf out, Object value) {
    if (value instanceof String s) {
      out.u32(STRING);
      out.string(s);
    } else if (value instanceof Uint32 u) {
      out.u32(UINT32);
      out.u32((int) u.value());
    } else if (value instanceof Float f) {
      out.u32(FLOAT32);
      out.f32(f);
    } else if (value instanceof Boolean b) {
      out.u32(BOOL);
      out.u8(b ? 1 : 0);
    } else if (value instanceof String[] array) {
      out.u32(ARRAY);
      out.u32(STRING);
      out.u64(array.length);
      for (String s : array) {
        out.string(s);
      }
    } else if (value instanceof float[] array) {
      out.u32(ARRAY);
      out.u32(FLOAT32);
      out.u64(array.length);
      for (float f : array) {
        out.f32(f);
      }
    } else if (value instanceof int[] array) {
      out.u32(ARRAY);
      out.u32(INT32);
      out.u64(array.length);
      for (int i : array) {
        out.u32(i);
      }
    } else {
      throw new IllegalArgumentException("unsupported metadata value " + value);
    }
  }

  /** A growable little-endian byte buffer. */
  private static final class Buf {
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    private void ensure(int extra) {
      if (buffer.remaining() < extra) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + extra))
            .order(ByteOrder.LITTLE_ENDIAN);
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
      }
    }

    void u8(int v) {
      ensure(1);
      buffer.put((byte) v);
    }

    void u32(int v) {
      ensure(4);
      buffer.putInt(v);
    }

    void u64(long v) {
      ensure(8);
      buffer.putLong(v);
    }

    void f32(float v) {
      ensure(4);
      buffer.putFloat(v);
    }

    void bytes(byte[] b) {
      ensure(b.length);
      buffer.put(b);
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u64(b.length);
      bytes(b);
    }

    void pad() {
      while (buffer.position() % ALIGNMENT != 0) {
        u8(0);
      }
    }

    int size() {
      return buffer.position();
    }

    byte[] array() {
      return buffer.array();
    }
  }
}
