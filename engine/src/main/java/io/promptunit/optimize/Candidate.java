package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import java.util.Optional;

/**
 * A prompt the optimizer considered, with where it came from.
 *
 * @param ordinal the order of its making, 0 for the checked-in prompt; ties in ranking go to the older
 * @param id short stable id, {@code c<ordinal>} ({@code c0} is the checked-in prompt)
 * @param text the whole user-message template
 * @param parent the candidate it was derived from
 * @param origin the operation that made it: {@code original}, {@code edit}, {@code paraphrase}, {@code pe2}
 * @param rationale the critique or reasoning that produced it
 * @param round the round it was born in (0 for the original)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Candidate(int ordinal, String id, String text, Optional<String> parent, String origin,
    String rationale, int round) {

  public static Candidate original(String text) {
    return made(0, text, Optional.empty(), "original", "", 0);
  }

  /** The candidate made {@code ordinal}-th, with its id {@code c<ordinal>}. */
  public static Candidate made(int ordinal, String text, Optional<String> parent, String origin,
      String rationale, int round) {
    return new Candidate(ordinal, "c" + ordinal, text, parent, origin, rationale, round);
  }
}
