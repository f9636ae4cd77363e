package io.promptunit.suite;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import io.promptunit.Example;
import java.util.List;
import java.util.Optional;

/**
 * A prompt suite, loaded and validated: the subject under test (system and user templates) and its
 * labeled examples, in file order.
 *
 * @param name the anchor class's fully qualified name
 * @param anchor the anchor class (custom checks and model factories live there)
 * @param prompt the user-message template
 * @param system the system-message template, if any
 * @param examplesFile the examples file
 * @param examples every example, in file order
 * @param options scoring options
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Suite(
    String name,
    Class<?> anchor,
    Template prompt,
    Optional<Template> system,
    Resource examplesFile,
    List<Example> examples,
    SuiteOptions options) {

  public Suite {
    examples = List.copyOf(examples);
  }

  /** A copy of this suite with another prompt (for optimizers). */
  public Suite withPrompt(Template newPrompt) {
    return new Suite(name, anchor, newPrompt, system, examplesFile, examples, options);
  }

  /** A copy with only {@code subset} of the examples. */
  public Suite withExamples(List<Example> subset) {
    return new Suite(name, anchor, prompt, system, examplesFile, subset, options);
  }
}
