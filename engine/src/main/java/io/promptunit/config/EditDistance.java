package io.promptunit.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Collection;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * How far apart two names are, for "did you mean ...?" in messages: a misspelt setting, a misspelt
 * example id.
 */
@API(status = INTERNAL, since = "0.1")
public final class EditDistance {

  private EditDistance() {}

  /** Optimal string alignment distance: insertions, deletions, substitutions and transpositions of neighbours. */
  public static int between(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /**
   * The candidate nearest to {@code target} (the first of equally near ones), when it is at most
   * {@code most} edits away.
   */
  public static Optional<String> closest(String target, Collection<String> candidates, int most) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = between(target, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= most ? Optional.ofNullable(best) : Optional.empty();
  }
}
