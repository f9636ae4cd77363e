package io.promptunit.model;

/**
 * A call batch mode has put aside to send with the others as one provider batch; it never reaches a
 * report: the pass that collects requests discards the results it ends.
 */
final class DeferredCallException extends RuntimeException {

  private final String key;

  public DeferredCallException(String key) {
    super("request " + key.substring(0, Math.min(12, key.length())) + " deferred to a provider batch",
        null, false, false);
    this.key = key;
  }

  /** The cassette key of the deferred request. */
  public String key() {
    return key;
  }
}
