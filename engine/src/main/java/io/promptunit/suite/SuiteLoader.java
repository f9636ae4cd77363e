package io.promptunit.suite;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
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
@API(status = EXPERIMENTAL, since = "0.1")
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
    List<SuiteProblem> problems = new ArrayList<>();
    SuiteOptions options = options(declaration, anchor.getName(), problems);
    return load(new SuiteDeclaration(anchor, anchor.getName(), "@PromptTest", declaration.prompt(), Optional.empty(),
        declaration.system(),
        declaration.examples(), options), problems);
  }

  /**
   * Loads and validates a suite declared in code (e.g. from a JUnit Jupiter test) rather than by
   * {@code @PromptTest}: the same files, checks and problems as an annotated suite.
   *
   * @throws InvalidSuiteException listing every problem, each with file, line and fix
   */
  public static Suite load(SuiteDeclaration declaration) {
    return load(declaration, new ArrayList<>());
  }

  private static Suite load(SuiteDeclaration declaration, List<SuiteProblem> problems) {
    Class<?> anchor = declaration.anchor();
    ClassLoader loader = anchor.getClassLoader() != null ? anchor.getClassLoader() : ClassLoader.getSystemClassLoader();
    String where = anchor.getName();
    String origin = declaration.origin();

    Optional<Template> prompt = declaration.promptText().isPresent()
        ? inline(declaration.prompt(), declaration.promptText().get(), problems)
        : template(loader, declaration.prompt(), origin, "prompt", where, problems);
    Optional<Template> system = declaration.system().isBlank()
        ? Optional.empty()
        : template(loader, declaration.system(), origin, "system", where, problems);
    Optional<Resource> examplesFile = find(loader, declaration.examples(), origin, "examples", where, problems);

    if (prompt.isEmpty() || examplesFile.isEmpty() || (!declaration.system().isBlank() && system.isEmpty())) {
      throw new InvalidSuiteException(problems);
    }
    Set<String> variables = new LinkedHashSet<>(prompt.get().variables());
    system.ifPresent(s -> variables.addAll(s.variables()));
    List<Example> examples = readExamples(examplesFile.get(), variables, problems);
    if (variables.isEmpty() && examples.stream().anyMatch(e -> !e.variables().isEmpty())) {
      problems.add(new SuiteProblem(declaration.promptText().isPresent() ? declaration.prompt()
          : promptDisplay(loader, declaration.prompt()), 0,
          "the template has no {{variable}}, so no example's input ever reaches the model",
          "put the input where it belongs, e.g. Ticket: {{input}}"));
    }
    if (problems.isEmpty()) {
      emptyMessages(prompt.get(), system, examples, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidSuiteException(problems);
    }
    return new Suite(declaration.name(), anchor, prompt.get(), system, examplesFile.get(), examples,
        declaration.options());
  }

  /**
   * Examples whose values leave the user or system message without text (a template that is only
   * {@code {{input}}}, an input of blanks): a model would be sent an empty message.
   */
  private static void emptyMessages(Template prompt, Optional<Template> system, List<Example> examples,
      List<SuiteProblem> problems) {
    for (Example example : examples) {
      if (blank(prompt, example)) {
        problems.add(new SuiteProblem(example.file(), example.line(), "the prompt for this example has no text "
            + "(the template gives none with the example's values)",
            "give the example an input with text, or put text of its own around the template's variables"));
      }
      if (system.isPresent() && blank(system.get(), example)) {
        problems.add(new SuiteProblem(example.file(), example.line(), "the system message for this example has no "
            + "text (the system template gives none with the example's values)",
            "give the example values with text, or put text of its own around the system template's variables"));
      }
    }
  }

  /** Whether {@code template} renders to blanks; a rendering that fails is left to the run, which reports it. */
  private static boolean blank(Template template, Example example) {
    try {
      return template.rendersBlank(example.variables());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The examples of the file at classpath {@code path}, read as a suite reads them but for no
   * template: {@code input} (text, or an object of variables) gives the variables, other fields are metadata.
   *
   * @param origin what named the file, for messages, e.g. {@code @ExamplesSource}
   * @param where where {@code origin} is, for messages, e.g. {@code RouterTest.routes()}
   * @throws InvalidSuiteException listing every problem, each with file, line and fix
   */
  public static List<Example> readExamples(ClassLoader loader, String path, String origin, String where) {
    List<SuiteProblem> problems = new ArrayList<>();
    Optional<Resource> file = find(loader, path, origin, "value", where, problems);
    if (file.isEmpty()) {
      throw new InvalidSuiteException(problems);
    }
    List<Example> examples = readExamples(file.get(), Set.of(), problems);
    if (!problems.isEmpty()) {
      throw new InvalidSuiteException(problems);
    }
    return examples;
  }

  private static Optional<Template> inline(String name, String text, List<SuiteProblem> problems) {
    List<SuiteProblem> broken = Template.problems(name, "template", text.stripTrailing());
    if (!broken.isEmpty()) {
      problems.addAll(broken);
      return Optional.empty();
    }
    return Optional.of(new Template(name, text.stripTrailing()));
  }

  static List<Example> readExamples(Resource file, Set<String> variables, List<SuiteProblem> problems) {
    String shown = file.displayPath();
    Optional<ExampleFormat> format = ExampleFormat.forFile(file.path());
    if (format.isEmpty()) {
      problems.add(new SuiteProblem(shown, 0, "unknown examples format", file.path().endsWith(".json")
          ? "a JSON array of examples is not read: write one JSON object per line in a *.jsonl file, "
              + "or use *.csv with a header row"
          : "name the file *.jsonl (one JSON object per line) or *.csv (with a header row)"));
      return List.of();
    }
    String templateNames = variables.isEmpty()
        ? "no variables"
        : variables.stream().map(v -> "{{" + v + "}}").collect(Collectors.joining(", "));
    ExampleFactory factory = new ExampleFactory(shown, variables, templateNames);
    List<Example> examples = new ArrayList<>();
    Map<String, Integer> lineById = new HashMap<>();
    String text;
    try {
      text = file.readStrictText();
    } catch (InvalidSuiteException e) {
      problems.addAll(e.problems());
      return List.of();
    }
    try (BufferedReader reader = new BufferedReader(new java.io.StringReader(text))) {
      format.get().read(shown, reader, record -> factory.create(record, problems::add)
          .ifPresent(example -> addUnlessDuplicate(example, shown, examples, lineById, problems)), problems::add);
    } catch (IOException e) {
      problems.add(new SuiteProblem(shown, 0, "cannot be read (" + e.getMessage() + ")",
          "check the file exists and is readable"));
    }
    if (examples.isEmpty() && problems.isEmpty()) {
      problems.add(new SuiteProblem(shown, 0, "the file has no examples",
          "add one example per line, e.g. {\"input\": \"...\", \"expected\": \"...\"}"));
    }
    return examples;
  }

  /** Adds {@code example} unless an earlier one has its id, which is a problem of the file. */
  private static void addUnlessDuplicate(Example example, String shown, List<Example> examples,
      Map<String, Integer> lineById, List<SuiteProblem> problems) {
    Integer earlier = lineById.putIfAbsent(example.id(), example.line());
    if (earlier == null) {
      examples.add(example);
      return;
    }
    problems.add(new SuiteProblem(shown, example.line(),
        "duplicate id \"" + example.id() + "\" (first used on line " + earlier + ")",
        explicitIdGiven(example) ? "give each example its own id"
            : "remove the repeated example or give both an \"id\""));
  }

  private static boolean explicitIdGiven(Example example) {
    return !example.id().equals(ExampleFactory.contentHash(example.variables(), example.expected()));
  }

  private static Optional<Template> template(ClassLoader loader, String path, String origin,
      String attribute, String where,
      List<SuiteProblem> problems) {
    Optional<Resource> resource = find(loader, path, origin, attribute, where, problems);
    if (resource.isEmpty()) {
      return Optional.empty();
    }
    String text;
    try {
      text = resource.get().readStrictText();
    } catch (InvalidSuiteException e) {
      problems.addAll(e.problems());
      return Optional.empty();
    }
    List<SuiteProblem> broken = Template.problems(resource.get().displayPath(),
        attribute.equals("system") ? "system template" : "template", text);
    text = text.stripTrailing();
    if (!broken.isEmpty()) {
      problems.addAll(broken);
      return Optional.empty();
    }
    return Optional.of(new Template(resource.get().path(), text));
  }

  private static String promptDisplay(ClassLoader loader, String path) {
    return Resource.find(loader, path).map(Resource::displayPath).orElse(path);
  }

  private static Optional<Resource> find(ClassLoader loader, String path, String origin, String attribute, String where,
      List<SuiteProblem> problems) {
    if (path.isBlank()) {
      problems.add(new SuiteProblem(where, 0, origin + "(" + attribute + ") is empty",
          "name a classpath resource, e.g. " + attribute + " = \"prompts/router."
              + (attribute.equals("examples") ? "jsonl" : "prompt") + "\""));
      return Optional.empty();
    }
    Optional<Resource> resource = Resource.find(loader, path);
    String declared = origin + "(" + attribute + " = \"" + path + "\")";
    if (resource.isEmpty()) {
      problems.add(new SuiteProblem(where, 0, declared + " not found on the classpath",
          Resource.missingFileFix(path, attribute + " = \"%s\"")));
    } else if (resource.get().isDirectory()) {
      problems.add(directory(resource.get(), declared, attribute));
      return Optional.empty();
    }
    return resource;
  }

  /** A path that names a directory: reading it would give its listing (or nothing), never a suite file. */
  private static SuiteProblem directory(Resource directory, String declared, String attribute) {
    String example = attribute + " = \"%s\"";
    return new SuiteProblem(directory.displayPath(), 0, declared + " names a directory, not a file",
        directory.firstFileInside().map(file -> "name a file inside it, e.g. " + String.format(example, file))
            .orElse("name a file, e.g. " + String.format(example, "prompts/router."
                + (attribute.equals("examples") ? "jsonl" : "prompt"))));
  }

  private static SuiteOptions options(PromptTest declaration, String where, List<SuiteProblem> problems) {
    int repeats = declaration.repeats();
    if (repeats < 1) {
      problems.add(new SuiteProblem(where, 0, "@PromptTest(repeats = " + repeats + ") must be at least 1",
          "use repeats = 1 or more"));
      repeats = 1;
    }
    int minPasses = declaration.minPasses() == 0 ? repeats : declaration.minPasses();
    if (minPasses < 1 || minPasses > repeats) {
      problems.add(new SuiteProblem(where, 0, "@PromptTest(minPasses = " + declaration.minPasses()
          + ") must be between 1 and repeats (" + repeats + ")",
          "choose minPasses in 1.." + repeats + ", or 0 for all"));
    }
    double rate = declaration.minPassRate();
    if (!(rate > 0.0 && rate <= 1.0)) {
      problems.add(new SuiteProblem(where, 0, "@PromptTest(minPassRate = " + rate + ") must be in (0, 1]",
          "use e.g. minPassRate = 0.9"));
    }
    double temperature = declaration.temperature();
    if (!(temperature >= 0.0 && temperature <= 2.0)) {
      problems.add(new SuiteProblem(where, 0, "@PromptTest(temperature = " + temperature + ") must be in [0, 2]",
          "use 0 for deterministic scoring"));
    }
    int most = io.promptunit.config.Keys.MAX_CONCURRENCY;
    if (declaration.concurrency() < 0 || declaration.concurrency() > most) {
      problems.add(new SuiteProblem(where, 0, "@PromptTest(concurrency = " + declaration.concurrency()
          + ") must be from 0 to "
          + most, "use 0 for the configured default, or a bound from 1 to " + most));
    }
    Optional<String> model = declaration.model().isBlank() ? Optional.empty()
        : Optional.of(declaration.model().strip());
    Optional<Integer> concurrency = declaration.concurrency() > 0
        ? Optional.of(declaration.concurrency()) : Optional.empty();
    List<String> models = java.util.Arrays.stream(declaration.models()).map(String::strip)
        .filter(name -> !name.isEmpty()).distinct().toList();
    return new SuiteOptions(model, temperature, repeats, minPasses, rate, concurrency, models);
  }
}
