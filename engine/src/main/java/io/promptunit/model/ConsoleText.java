package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Text as PromptUnit prints it: model answers and servers' messages may hold terminal control
 * sequences ({@code ESC[2K}, a carriage return, a bell, a bidirectional override) that would rewrite
 * the user's console or hide what was really answered. They are shown as Java writes them in a
 * string (a backslash, {@code u} and four hex digits; {@code \r} for a carriage return), so that
 * what was answered is exactly what is read. Line breaks and tabs stay.
 */
@API(status = INTERNAL, since = "0.1")
public final class ConsoleText {

  private ConsoleText() {}

  /** {@code text} with every control character but line feed and tab written as an escape; null as {@code ""}. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    int first = 0;
    while (first < text.length() && !isControl(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isControl(c)) {
        escaped.append(c);
      } else if (c == '\r') {
        escaped.append("\\r");
      } else {
        escaped.append(String.format(java.util.Locale.ROOT, "\\u%04X", (int) c));
      }
    }
    return escaped.toString();
  }

  /**
   * C0 and C1 control characters (the C1 range holds an 8-bit CSI, {@code U+009B}), DEL, and the
   * bidirectional embeddings, overrides and isolates, which reorder what a terminal shows.
   */
  private static boolean isControl(char c) {
    return c < 0x20 && c != '\n' && c != '\t'
        || c >= 0x7F && c <= 0x9F
        || c >= 0x202A && c <= 0x202E
        || c >= 0x2066 && c <= 0x2069;
  }
}
