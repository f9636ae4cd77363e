package io.promptunit.config;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * One problem of the configuration: a value that is not accepted, an unknown key or a look-alike.
 *
 * @param key the key (or environment variable) concerned, as the user wrote it
 * @param message what is wrong, where it was set and what to write instead
 * @param error whether the run must not start (false: a warning, e.g. an environment variable
 *     named like PromptUnit's that resembles none of its settings)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ConfigurationProblem(String key, String message, boolean error) {

  /** A problem that stops the run. */
  public ConfigurationProblem(String key, String message) {
    this(key, message, true);
  }
}
