package io.promptunit.suite;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/**
 * Something wrong with a suite's files or declaration, told the way a user needs it: where
 * ({@code file:line}), what happened, and what to do about it.
 *
 * @param file the file at fault (a classpath path or the anchor class name)
 * @param line 1-based line, or 0 when the problem concerns the whole file
 * @param message what is wrong
 * @param fix what to do next
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record SuiteProblem(String file, int line, String message, String fix) {

  public String location() {
    return line > 0 ? file + ":" + line : file;
  }

  /** {@code prompts/router.jsonl:7: bad JSON (...). Fix: ...} */
  public String describe() {
    return location() + ": " + message + ". Fix: " + fix;
  }

  @Override
  public String toString() {
    return describe();
  }
}
