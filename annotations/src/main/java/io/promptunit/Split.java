package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/** Which part of the data an example belongs to: optimizers learn from TRAIN, select on DEV, and are judged on TEST. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Split {
  TRAIN,
  DEV,
  TEST;

  /** Parses {@code train}, {@code dev} (or {@code validation}) and {@code test}, ignoring case. */
  public static Optional<Split> parse(String text) {
    switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "train":
        return Optional.of(TRAIN);
      case "dev":
      case "validation":
      case "val":
        return Optional.of(DEV);
      case "test":
        return Optional.of(TEST);
      default:
        return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
