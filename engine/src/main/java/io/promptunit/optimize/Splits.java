package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import io.promptunit.Example;
import io.promptunit.Split;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Train, dev and test examples. Optimizers only see train errors; selection uses dev (train when
 * there is no dev); the verdict uses the held-out test split (dev when there is no test).
 * Examples without a split in the file are assigned by a hash of their id and the seed, so the
 * assignment is stable across runs and independent of file order.
 */
@API(status = INTERNAL, since = "0.1")
public record Splits(List<Example> train, List<Example> dev, List<Example> test) {

  public Splits {
    train = List.copyOf(train);
    dev = List.copyOf(dev);
    test = List.copyOf(test);
  }

  public static Splits of(List<Example> examples, double trainFraction, double devFraction, long seed) {
    if (trainFraction <= 0 || devFraction < 0 || trainFraction + devFraction > 1) {
      throw new IllegalArgumentException("split fractions must satisfy 0 < train, 0 <= dev, train + dev <= 1 (got "
          + trainFraction + ", " + devFraction + ")");
    }
    List<Example> train = new ArrayList<>();
    List<Example> dev = new ArrayList<>();
    List<Example> test = new ArrayList<>();
    for (Example example : examples) {
      Split split = example.split().orElseGet(() -> {
        double u = unitHash(example.id(), seed);
        return u < trainFraction ? Split.TRAIN : u < trainFraction + devFraction ? Split.DEV : Split.TEST;
      });
      switch (split) {
        case TRAIN -> train.add(example);
        case DEV -> dev.add(example);
        default -> test.add(example);
      }
    }
    return new Splits(train, dev, test);
  }

  /** Where candidates are compared. */
  public List<Example> selection() {
    return dev.isEmpty() ? train : dev;
  }

  /**
   * Where the verdict is given: the test split, examples the optimizer neither learned from nor
   * selected on. (Never dev: dev chose the prompt, so it cannot judge it.)
   */
  public List<Example> heldOut() {
    return test;
  }

  public String heldOutName() {
    return "test";
  }

  public String selectionName() {
    return dev.isEmpty() ? "train" : "dev";
  }

  static double unitHash(String id, long seed) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest((seed + ":" + id).getBytes(StandardCharsets.UTF_8));
      long bits = 0;
      for (int i = 0; i < 7; i++) {
        bits = (bits << 8) | (digest[i] & 0xff);
      }
      return bits / (double) (1L << 56);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
