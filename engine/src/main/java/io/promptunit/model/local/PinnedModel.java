package io.promptunit.model.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model file pinned by content: where to download it, the exact size and SHA-256 it must have, and
 * the licence it is distributed under. {@link ModelDownloader} accepts nothing else.
 *
 * @param name      human-readable name, e.g. {@code Qwen2.5-0.5B-Instruct (Q4_K_M)}
 * @param fileName  the file's name in the cache directory (no path separators)
 * @param url       where to download it; pin an immutable revision, not a moving branch
 * @param sha256    the expected SHA-256 of the whole file, 64 hex digits
 * @param size      the expected size in bytes
 * @param licence   the licence of the weights, e.g. {@code Apache-2.0}
 */
@API(status = INTERNAL, since = "0.1")
public record PinnedModel(String name, String fileName, URI url, String sha256, long size, String licence) {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public PinnedModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(licence, "licence");
    if (fileName.isBlank() || fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
      throw new IllegalArgumentException("fileName must be a plain file name, not \"" + fileName + "\"");
    }
    sha256 = sha256.toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 of " + fileName + " must be 64 hex digits, not \"" + sha256 + "\"");
    }
    if (size <= 0) {
      throw new IllegalArgumentException("size of " + fileName + " must be positive, not " + size);
    }
  }

  /** The size in decimal megabytes, e.g. {@code 491.4 MB}. */
  public String displaySize() {
    return ModelDownloader.megabytes(size) + " MB";
  }
}
