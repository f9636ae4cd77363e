package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import io.promptunit.suite.Template;

/**
 * What every candidate must keep: exactly the original template's variables (so every example
 * still renders), every frozen passage verbatim, and a sane length.
 */
@API(status = INTERNAL, since = "0.1")
public final class CandidateRules {

  private final Set<String> variables;
  private final List<String> frozen;
  private final int maxChars;

  public CandidateRules(Template original, List<String> frozen) {
    this.variables = new TreeSet<>(original.variables());
    this.frozen = List.copyOf(frozen);
    this.maxChars = Math.max(2000, original.text().length() * 4);
  }

  public List<String> frozen() {
    return frozen;
  }

  public Set<String> variables() {
    return variables;
  }

  public int maxChars() {
    return maxChars;
  }

  /** Why {@code text} is not an acceptable candidate, if it is not. */
  public Optional<String> violation(String text) {
    if (text.isBlank()) {
      return Optional.of("empty prompt");
    }
    if (text.length() > maxChars) {
      return Optional.of("too long (" + text.length() + " characters, limit " + maxChars + ")");
    }
    Set<String> found = new TreeSet<>(new Template("candidate", text).variables());
    if (!found.equals(variables)) {
      Set<String> missing = new TreeSet<>(variables);
      missing.removeAll(found);
      Set<String> extra = new TreeSet<>(found);
      extra.removeAll(variables);
      return Optional.of("template variables changed" + (missing.isEmpty() ? "" : "; dropped " + braces(missing))
          + (extra.isEmpty() ? "" : "; added " + braces(extra)));
    }
    for (String passage : frozen) {
      if (!text.contains(passage)) {
        return Optional.of("frozen passage changed: \""
            + (passage.length() > 60 ? passage.substring(0, 60) + "…" : passage) + "\"");
      }
    }
    return Optional.empty();
  }

  private static String braces(Set<String> names) {
    return names.stream().map(n -> "{{" + n + "}}").reduce((a, b) -> a + ", " + b).orElse("");
  }
}
