package io.promptunit.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.Locale;

/** How model answers are cached in a suite's cassette ({@code promptunit.cache}). */
@API(status = INTERNAL, since = "0.1")
public enum CacheMode {
  /** Always call the model; read and write nothing. */
  OFF,
  /** Answer from the cassette when recorded, otherwise call the model and record the answer. The default. */
  READ_WRITE,
  /** Answer only from the cassette; an unrecorded request fails its example and no model is ever called. For CI. */
  REPLAY,
  /** Always call the model and record (overwrite) the answer. */
  RECORD;

  public static CacheMode parse(String text) {
    String normalized = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (CacheMode mode : values()) {
      if (mode.name().equals(normalized)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("promptunit.cache=" + text
        + " is not a cache mode; use off, read-write, replay or record.");
  }

  public boolean reads() {
    return this == READ_WRITE || this == REPLAY;
  }

  public boolean writes() {
    return this == READ_WRITE || this == RECORD;
  }
}
