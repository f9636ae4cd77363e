package io.promptunit.model.local;

/**
 * A local model could not be loaded: the file is missing or not a GGUF model, the bundled llama.cpp
 * library cannot run on this machine, or llama.cpp refused the file. The message names the file and
 * what to do.
 */
public final class LocalModelException extends RuntimeException {

  LocalModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
