package io.promptunit.junit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A model id as it appears in the name of a per-model file or folder (a model's baseline
 * {@code <suite>@<model>.baseline.json}, its optimization folder {@code <suite>/<model>/}), so that two models never
 * share one.
 *
 * <p>An id of lower-case letters, digits, {@code .}, {@code _} and {@code -} (not starting or ending with a dot, at
 * most {@value #MOST} characters) is its own name. Any other id is written with every character other than letters,
 * digits, {@code .}, {@code _} and {@code -} (and a leading dot) as {@code _}, then {@code ~} and the first 8 hex
 * digits of the SHA-256 of the exact id: {@code openai:gpt-4o-mini} is {@code openai_gpt-4o-mini~e5e557aa}. So ids
 * written alike once their characters are replaced ({@code a b}, {@code a_b}), and ids differing only in case (one
 * file on a case-insensitive file system), get names of their own; a name with {@code ~} comes only from a hashed
 * id. The name depends on the id alone, so it is the same in every run and on every machine.
 */
final class ModelFileName {

  /** The longest id kept as it is, and the longest readable part of a hashed one: file names stay short. */
  static final int MOST = 100;

  private static final Pattern KEPT = Pattern.compile("[a-z0-9_-]([a-z0-9._-]*[a-z0-9_-])?");
  private static final Pattern REPLACED = Pattern.compile("[^A-Za-z0-9._-]");

  private ModelFileName() {}

  /** {@code model}'s part of a file name. */
  static String of(String model) {
    if (model.length() <= MOST && KEPT.matcher(model).matches()) {
      return model;
    }
    // a leading dot would hide the file, or with another make the parent folder
    String readable = REPLACED.matcher(model).replaceAll("_").replaceFirst("^\\.", "_");
    return readable.substring(0, Math.min(readable.length(), MOST)) + "~" + hash(model);
  }

  /** The first 8 hex digits of the SHA-256 of {@code model}'s UTF-8 bytes. */
  private static String hash(String model) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(model.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
