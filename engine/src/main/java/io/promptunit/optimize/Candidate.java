package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;
import java.util.Optional;

/**
 * A prompt the optimizer considered, with where it came from.
 *
 * @param id short stable id ({@code c0} is the checked-in prompt)
 * @param text the whole user-message template
 * @param parent the candidate it was derived from
 * @param origin the operation that made it: {@code original}, {@code edit}, {@code paraphrase}, {@code pe2}
 * @param rationale the critique or reasoning that produced it
 * @param round the round it was born in (0 for the original)
 */
@API(status = STABLE, since = "0.1")
public record Candidate(String id, String text, Optional<String> parent, String origin, String rationale, int round) {

  public static Candidate original(String text) {
    return new Candidate("c0", text, Optional.empty(), "original", "", 0);
  }
}
