package io.promptunit.model.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
/**
 * A local model could not be loaded: the file is missing or not a GGUF model, the bundled llama.cpp
 * library cannot run on this machine, or llama.cpp refused the file. The message names the file and
 * what to do.
 */
@API(status = INTERNAL, since = "0.1")
public final class LocalModelException extends RuntimeException {

  LocalModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
