package io.promptunit.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Surefire's {@code -Dtest=Class#method} patterns, applied to examples: {@code -Dtest=RouterPromptTest#refund-1}
 * runs that example. Surefire itself can only filter tests whose source is a Java method, and an
 * example's source is its line in the examples file (so that IDEs jump there); the engine therefore
 * reads the same {@code test} property that Maven passes to the test JVM and selects the examples
 * whose id matches.
 *
 * <p>The syntax is Surefire's: comma-separated entries {@code [!]ClassPattern[#idPattern[+idPattern…]]};
 * class patterns match the simple or qualified name ({@code RouterPromptTest}, {@code com.acme.Router*},
 * {@code **&#47;Router*Test}); {@code *} and {@code ?} are wildcards in both parts; {@code !} excludes.
 * Entries without {@code #} do not restrict examples; {@code %regex[…]} entries are left to Surefire. An entry
 * whose class part has no wildcard names its suites, so its id patterns must match an example of one of them
 * ({@link #namedIds}; the resolver reports one that does not).
 */
final class MethodPatterns {

  /** The property Maven's {@code -Dtest=...} sets in the test JVM. */
  static final String PROPERTY = "test";

  /**
   * @param text the entry as written, without its {@code !}
   * @param className its class part as written
   * @param idTexts the id patterns as written
   */
  private record Entry(boolean exclude, Pattern type, List<Pattern> ids, String text, String className,
      List<String> idTexts) {

    /** Whether the class part has no wildcard: it names classes, not a kind of them. */
    boolean namesClasses() {
      return !className.isBlank() && !wildcard(className);
    }

    /** Whether the class part is a simple name, which classes of several packages may have. */
    boolean bySimpleName() {
      return !className.replaceFirst("\\.(java|class)$", "").contains(".") && !className.contains("/");
    }
  }

  /**
   * An id pattern of an entry that names its classes without wildcards ({@code RouterPromptTest#refund-1},
   * {@code com.acme.RouterPromptTest#refund-*}): a pattern that matches no example of any suite its entry names is a
   * mistake worth an error, while one whose classes are a wildcard may well name a Java test's method instead.
   *
   * @param pattern the id pattern as written
   * @param entry its entry as written
   * @param literal whether the pattern has no wildcard
   * @param bySimpleName whether the entry names classes by their simple name (so classes of several packages)
   */
  record NamedIds(String pattern, String entry, boolean literal, boolean bySimpleName, Pattern ids, Pattern type) {

    boolean matches(String id) {
      return ids.matcher(id).matches();
    }

    /** Whether the entry names suite {@code className}. */
    boolean names(String className) {
      return MethodPatterns.matches(type, className);
    }
  }

  private final List<Entry> entries;

  private MethodPatterns(List<Entry> entries) {
    this.entries = entries;
  }

  static MethodPatterns parse(Optional<String> value) {
    List<Entry> entries = new ArrayList<>();
    for (String raw : value.orElse("").split(",")) {
      String text = raw.strip();
      if (text.isEmpty() || text.contains("%regex[") || text.contains("%ant[")) {
        continue;
      }
      boolean exclude = text.startsWith("!");
      if (exclude) {
        text = text.substring(1).strip();
      }
      int hash = text.indexOf('#');
      String type = hash < 0 ? text : text.substring(0, hash);
      List<Pattern> ids = new ArrayList<>();
      List<String> idTexts = new ArrayList<>();
      if (hash >= 0) {
        for (String id : text.substring(hash + 1).split("\\+")) {
          if (!id.isBlank()) {
            ids.add(Pattern.compile(glob(id.strip(), false)));
            idTexts.add(id.strip());
          }
        }
      }
      entries.add(new Entry(exclude, typePattern(type), List.copyOf(ids), text, type.strip(), List.copyOf(idTexts)));
    }
    return new MethodPatterns(List.copyOf(entries));
  }

  /** Whether the patterns name examples of {@code className} at all (else every example runs). */
  boolean restricts(String className) {
    return entries.stream().anyMatch(entry -> !entry.ids().isEmpty() && matches(entry.type(), className));
  }

  /** Whether the patterns choose examples of {@code className} (an include naming ids), not only leave some out. */
  boolean names(String className) {
    return entries.stream().anyMatch(entry -> !entry.exclude() && !entry.ids().isEmpty() && matches(entry.type(),
        className));
  }

  /** The id patterns of entries that name {@code className} without a wildcard in their class part. */
  List<NamedIds> namedIds(String className) {
    List<NamedIds> named = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry.exclude() || !entry.namesClasses() || !matches(entry.type(), className)) {
        continue;
      }
      for (int i = 0; i < entry.ids().size(); i++) {
        named.add(new NamedIds(entry.idTexts().get(i), entry.text(), !wildcard(entry.idTexts().get(i)),
            entry.bySimpleName(), entry.ids().get(i), entry.type()));
      }
    }
    return named;
  }

  private static boolean wildcard(String pattern) {
    return pattern.contains("*") || pattern.contains("?");
  }

  /** Whether the example {@code id} of suite {@code className} is selected. */
  boolean selects(String className, String id) {
    boolean included = false;
    boolean anyInclude = false;
    for (Entry entry : entries) {
      if (!matches(entry.type(), className)) {
        continue;
      }
      boolean idMatches = entry.ids().isEmpty() || entry.ids().stream().anyMatch(p -> p.matcher(id).matches());
      if (entry.exclude()) {
        if (!entry.ids().isEmpty() && idMatches) {
          return false;
        }
      } else {
        anyInclude = true;
        included |= idMatches;
      }
    }
    return !anyInclude || included;
  }

  private static boolean matches(Pattern type, String className) {
    return type.matcher(className.replace('.', '/')).matches();
  }

  /** {@code RouterTest}, {@code com.acme.RouterTest}, {@code com/acme/RouterTest.java} or {@code **&#47;Router*}. */
  private static Pattern typePattern(String type) {
    String text = type.strip();
    if (text.isEmpty()) {
      return Pattern.compile(".*");
    }
    for (String suffix : new String[] {".java", ".class"}) {
      if (text.endsWith(suffix)) {
        text = text.substring(0, text.length() - suffix.length());
      }
    }
    text = text.replace('.', '/');
    if (!text.contains("/")) {
      text = "**/" + text;
    }
    return Pattern.compile(glob(text, true));
  }

  /** A glob as a regular expression; in paths {@code *} stays within one segment and {@code **&#47;} spans any. */
  private static String glob(String glob, boolean path) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (path && glob.startsWith("**/", i)) {
        regex.append("(?:.*/)?");
        i += 2;
      } else if (path && glob.startsWith("**", i)) {
        regex.append(".*");
        i += 1;
      } else if (c == '*') {
        regex.append(path ? "[^/]*" : ".*");
      } else if (c == '?') {
        regex.append(path ? "[^/]" : ".");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }
}
