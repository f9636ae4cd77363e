package io.promptunit.suite;

import io.promptunit.Example;
import io.promptunit.PromptTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Loads a suite from its {@link PromptTest} anchor, collecting every problem rather than stopping at the first. */
public final class SuiteLoader {

  private SuiteLoader() {}

  /**
   * Loads and validates the suite declared by {@code anchor}.
   *
   * @throws InvalidSuiteException listing every problem, each with file, line and fix
   */
  public static Suite load(Class<?> anchor) {
    PromptTest declaration = anchor.getAnnotation(PromptTest.class);
    if (declaration == null) {
      throw new IllegalArgumentException(anchor.getName() + " is not annotated with @PromptTest");
    }
    ClassLoader loader = anchor.getClassLoader() != null ? anchor.getClassLoader() : ClassLoader.getSystemClassLoader();
    String where = anchor.getName();
    List<SuiteProblem> problems = new ArrayList<>();

    SuiteOptions options = options(declaration, where, problems);
    Optional<Template> prompt = template(loader, declaration.prompt(), "prompt", where, problems);
    Optional<Template> system = declaration.system().isBlank()
        ? Optional.empty()
        : template(loader, declaration.system(), "system", where, problems);
    Optional<Resource> examplesFile = find(loader, declaration.examples(), "examples", where, problems);

    if (prompt.isEmpty() || examplesFile.isEmpty() || (!declaration.system().isBlank() && system.isEmpty())) {
      throw new InvalidSuiteException(problems);
    }
    Set<String> variables = new LinkedHashSet<>(prompt.get().variables());
    system.ifPresent(s -> variables.addAll(s.variables()));
    List<Example> examples = readExamples(examplesFile.get(), variables, problems);
    if (!problems.isEmpty()) {
      throw new InvalidSuiteException(problems);
    }
    return new Suite(anchor.getName(), anchor, prompt.get(), system, examplesFile.get(), examples, options);
  }

  static List<Example> readExamples(Resource file, Set<String> variables, List<SuiteProblem> problems) {
    Optional<ExampleFormat> format = ExampleFormat.forFile(file.path());
    if (format.isEmpty()) {
      problems.add(new SuiteProblem(file.path(), 0, "unknown examples format",
          "name the file *.jsonl (one JSON object per line) or *.csv (with a header row)"));
      return List.of();
    }
    String templateNames = variables.isEmpty()
        ? "no variables"
        : variables.stream().map(v -> "{{" + v + "}}").collect(Collectors.joining(", "));
    ExampleFactory factory = new ExampleFactory(file.path(), variables, templateNames);
    List<Example> examples = new ArrayList<>();
    Map<String, Integer> lineById = new HashMap<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(file.open(), StandardCharsets.UTF_8))) {
      format.get().read(file.path(), reader, record -> factory.create(record, problems::add).ifPresent(example -> {
        Integer earlier = lineById.putIfAbsent(example.id(), example.line());
        if (earlier != null) {
          problems.add(new SuiteProblem(file.path(), example.line(),
              "duplicate id \"" + example.id() + "\" (first used on line " + earlier + ")",
              explicitIdGiven(example) ? "give each example its own id" : "remove the repeated example or give both an \"id\""));
        } else {
          examples.add(example);
        }
      }), problems::add);
    } catch (IOException e) {
      problems.add(new SuiteProblem(file.path(), 0, "cannot be read (" + e.getMessage() + ")", "check the file exists and is readable"));
    }
    if (examples.isEmpty() && problems.isEmpty()) {
      problems.add(new SuiteProblem(file.path(), 0, "the file has no examples",
          "add one example per line, e.g. {\"input\": \"...\", \"expected\": \"...\"}"));
    }
    return examples;
  }

  private static boolean explicitIdGiven(Example example) {
    return !example.id().equals(ExampleFactory.contentHash(example.variables(), example.expected()));
  }

  private static Optional<Template> template(ClassLoader loader, String path, String attribute, String where, List<SuiteProblem> problems) {
    return find(loader, path, attribute, where, problems).map(resource -> new Template(resource.path(), resource.readText().stripTrailing()));
  }

  private static Optional<Resource> find(ClassLoader loader, String path, String attribute, String where, List<SuiteProblem> problems) {
    if (path.isBlank()) {
      problems.add(new SuiteProblem(where, 0, "@PromptTest(" + attribute + ") is empty",
          "name a classpath resource, e.g. " + attribute + " = \"prompts/router." + (attribute.equals("examples") ? "jsonl" : "prompt") + "\""));
      return Optional.empty();
    }
    Optional<Resource> resource = Resource.find(loader, path);
    if (resource.isEmpty()) {
      problems.add(new SuiteProblem(where, 0, "@PromptTest(" + attribute + " = \"" + path + "\") not found on the classpath",
          "create src/test/resources/" + (path.startsWith("/") ? path.substring(1) : path) + " or correct the path"));
    }
    return resource;
  }

  private static SuiteOptions options(PromptTest declaration, String where, List<SuiteProblem> problems) {
    int repeats = declaration.repeats();
    if (repeats < 1) {
      problems.add(new SuiteProblem(where, 0, "@PromptTest(repeats = " + repeats + ") must be at least 1", "use repeats = 1 or more"));
      repeats = 1;
    }
    int minPasses = declaration.minPasses() == 0 ? repeats : declaration.minPasses();
    if (minPasses < 1 || minPasses > repeats) {
      problems.add(new SuiteProblem(where, 0, "@PromptTest(minPasses = " + declaration.minPasses() + ") must be between 1 and repeats (" + repeats + ")",
          "choose minPasses in 1.." + repeats + ", or 0 for all"));
    }
    double rate = declaration.minPassRate();
    if (!(rate > 0.0 && rate <= 1.0)) {
      problems.add(new SuiteProblem(where, 0, "@PromptTest(minPassRate = " + rate + ") must be in (0, 1]", "use e.g. minPassRate = 0.9"));
    }
    double temperature = declaration.temperature();
    if (!(temperature >= 0.0 && temperature <= 2.0)) {
      problems.add(new SuiteProblem(where, 0, "@PromptTest(temperature = " + temperature + ") must be in [0, 2]", "use 0 for deterministic scoring"));
    }
    if (declaration.concurrency() < 0) {
      problems.add(new SuiteProblem(where, 0, "@PromptTest(concurrency = " + declaration.concurrency() + ") must not be negative",
          "use 0 for the configured default, or a positive bound"));
    }
    Optional<String> model = declaration.model().isBlank() ? Optional.empty() : Optional.of(declaration.model().strip());
    Optional<Integer> concurrency = declaration.concurrency() > 0 ? Optional.of(declaration.concurrency()) : Optional.empty();
    return new SuiteOptions(model, temperature, repeats, minPasses, rate, concurrency);
  }
}
