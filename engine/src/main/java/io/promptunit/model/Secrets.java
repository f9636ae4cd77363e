package io.promptunit.model;

import java.util.List;
import java.util.regex.Pattern;

/** Keeps API keys out of everything PromptUnit prints or stores. */
public final class Secrets {

  private static final List<String> KEY_VARIABLES = List.of("OPENAI_API_KEY", "ANTHROPIC_API_KEY");

  /** Shapes of provider keys, even partly masked ones that providers echo back in error messages. */
  private static final Pattern KEY_SHAPED = Pattern.compile("\\b(sk|sk-ant|sk-proj|pk|key)-[A-Za-z0-9_*\\-.]{6,}");

  private Secrets() {}

  /** {@code text} with configured keys and anything shaped like a key replaced by {@code [redacted]}. */
  public static String redact(String text) {
    if (text == null) {
      return "";
    }
    String result = text;
    for (String variable : KEY_VARIABLES) {
      String key = System.getenv(variable);
      if (key != null && key.length() >= 4) {
        result = result.replace(key, "[redacted]");
      }
    }
    return KEY_SHAPED.matcher(result).replaceAll("[redacted]");
  }


  /**
   * A stand-in for {@code cause} whose message, and its causes' messages, are redacted: provider
   * exceptions may echo keys, and test reports print whole cause chains.
   */
  public static RuntimeException redactedCopy(Throwable cause) {
    if (cause == null) {
      return null;
    }
    RuntimeException copy = new RedactedCause(cause.getClass().getName() + ": " + redact(cause.getMessage()), redactedCopy(cause.getCause()));
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
