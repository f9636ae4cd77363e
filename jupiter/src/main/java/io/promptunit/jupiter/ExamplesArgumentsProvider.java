package io.promptunit.jupiter;

import io.promptunit.Example;
import io.promptunit.suite.ExampleName;
import io.promptunit.suite.InvalidSuiteException;
import io.promptunit.suite.SuiteProblem;
import io.promptunit.suite.SuiteLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.AnnotationBasedArgumentsProvider;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.support.ParameterDeclaration;
import org.junit.jupiter.params.support.ParameterDeclarations;

/** The examples of an {@link ExamplesSource} file as arguments: each one a named argument set. */
final class ExamplesArgumentsProvider extends AnnotationBasedArgumentsProvider<ExamplesSource> {

  @Override
  protected Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context,
      ExamplesSource source) {
    Class<?> testClass = context.getRequiredTestClass();
    String where = testClass.getSimpleName()
        + context.getTestMethod().map(method -> "." + method.getName() + "()").orElse("");
    String origin = "@ExamplesSource of " + where;
    ClassLoader loader = testClass.getClassLoader() != null ? testClass.getClassLoader()
        : ClassLoader.getSystemClassLoader();
    ExampleSelection selection = ExampleSelection.of(source.split(), source.tags(), origin);
    List<Example> examples = SuiteLoader.readExamples(loader, source.value(), "@ExamplesSource", where);
    List<Example> selected = selection.select(examples, examples.get(0).file());
    List<ParameterDeclaration> bound = bound(parameters);
    List<SuiteProblem> problems = new ArrayList<>();
    List<Arguments> arguments = new ArrayList<>(selected.size());
    for (Example example : selected) {
      arguments.add(Arguments.argumentSet(ExampleName.of(example), values(example, bound, origin, problems)));
    }
    if (!problems.isEmpty()) {
      // before any invocation: a parameter the file cannot fill is a mistake in the test or the file, not one example's
      // failure
      throw new InvalidSuiteException(problems);
    }
    return arguments.stream();
  }

  /** The leading parameters this source fills: {@code Example}, {@code String} and {@code Object} ones. */
  private static List<ParameterDeclaration> bound(ParameterDeclarations parameters) {
    List<ParameterDeclaration> bound = new ArrayList<>();
    for (ParameterDeclaration parameter : parameters.getAll()) {
      Class<?> type = parameter.getParameterType();
      if (type != Example.class && type != String.class && type != Object.class && type != CharSequence.class) {
        break;
      }
      bound.add(parameter);
    }
    return bound;
  }

  private static Object[] values(Example example, List<ParameterDeclaration> parameters, String origin,
      List<SuiteProblem> problems) {
    Object[] values = new Object[parameters.size()];
    for (int i = 0; i < values.length; i++) {
      ParameterDeclaration parameter = parameters.get(i);
      if (parameter.getParameterType() == Example.class) {
        values[i] = example;
        continue;
      }
      String name = parameter.getParameterName().orElseThrow(() -> new IllegalArgumentException("parameter "
          + parameter.getParameterIndex() + " of " + origin + " is a " + parameter.getParameterType().getSimpleName()
          + " whose name is not in the class file, so no example field can be matched to it. Fix: compile with the"
          + " -parameters flag (maven-compiler-plugin <parameters>true</parameters>), or take the whole Example"));
      Optional<String> value = field(example, name);
      if (value.isEmpty()) {
        problems.add(new SuiteProblem(example.file(), example.line(),
            "the example has no field \"" + name + "\" for the parameter " + name + " of " + origin
                + " (it has " + fields(example) + ")",
            "add \"" + name + "\" to the example, rename the parameter, or take the whole Example"));
      }
      values[i] = value.orElse(null);
    }
    return values;
  }

  /** {@code id}, {@code input}, {@code expected}, {@code split}, a variable, or another field, as text. */
  static Optional<String> field(Example example, String name) {
    switch (name) {
      case "id":
        return Optional.of(example.id());
      case "expected":
        return Optional.of(example.expected());
      case "split":
        return Optional.of(example.split().map(ExampleSelection::name).orElse(""));
      default:
        Object value = example.variables().containsKey(name) ? example.variables().get(name)
            : example.metadata().get(name);
        return Optional.ofNullable(value).map(ExamplesArgumentsProvider::text);
    }
  }

  /** Text as it is; numbers, lists and objects of the file's metadata as compact JSON. */
  private static String text(Object value) {
    if (value instanceof String text) {
      return text;
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static String fields(Example example) {
    List<String> names = new ArrayList<>(List.of("id", "expected"));
    example.split().ifPresent(s -> names.add("split"));
    names.addAll(example.variables().keySet());
    for (Map.Entry<String, Object> entry : example.metadata().entrySet()) {
      names.add(entry.getKey());
    }
    return String.join(", ", names);
  }
}
