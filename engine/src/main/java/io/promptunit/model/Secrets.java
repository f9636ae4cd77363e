package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Keeps API keys out of everything PromptUnit prints or stores. */
@API(status = INTERNAL, since = "0.1")
public final class Secrets {

  /** Shorter values are not taken for keys: redacting them would blank ordinary words. */
  private static final int SHORTEST_KEY = 4;

  /** The keys of the providers' own variables in this process's environment. */
  private static final List<String> ENVIRONMENT_KEYS = Providers.ALL.stream().map(Provider::keyVariable)
      .map(System::getenv).filter(key -> key != null && key.strip().length() >= SHORTEST_KEY).map(String::strip)
      .toList();

  /**
   * Shapes of provider keys (each provider's, and generic ones), even partly masked ones that providers echo back in
   * error messages.
   */
  private static final List<Pattern> KEY_SHAPES = java.util.stream.Stream.concat(
      Providers.ALL.stream().map(Provider::keyShape),
      java.util.stream.Stream.of(Pattern.compile("\\b(sk|pk|key)-[A-Za-z0-9_*\\-.]{6,}"))).toList();

  /**
   * Keys PromptUnit has read: a configuration's environment need not be the process's, and
   * {@code promptunit.<provider>.api-key-env} names any variable.
   */
  private static final Set<String> REMEMBERED = ConcurrentHashMap.newKeySet();

  /** Each known key's copies: any case, with any whitespace (line breaks, spaces, zero-width) between its letters. */
  private static final Map<String, Pattern> COPIES = new ConcurrentHashMap<>();

  private static final String GAP = "[\\s\\p{Z}\\u200B\\u200C\\u200D\\u2060\\uFEFF]*";

  private Secrets() {}

  /**
   * Makes {@code key} one that is redacted wherever it appears, as the providers' own variables' keys are:
   * every key PromptUnit reads goes through here. Returns it.
   */
  static String remember(String key) {
    if (key != null && key.strip().length() >= SHORTEST_KEY) {
      REMEMBERED.add(key.strip());
    }
    return key;
  }

  /**
   * {@code text} with configured keys and anything shaped like a key replaced by {@code [redacted]}. A
   * configured key is found however an answer copies it: upper- or lower-cased, spaced out, split across
   * lines.
   */
  public static String redact(String text) {
    if (text == null) {
      return "";
    }
    String result = text;
    for (String key : knownKeys()) {
      result = COPIES.computeIfAbsent(key, Secrets::copies).matcher(result).replaceAll("[redacted]");
    }
    for (Pattern shape : KEY_SHAPES) {
      result = shape.matcher(result).replaceAll("[redacted]");
    }
    return result;
  }

  /** The keys known, longest first: a key inside a longer one must not leave the longer one's rest. */
  private static Set<String> knownKeys() {
    Set<String> keys = new TreeSet<>(java.util.Comparator.comparingInt(String::length).reversed()
        .thenComparing(java.util.Comparator.naturalOrder()));
    keys.addAll(REMEMBERED);
    keys.addAll(ENVIRONMENT_KEYS);
    return keys;
  }

  private static Pattern copies(String key) {
    return Pattern.compile(key.codePoints().mapToObj(c -> Pattern.quote(Character.toString(c)))
        .collect(Collectors.joining(GAP)), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  /**
   * A stand-in for {@code cause} whose message, and its causes' messages, are redacted: provider
   * exceptions may echo keys, and test reports print whole cause chains.
   */
  public static RuntimeException redactedCopy(Throwable cause) {
    if (cause == null) {
      return null;
    }
    RuntimeException copy = new RedactedCause(cause.getClass().getName() + ": " + redact(cause.getMessage()),
        redactedCopy(cause.getCause()));
    copy.setStackTrace(cause.getStackTrace());
    return copy;
  }

  /** A redacted copy of a provider exception; its message starts with the original exception's class name. */
  static final class RedactedCause extends RuntimeException {
    RedactedCause(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
