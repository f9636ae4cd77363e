package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One labeled example, as read from a suite's examples file. Custom {@link Check} methods receive it.
 *
 * @param id stable identifier: the file's {@code id}, else a hash of the example's content
 * @param variables the template variables ({@code input} for a plain string input)
 * @param expected the expected output; JSON values are given as compact JSON text
 * @param expectedIsJson whether {@code expected} was a JSON object, array, number, boolean or null
 *     in the file (rather than a string)
 * @param split the example's split, if the file names one
 * @param tags free tags
 * @param metadata any other fields of the example, as plain Java values (String, Number, Boolean, List, Map)
 * @param file the examples file (its classpath path)
 * @param line the 1-based line of the example in {@code file}
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Example(
    String id,
    Map<String, Object> variables,
    String expected,
    boolean expectedIsJson,
    Optional<Split> split,
    List<String> tags,
    Map<String, Object> metadata,
    String file,
    int line) {

  public Example {
    Objects.requireNonNull(id, "id");
    variables = Map.copyOf(variables);
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(split, "split");
    tags = List.copyOf(tags);
    metadata = Map.copyOf(metadata);
    Objects.requireNonNull(file, "file");
  }

  /** The {@code input} variable as text, or the empty string when the example has none. */
  public String input() {
    Object input = variables.get("input");
    return input == null ? "" : input.toString();
  }

  /** Where the example is, as {@code file:line}. */
  public String location() {
    return file + ":" + line;
  }
}
