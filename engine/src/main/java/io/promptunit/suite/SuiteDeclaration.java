package io.promptunit.suite;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.Objects;
import java.util.Optional;

/**
 * What a suite is made of, as declared in code rather than by {@code @PromptTest} (the JUnit Jupiter
 * integration, plain Java): {@link SuiteLoader#load(SuiteDeclaration)} loads it with the same files,
 * checks and problems.
 *
 * @param anchor the class whose {@code @Expect...} annotations, {@code @Check} and factory methods apply
 * @param name the suite's name (its cassette is {@code <name>.jsonl}), usually the anchor's class name
 * @param origin what declared the suite, for messages, e.g. {@code @PromptTest}
 * @param prompt the classpath path of the prompt template, or a name for {@code promptText}
 * @param promptText the template itself, when it is given as text rather than a file
 * @param system the classpath path of the system template, or blank for none
 * @param examples the classpath path of the examples file
 * @param options scoring options
 */
@API(status = INTERNAL, since = "0.1")
public record SuiteDeclaration(
    Class<?> anchor, String name, String origin, String prompt, Optional<String> promptText,
    String system, String examples,
    SuiteOptions options) {

  public SuiteDeclaration {
    Objects.requireNonNull(anchor, "anchor");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(promptText, "promptText");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(examples, "examples");
    Objects.requireNonNull(options, "options");
  }
}
