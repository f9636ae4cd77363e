package io.promptunit.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One of {@code count} disjoint parts of every suite, for spreading a run over a CI matrix
 * ({@code promptunit.shard=2/4}): an example belongs to the shard its stable id hashes to, so every
 * example is in exactly one shard, whatever the machine, the order of the file or the other
 * examples, and the shards of a suite are about equal in size.
 *
 * @param index 1-based, at most {@code count}
 */
@API(status = INTERNAL, since = "0.1")
public record Shard(int index, int count) {

  /** The whole suite. */
  public static final Shard ALL = new Shard(1, 1);

  public Shard {
    if (count < 1 || index < 1 || index > count) {
      throw new IllegalArgumentException("shard " + index + "/" + count
          + " does not exist: use i/n with 1 <= i <= n, e.g. 2/4");
    }
  }

  /**
   * {@code i/n}, e.g. {@code 2/4} ({@link Keys#SHARD}).
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static Shard parse(String text) {
    String[] parts = text.strip().split("/");
    try {
      if (parts.length == 2) {
        return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
      }
    } catch (NumberFormatException notNumbers) {
      // the message below
    }
    throw new IllegalArgumentException("it is not a shard");
  }

  public boolean isAll() {
    return count == 1;
  }

  /** Whether the example {@code exampleId} of suite {@code suiteName} belongs to this shard. */
  public boolean contains(String suiteName, String exampleId) {
    if (count == 1) {
      return true;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest((suiteName + "\n" + exampleId)
          .getBytes(StandardCharsets.UTF_8));
      long first4 = (digest[0] & 0xFFL) << 24 | (digest[1] & 0xFFL) << 16 | (digest[2] & 0xFFL) << 8
          | (digest[3] & 0xFFL);
      long bucket = first4 % count;
      return bucket == index - 1;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
