package io.promptunit.model;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/**
 * A model call that did not produce an answer: an error of the provider or the connection, as
 * opposed to an answer that failed a check. Reported as a test <em>error</em>, never a failure.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ModelCallException extends RuntimeException {

  /** What kind of trouble the provider reported. */
  public enum Kind {
    AUTHENTICATION("authentication failed"),
    RATE_LIMIT("rate limited"),
    TIMEOUT("timed out"),
    CONTENT_FILTER("blocked by the provider's content filter"),
    MODEL_NOT_FOUND("model not found"),
    INVALID_REQUEST("request rejected"),
    SERVER("provider error"),
    CONNECTION("connection failed"),
    BAD_RESPONSE("answered with a response that is not the provider's format"),
    TOO_LONG("answered with more than PromptUnit accepts"),
    NOT_RECORDED("has no recorded answer"),
    OTHER("call failed");

    private final String phrase;

    Kind(String phrase) {
      this.phrase = phrase;
    }

    public String phrase() {
      return phrase;
    }
  }

  private final Kind kind;
  private final int attempts;

  public ModelCallException(Kind kind, String message, int attempts, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.attempts = attempts;
  }

  public Kind kind() {
    return kind;
  }

  public int attempts() {
    return attempts;
  }
}
