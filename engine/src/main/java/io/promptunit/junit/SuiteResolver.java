package io.promptunit.junit;

import static org.junit.platform.engine.support.discovery.SelectorResolver.Resolution.unresolved;

import io.promptunit.Example;
import io.promptunit.PromptTest;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import io.promptunit.config.Configuration;
import io.promptunit.config.EditDistance;
import io.promptunit.config.Shard;
import io.promptunit.suite.Resource;
import io.promptunit.suite.SuiteLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.ClasspathResourceSelector;
import org.junit.platform.engine.discovery.FilePosition;
import org.junit.platform.engine.discovery.FileSelector;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * Resolves class selectors (also those that package and classpath-root selectors expand to) into
 * suites with all their examples (or those Surefire's {@code -Dtest=Class#id} names), unique-id and
 * method selectors ({@code Class#exampleId}) into a suite or exactly one example, and file or
 * classpath-resource selectors on a suite's examples, prompt or system file into that suite (with a
 * line of the examples file: the example on that line).
 */
final class SuiteResolver implements SelectorResolver {

  private final Predicate<String> classNameFilter;
  private final MethodPatterns methodPatterns;
  private final Configuration settings;
  private final boolean configurationFails;
  private final java.util.function.Consumer<DiscoveryIssue> issues;
  /**
   * {@code promptunit.shard}; a malformed value selects everything here (the engine reports it as a discovery error).
   */
  private final Shard shard;
  /** The suites on the class path, found once, when a file or classpath-resource selector asks for them. */
  private List<Class<?>> allSuites;
  /** The {@code -Dtest} id patterns already reported as matching nothing. */
  private final Set<String> reportedPatterns = new java.util.HashSet<>();

  /**
   * @param configurationFails whether the configuration has errors, reported already as discovery issues (the run does
   *     not start): nothing more is said about what it configures
   */
  SuiteResolver(Predicate<String> classNameFilter, Configuration settings, boolean configurationFails,
      ConfigurationParameters configuration, java.util.function.Consumer<DiscoveryIssue> issues) {
    this.classNameFilter = classNameFilter;
    this.issues = issues;
    this.settings = settings;
    this.configurationFails = configurationFails;
    // Maven's -Dtest, never an environment variable TEST
    this.methodPatterns = MethodPatterns.parse(configuration.get(MethodPatterns.PROPERTY));
    Shard configured;
    try {
      configured = settings.shard();
    } catch (IllegalArgumentException malformed) {
      configured = Shard.ALL;
    }
    this.shard = configured;
  }

  static boolean isSuite(Class<?> candidate) {
    return candidate.isAnnotationPresent(PromptTest.class)
        && !Modifier.isAbstract(candidate.getModifiers())
        && !candidate.isLocalClass()
        && !candidate.isAnonymousClass();
  }

  @Override
  public Resolution resolve(ClassSelector selector, Context context) {
    Class<?> anchor;
    try {
      anchor = selector.getJavaClass();
    } catch (RuntimeException | LinkageError e) {
      // Not ours to report: the engine that owns the class (usually Jupiter) says why it cannot load.
      return unresolved();
    }
    if (!isSuite(anchor) || !classNameFilter.test(anchor.getName())) {
      return unresolved();
    }
    return context.addToParent(parent -> {
      checkUnusedOptimizeOptions(anchor);
      return Optional.of(SuiteDescriptor.create(parent.getUniqueId(), anchor, settings));
    }).map(suite -> Resolution.match(Match.exact(suite, () -> exampleSelectors(suite))))
        .orElse(unresolved());
  }

  /**
   * With optimization switched off ({@code promptunit.optimize=false}), a suite's {@code @Optimize} options (its
   * strategy, its parameters, the {@code promptunit.optimize.*} settings) are read by nobody: a value that would fail
   * a run that optimizes is a warning now, not a surprise later.
   */
  private void checkUnusedOptimizeOptions(Class<?> anchor) {
    io.promptunit.Optimize optimize = anchor.getAnnotation(io.promptunit.Optimize.class);
    if (optimize == null || settings.optimize() || configurationFails) {
      return; // it runs and says so itself; or the configuration's own errors stop the run already
    }
    try {
      io.promptunit.optimize.OptimizeOptions.from(optimize, settings, anchor.getClassLoader());
    } catch (IllegalArgumentException e) {
      issues.accept(DiscoveryIssue.create(DiscoveryIssue.Severity.WARNING, "The optimization of "
          + anchor.getName() + " does not run (promptunit.optimize=false), but its options would fail a run that"
          + " optimizes: " + e.getMessage()));
    }
  }

  /**
   * {@code Class#exampleId} (the console launcher's {@code --select-method}): that example; an unknown id is a
   * discovery error.
   */
  @Override
  public Resolution resolve(MethodSelector selector, Context context) {
    Optional<Class<?>> anchor = suiteClass(selector.getClassName());
    if (anchor.isEmpty()) {
      return unresolved();
    }
    String id = selector.getMethodName();
    Optional<List<String>> ids = exampleIds(anchor.get());
    if (ids.isPresent() && !ids.get().contains(id)) {
      issues.accept(DiscoveryIssue.create(DiscoveryIssue.Severity.ERROR, "No example with id \"" + id + "\" in "
          + anchor.get().getName() + closestId(id, ids.get()) + " Its ids: " + listed(ids.get())
          + ". Select one of them, or the class to run all of them."));
      return unresolved();
    }
    return Resolution.selectors(Set.of(exampleSelector(anchor.get(), id)));
  }

  /** The ids of {@code anchor}'s examples; empty when the suite cannot load (it reports its own problems). */
  private static Optional<List<String>> exampleIds(Class<?> anchor) {
    try {
      return Optional.of(SuiteLoader.load(anchor).examples().stream().map(Example::id).toList());
    } catch (RuntimeException broken) {
      return Optional.empty();
    }
  }

  /** The first ids of a suite, for a message. */
  private static String listed(List<String> ids) {
    int shown = Math.min(ids.size(), 20);
    return String.join(", ", ids.subList(0, shown)) + (ids.size() > shown ? ", … (" + ids.size() + " in all)" : "");
  }

  /** {@code "; did you mean \"login-loop\"?"} for the id one edit per four letters from {@code id}, else ".". */
  private static String closestId(String id, List<String> ids) {
    return EditDistance.closest(id, ids, Math.max(1, id.length() / 4))
        .map(c -> "; did you mean \"" + c + "\"?").orElse(".");
  }



  /**
   * Surefire's {@code -Dtest} naming {@code suite} (its class part without wildcards) with an id pattern that matches
   * none of its examples, nor of another suite the same entry names (a simple name in several packages): a discovery
   * error naming the suite's ids, as for a method selector, rather than a run of nothing that passes.
   */
  private void reportUnmatchedIds(SuiteDescriptor suite) {
    Class<?> anchor = suite.anchor();
    List<String> ids = suite.examples().stream().map(Example::id).toList();
    for (MethodPatterns.NamedIds named : methodPatterns.namedIds(anchor.getName())) {
      if (ids.stream().anyMatch(named::matches) || matchedElsewhere(named, anchor)
          || !reportedPatterns.add(named.entry() + "\n" + named.pattern())) {
        continue;
      }
      String where = "\" in " + anchor.getName() + " (-D" + MethodPatterns.PROPERTY + "=" + named.entry() + ")";
      issues.accept(DiscoveryIssue.create(DiscoveryIssue.Severity.ERROR, (named.literal()
          ? "No example with id \"" + named.pattern() + where + closestId(named.pattern(), ids)
          : "No example matches \"" + named.pattern() + where + ".")
          + " Its ids: " + listed(ids) + ". Name one of them, or the class alone to run all of them."));
    }
  }

  /**
   * Whether {@code named} may mean something else: a method of the anchor class (a Java test beside the suite), or an
   * example of another suite its entry names (or one that cannot be loaded).
   */
  private boolean matchedElsewhere(MethodPatterns.NamedIds named, Class<?> anchor) {
    if (!ReflectionSupport.findMethods(anchor, method -> named.matches(method.getName()),
        org.junit.platform.commons.support.HierarchyTraversalMode.TOP_DOWN).isEmpty()) {
      return true;
    }
    return named.bySimpleName() && allSuites().stream()
        .filter(other -> !other.equals(anchor) && named.names(other.getName()))
        .anyMatch(other -> exampleIds(other).map(ids -> ids.stream().anyMatch(named::matches)).orElse(true));
  }

  /** An examples, prompt or system file of suites: those suites; a line of an examples file: its example. */
  @Override
  public Resolution resolve(FileSelector selector, Context context) {
    Path file = selector.getPath().toAbsolutePath().normalize();
    return bySuiteFile(path -> Resource.find(path.loader(), path.name())
        .map(resource -> resource.sourceFile().map(f -> f.toAbsolutePath().normalize()).filter(file::equals).isPresent()
            || builtFile(resource).filter(file::equals).isPresent())
        .orElse(false), selector.getPosition());
  }

  @Override
  public Resolution resolve(ClasspathResourceSelector selector, Context context) {
    String name = stripSlash(selector.getClasspathResourceName());
    return bySuiteFile(path -> path.name().equals(name), selector.getPosition());
  }

  /** A file a suite declares: its class loader and classpath name, as {@code @PromptTest} gives it. */
  private record SuiteFile(Class<?> anchor, String name, boolean examples) {
    ClassLoader loader() {
      return anchor.getClassLoader();
    }
  }

  private Resolution bySuiteFile(Predicate<SuiteFile> matches, Optional<FilePosition> position) {
    Set<DiscoverySelector> selectors = new LinkedHashSet<>();
    for (Class<?> anchor : allSuites()) {
      PromptTest declaration = anchor.getAnnotation(PromptTest.class);
      List<SuiteFile> files = new ArrayList<>();
      files.add(new SuiteFile(anchor, stripSlash(declaration.examples()), true));
      files.add(new SuiteFile(anchor, stripSlash(declaration.prompt()), false));
      if (!declaration.system().isBlank()) {
        files.add(new SuiteFile(anchor, stripSlash(declaration.system()), false));
      }
      files.stream().filter(matches).findFirst().ifPresent(file -> selectors.add(position.filter(p -> file.examples())
          .flatMap(p -> exampleAtLine(anchor, p.getLine()))
          .map(id -> exampleSelector(anchor, id))
          .orElseGet(() -> DiscoverySelectors.selectClass(anchor))));
    }
    return selectors.isEmpty() ? unresolved() : Resolution.selectors(selectors);
  }

  /**
   * The example whose record covers {@code line} (a CSV record may span lines); none on the header or before the first.
   */
  private static Optional<String> exampleAtLine(Class<?> anchor, int line) {
    List<Example> examples;
    try {
      examples = SuiteLoader.load(anchor).examples();
    } catch (RuntimeException broken) {
      return Optional.empty(); // the whole suite is selected, and reports its problems
    }
    Example covering = null;
    for (Example example : examples) {
      if (example.line() <= line && (covering == null || example.line() > covering.line())) {
        covering = example;
      }
    }
    return Optional.ofNullable(covering).map(Example::id);
  }

  private static DiscoverySelector exampleSelector(Class<?> anchor, String id) {
    return DiscoverySelectors.selectUniqueId(UniqueId.forEngine(PromptUnitTestEngine.ENGINE_ID)
        .append(SuiteDescriptor.SEGMENT_TYPE, anchor.getName()).append(ExampleDescriptor.SEGMENT_TYPE, id));
  }

  private synchronized List<Class<?>> allSuites() {
    if (allSuites == null) {
      allSuites = ReflectionSupport.findAllClassesInPackage("", SuiteResolver::isSuite, classNameFilter);
    }
    return allSuites;
  }

  /** The copy of a resource in the build output ({@code target/test-classes/...}), when it is a plain file. */
  private static Optional<Path> builtFile(Resource resource) {
    try {
      return "file".equals(resource.url().getProtocol()) ? Optional.of(Path.of(resource.url().toURI()).toAbsolutePath()
          .normalize()) : Optional.empty();
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  /** The types of a suite's (or a model container's) children that exist once, as their unique ids name them. */
  private static final Set<String> SUITE_CHILDREN = Set.of(ExampleDescriptor.SEGMENT_TYPE,
      PassRateDescriptor.SEGMENT_TYPE, BaselineDescriptor.SEGMENT_TYPE, OptimizationDescriptor.SEGMENT_TYPE);

  /** The models of suites that run against several, looked up once per suite. */
  private final java.util.Map<Class<?>, List<String>> matrices = new java.util.concurrent.ConcurrentHashMap<>();

  /** The models {@code anchor}'s suite runs against side by side; empty for one model (or a suite that cannot load). */
  private List<String> matrix(Class<?> anchor) {
    return matrices.computeIfAbsent(anchor, type -> {
      try {
        List<String> models = io.promptunit.core.PromptUnit.matrix(SuiteLoader.load(type), settings);
        return models.size() > 1 ? models : List.of();
      } catch (RuntimeException broken) {
        return List.of();
      }
    });
  }

  @Override
  public Resolution resolve(UniqueIdSelector selector, Context context) {
    UniqueId uniqueId = selector.getUniqueId();
    List<UniqueId.Segment> segments = uniqueId.getSegments();
    UniqueId.Segment last = uniqueId.getLastSegment();
    Optional<Resolution> models = segments.size() >= 3 && segments.get(2).getType().equals(ModelDescriptor.SEGMENT_TYPE)
        ? Optional.of(resolveInModel(uniqueId, context)) : perModel(uniqueId);
    if (models.isPresent()) {
      return models.get();
    }
    if (last.getType().equals(SuiteDescriptor.SEGMENT_TYPE) && segments.size() == 2) {
      return suiteClass(last.getValue()).map(type -> Resolution.selectors(Set.of(DiscoverySelectors.selectClass(type))))
          .orElse(unresolved());
    }
    if (last.getType().equals(ExampleDescriptor.SEGMENT_TYPE) && segments.size() == 3) {
      UniqueId suiteId = uniqueId.removeLastSegment();
      Optional<Class<?>> anchor = suiteClass(suiteId.getLastSegment().getValue());
      if (anchor.isEmpty()) {
        return unresolved();
      }
      return context.<ExampleDescriptor>addToParent(() -> DiscoverySelectors.selectClass(anchor.get()), parent -> {
            if (!(parent instanceof SuiteDescriptor suite)) {
              return Optional.empty();
            }
            return suite.example(last.getValue()).map(example -> suite.createChild(example));
          })
          .map(example -> Resolution.match(Match.exact(example)))
          .orElse(unresolved());
    }
    if (last.getType().equals(PassRateDescriptor.SEGMENT_TYPE) && segments.size() == 3) {
      return suiteChild(uniqueId, context, SuiteDescriptor::createPassRate);
    }
    if (last.getType().equals(BaselineDescriptor.SEGMENT_TYPE) && segments.size() == 3) {
      return suiteChild(uniqueId, context, suite -> suite.createBaseline(settings));
    }
    if (last.getType().equals(OptimizationDescriptor.SEGMENT_TYPE) && segments.size() == 3) {
      return suiteChild(uniqueId, context, suite -> suite.createOptimization(settings));
    }
    return unresolved();
  }

  /**
   * A suite's example (Class#id, a line of its file) or verdict in a suite of several models: that child of each model.
   */
  private Optional<Resolution> perModel(UniqueId uniqueId) {
    List<UniqueId.Segment> segments = uniqueId.getSegments();
    UniqueId.Segment last = uniqueId.getLastSegment();
    if (segments.size() != 3 || !SUITE_CHILDREN.contains(last.getType())) {
      return Optional.empty();
    }
    Optional<List<String>> models = suiteClass(segments.get(1).getValue()).map(this::matrix)
        .filter(list -> !list.isEmpty());
    UniqueId suiteId = uniqueId.removeLastSegment();
    return models.map(each -> {
      Set<DiscoverySelector> selectors = new LinkedHashSet<>();
      each.forEach(model -> selectors.add(DiscoverySelectors.selectUniqueId(
          suiteId.append(ModelDescriptor.SEGMENT_TYPE, model).append(last.getType(), last.getValue()))));
      return Resolution.selectors(selectors);
    });
  }

  /**
   * A model's container ({@code [suite:…]/[model:…]}: its examples and verdicts) or one of its children, in a suite
   * that runs against several models.
   */
  private Resolution resolveInModel(UniqueId uniqueId, Context context) {
    List<UniqueId.Segment> segments = uniqueId.getSegments();
    Optional<Class<?>> anchor = suiteClass(segments.get(1).getValue());
    String model = segments.get(2).getValue();
    if (anchor.isEmpty() || !matrix(anchor.get()).contains(model) || segments.size() > 4) {
      return unresolved();
    }
    if (segments.size() == 3) {
      return context.<ModelDescriptor>addToParent(() -> DiscoverySelectors.selectClass(anchor.get()),
              parent -> parent instanceof SuiteDescriptor suite ? suite.createModel(model) : Optional.empty())
          .map(container -> Resolution.match(Match.exact(container, () -> modelSelectors(container))))
          .orElse(unresolved());
    }
    UniqueId.Segment last = uniqueId.getLastSegment();
    return context.<TestDescriptor>addToParent(() -> DiscoverySelectors.selectUniqueId(uniqueId.removeLastSegment()),
            parent -> parent instanceof ModelDescriptor container ? inModel(container, last)
                : Optional.empty())
        .map(child -> Resolution.match(Match.exact(child)))
        .orElse(unresolved());
  }

  /** The child of {@code container} that {@code segment} names. */
  private Optional<TestDescriptor> inModel(ModelDescriptor container, UniqueId.Segment segment) {
    return switch (segment.getType()) {
      case ExampleDescriptor.SEGMENT_TYPE -> container.suite().example(segment.getValue()).map(container::createChild);
      case PassRateDescriptor.SEGMENT_TYPE -> container.createPassRate().map(TestDescriptor.class::cast);
      case BaselineDescriptor.SEGMENT_TYPE -> container.createBaseline(settings).map(TestDescriptor.class::cast);
      case OptimizationDescriptor.SEGMENT_TYPE -> container.createOptimization(settings)
          .map(TestDescriptor.class::cast);
      default -> Optional.empty();
    };
  }

  /** A suite's child that exists once per suite (its pass-rate verdict, its optimization), selected by unique id. */
  private Resolution suiteChild(UniqueId uniqueId, Context context, java.util.function.Function<SuiteDescriptor,
      Optional<? extends TestDescriptor>> create) {
    Optional<Class<?>> anchor = suiteClass(uniqueId.removeLastSegment().getLastSegment().getValue());
    if (anchor.isEmpty()) {
      return unresolved();
    }
    return context.<TestDescriptor>addToParent(() -> DiscoverySelectors.selectClass(anchor.get()),
            parent -> parent instanceof SuiteDescriptor suite ? create.apply(suite).map(TestDescriptor.class::cast)
                : Optional.empty())
        .map(child -> Resolution.match(Match.exact(child)))
        .orElse(unresolved());
  }

  private Optional<Class<?>> suiteClass(String className) {
    if (!classNameFilter.test(className)) {
      return Optional.empty();
    }
    return ReflectionSupport.tryToLoadClass(className).toOptional().filter(SuiteResolver::isSuite);
  }

  /**
   * Every example of the suite (of this shard, with {@code promptunit.shard}), its pass-rate verdict,
   * its baseline gate and its optimization; with Surefire's {@code -Dtest=Class#id} patterns naming
   * this suite, only the examples they match, and the verdicts over those, but no optimization.
   */
  private Set<? extends DiscoverySelector> exampleSelectors(SuiteDescriptor suite) {
    String className = suite.anchor().getName();
    boolean restricted = methodPatterns.restricts(className);
    if (restricted && suite.suite().isPresent()) {
      reportUnmatchedIds(suite);
    }
    if (suite.isMatrix()) {
      // each model's container, which selects its examples and verdicts as a suite of one model does
      Set<DiscoverySelector> selectors = new LinkedHashSet<>();
      suite.matrix().forEach(model -> selectors.add(DiscoverySelectors.selectUniqueId(suite.getUniqueId()
          .append(ModelDescriptor.SEGMENT_TYPE, model))));
      return selectors;
    }
    Set<DiscoverySelector> selectors = selectedExamples(suite, suite.getUniqueId());
    // the verdicts judge the examples that run (a tolerated failure must still be able to fail the run)
    suite.createPassRate().ifPresent(verdict ->
        selectors.add(DiscoverySelectors.selectUniqueId(verdict.getUniqueId())));
    suite.createBaseline(settings).ifPresent(gate ->
        selectors.add(DiscoverySelectors.selectUniqueId(gate.getUniqueId())));
    if (methodPatterns.names(className)) {
      return selectors; // naming examples is not asking for an optimization
    }
    suite.createOptimization(settings).ifPresent(optimization ->
        selectors.add(DiscoverySelectors.selectUniqueId(optimization.getUniqueId())));
    return selectors;
  }

  /** The selected examples of {@code suite} (by {@code -Dtest} and the shard) as children of {@code parent}. */
  private Set<DiscoverySelector> selectedExamples(SuiteDescriptor suite, UniqueId parent) {
    String className = suite.anchor().getName();
    boolean restricted = methodPatterns.restricts(className);
    return suite.examples().stream()
        .filter(example -> !restricted || methodPatterns.selects(className, example.id()))
        .filter(example -> shard.contains(className, example.id()))
        .map(example -> DiscoverySelectors.selectUniqueId(parent.append(ExampleDescriptor.SEGMENT_TYPE, example.id())))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** One model's examples (as {@link #exampleSelectors} selects them), verdicts and optimization. */
  private Set<DiscoverySelector> modelSelectors(ModelDescriptor container) {
    SuiteDescriptor suite = container.suite();
    Set<DiscoverySelector> selectors = selectedExamples(suite, container.getUniqueId());
    container.createPassRate().ifPresent(verdict ->
        selectors.add(DiscoverySelectors.selectUniqueId(verdict.getUniqueId())));
    container.createBaseline(settings).ifPresent(gate ->
        selectors.add(DiscoverySelectors.selectUniqueId(gate.getUniqueId())));
    if (!methodPatterns.names(suite.anchor().getName())) {
      container.createOptimization(settings).ifPresent(optimization ->
          selectors.add(DiscoverySelectors.selectUniqueId(optimization.getUniqueId())));
    }
    return selectors;
  }
}
