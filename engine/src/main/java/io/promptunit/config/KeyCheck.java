package io.promptunit.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds keys that are not PromptUnit's but look meant for it: unknown {@code promptunit.*} keys and
 * {@code PROMPTUNIT_*} environment variables, misspelt prefixes ({@code promtunit.model}) and keys
 * with look-alike letters (a Cyrillic {@code о} in {@code model}); each problem names the closest
 * valid key, so that a misspelt setting never passes silently.
 */
final class KeyCheck {

  private static final String PREFIX = "promptunit";

  /** Letters of other scripts that look like Latin ones, as they are commonly confused. */
  private static final Map<Character, Character> LOOK_ALIKES = Map.ofEntries(
      Map.entry('а', 'a'), Map.entry('е', 'e'), Map.entry('о', 'o'), Map.entry('р', 'p'), Map.entry('с', 'c'),
          Map.entry('у', 'y'),
      Map.entry('х', 'x'), Map.entry('і', 'i'), Map.entry('ј', 'j'), Map.entry('ѕ', 's'), Map.entry('ԁ', 'd'),
          Map.entry('һ', 'h'),
      Map.entry('к', 'k'), Map.entry('м', 'm'), Map.entry('т', 't'), Map.entry('н', 'h'), Map.entry('в', 'b'),
          Map.entry('ɡ', 'g'),
      Map.entry('ο', 'o'), Map.entry('α', 'a'), Map.entry('ν', 'v'), Map.entry('ρ', 'p'), Map.entry('τ', 't'),
          Map.entry('ι', 'i'),
      Map.entry('κ', 'k'), Map.entry('ε', 'e'), Map.entry('υ', 'u'), Map.entry('‐', '-'), Map.entry('‑', '-'),
          Map.entry('–', '-'));

  private final List<KeyFamily> families;
  private final List<String> candidates = new ArrayList<>();

  KeyCheck(List<KeyFamily> families) {
    this.families = families;
    candidates.addAll(Configuration.declaredKeys());
    families.forEach(family -> candidates.addAll(family.members()));
  }

  /** The problem with a key of the launcher's parameters, system properties or junit-platform.properties, if any. */
  Optional<ConfigurationProblem> primaryKey(String key, String where) {
    if (isKnown(key)) {
      return Optional.empty();
    }
    String written = asWritten(key);
    String folded = fold(written);
    if (!key.startsWith(PREFIX + ".") && !looksLikeOurs(written, folded)) {
      return Optional.empty();
    }
    Optional<String> closest = closest(folded);
    String lookAlike = lookAlikeNote(written);
    return Optional.of(new ConfigurationProblem(key, "Unknown setting " + written + " (" + where + ")" + lookAlike
        + closest.map(c -> ": did you mean " + c + "?").orElse(": PromptUnit has no such setting.")
        + " Every setting is listed in io.promptunit.config.Keys and in the README's settings table."));
  }

  /**
   * The problem with an environment variable, if it looks meant for PromptUnit and is not one of its
   * settings: an error when it resembles one (a typo), else a warning (a variable of something else
   * that happens to share the prefix). Names are compared ignoring case, as Windows does.
   */
  Optional<ConfigurationProblem> environmentName(String name) {
    String folded = fold(name).toUpperCase(Locale.ROOT);
    if (!looksLikeOurs(name, folded.toLowerCase(Locale.ROOT))) {
      return Optional.empty();
    }
    boolean known = candidates.stream().anyMatch(key -> Configuration.environmentName(key).equals(folded))
        || families.stream().anyMatch(family -> family.coversEnvironment(folded));
    if (known) {
      return Optional.empty();
    }
    Map<String, String> keyOfVariable = new LinkedHashMap<>();
    candidates.forEach(key -> keyOfVariable.putIfAbsent(Configuration.environmentName(key), key));
    Optional<String> closest =
        EditDistance.closest(folded, keyOfVariable.keySet(), tolerance(name)).map(keyOfVariable::get);
    return Optional.of(new ConfigurationProblem(name, (closest.isPresent() ? "Unknown environment variable "
        : "Ignored environment variable ")
        + name + lookAlikeNote(name)
        + closest.map(c -> ": did you mean " + Configuration.environmentName(c) + " (" + c + ")?")
            .orElse(": PromptUnit has no such setting.")
        + " Every setting is listed in io.promptunit.config.Keys and in the README's settings table.",
            closest.isPresent()));
  }

  /**
   * The key as its author wrote it: {@code junit-platform.properties} is read as ISO-8859-1, so a
   * key typed in UTF-8 with a letter of another alphabet arrives as two Latin-1 characters each
   * ({@code о} as {@code Ð¾}); such a key is shown decoded, as it stands in the file.
   */
  static String asWritten(String key) {
    if (key.chars().allMatch(c -> c < 256) && key.chars().anyMatch(c -> c >= 128)) {
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(key.getBytes(StandardCharsets.ISO_8859_1))).toString();
      } catch (CharacterCodingException notUtf8) {
        return key;
      }
    }
    return key;
  }

  /**
   * Whether a key not starting with {@code promptunit.} is still meant for PromptUnit: its first
   * part (up to a dot, dash or underscore) is {@code promptunit} with one letter wrong, missing,
   * extra or swapped, or with look-alike letters of another alphabet ({@code PROMPTUNIT_MODEL} and
   * {@code promptunit_model} written where a key belongs, {@code promtunit.model}).
   */
  private static boolean looksLikeOurs(String written, String folded) {
    String[] parts = folded.split("[._-]", 2);
    String first = parts[0];
    boolean lookAlike = !written.chars().allMatch(c -> c < 128) && first.equals(PREFIX);
    return parts.length == 2 && (EditDistance.between(first, PREFIX) <= 1 || lookAlike);
  }

  private boolean isKnown(String key) {
    return Configuration.declaredKeys().contains(key) || families.stream().anyMatch(family -> family.covers(key));
  }

  private Optional<String> closest(String folded) {
    return EditDistance.closest(folded, candidates, tolerance(folded));
  }


  /**
   * How many edits a key may be from a valid one and still be taken for it: one per four letters
   * after the prefix, at least one.
   */
  private static int tolerance(String key) {
    return Math.max(1, (key.length() - PREFIX.length() - 1) / 4);
  }

  /** " (it contains 'о', U+043E CYRILLIC SMALL LETTER O, which looks like 'o')" for each look-alike, else empty. */
  private static String lookAlikeNote(String key) {
    StringBuilder note = new StringBuilder();
    key.codePoints().filter(c -> c > 127).distinct().forEach(c -> {
      note.append(note.length() == 0 ? " (it contains " : ", ").append('\'').appendCodePoint(c).append("', U+")
          .append(String.format(Locale.ROOT, "%04X", c)).append(' ').append(Character.getName(c));
      Character latin = c <= 0xFFFF ? LOOK_ALIKES.get((char) c) : null;
      if (latin != null) {
        note.append(", which looks like '").append(latin).append('\'');
      }
    });
    return note.length() == 0 ? "" : note.append(")").toString();
  }

  /** The key with compatibility forms normalized, look-alike letters replaced by their Latin twins, in lower case. */
  static String fold(String key) {
    String normalized = Normalizer.normalize(key, Normalizer.Form.NFKC);
    StringBuilder folded = new StringBuilder(normalized.length());
    for (char c : normalized.toCharArray()) {
      char lower = Character.toLowerCase(c);
      folded.append(LOOK_ALIKES.getOrDefault(lower, lower));
    }
    return folded.toString();
  }

}
