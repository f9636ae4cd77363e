package io.promptunit.model.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.net.URI;
import java.nio.file.Path;

/**
 * A pinned model file could not be made available. The message is meant for the person running the
 * tests: it says what was tried (the URL), what went wrong, where to put the file by hand and how to
 * configure another model instead.
 */
@API(status = INTERNAL, since = "0.1")
public final class ModelDownloadException extends RuntimeException {

  /** What went wrong. */
  public enum Reason {
    /** The host could not be reached: no network, DNS failure, connection refused or timed out. */
    OFFLINE,
    /** The server answered with an error status. */
    HTTP_STATUS,
    /** The transfer broke off or stalled; the partial file is kept and the next attempt resumes. */
    INTERRUPTED,
    /** The complete file did not have the pinned size or SHA-256; it was deleted. */
    VERIFICATION_FAILED,
    /** The cache directory could not be written. */
    LOCAL_IO
  }

  private final Reason reason;
  private final URI url;
  private final Path target;

  ModelDownloadException(Reason reason, URI url, Path target, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.url = url;
    this.target = target;
  }

  public Reason reason() {
    return reason;
  }

  /** The URL that was tried. */
  public URI url() {
    return url;
  }

  /** Where the verified file must end up (and where it can be put by hand). */
  public Path target() {
    return target;
  }
}
