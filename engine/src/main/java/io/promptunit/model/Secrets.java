package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.List;
import java.util.regex.Pattern;

/** Keeps API keys out of everything PromptUnit prints or stores. */
@API(status = INTERNAL, since = "0.1")
public final class Secrets {

  private static final List<String> KEY_VARIABLES = Providers.ALL.stream().map(Provider::keyVariable).toList();

  /**
   * Shapes of provider keys (each provider's, and generic ones), even partly masked ones that providers echo back in
   * error messages.
   */
  private static final List<Pattern> KEY_SHAPES = java.util.stream.Stream.concat(
      Providers.ALL.stream().map(Provider::keyShape),
      java.util.stream.Stream.of(Pattern.compile("\\b(sk|pk|key)-[A-Za-z0-9_*\\-.]{6,}"))).toList();

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
    for (Pattern shape : KEY_SHAPES) {
      result = shape.matcher(result).replaceAll("[redacted]");
    }
    return result;
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
