package io.promptunit.engine;

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
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * Resolves class selectors (also those that package and classpath-root selectors expand to) into
 * suites with all their examples, and unique-id selectors into a suite or exactly one example.
 */
final class SuiteResolver implements SelectorResolver {

  private final Predicate<String> classNameFilter;

  SuiteResolver(Predicate<String> classNameFilter) {
    this.classNameFilter = classNameFilter;
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
    return context.addToParent(parent -> Optional.of(SuiteDescriptor.create(parent.getUniqueId(), anchor)))
        .map(suite -> Resolution.match(Match.exact(suite, () -> exampleSelectors(suite))))
        .orElse(unresolved());
  }

  @Override
  public Resolution resolve(UniqueIdSelector selector, Context context) {
    UniqueId uniqueId = selector.getUniqueId();
    List<UniqueId.Segment> segments = uniqueId.getSegments();
    UniqueId.Segment last = uniqueId.getLastSegment();
    if (last.getType().equals(SuiteDescriptor.SEGMENT_TYPE) && segments.size() == 2) {
      return suiteClass(last.getValue()).map(type -> Resolution.selectors(Set.of(DiscoverySelectors.selectClass(type)))).orElse(unresolved());
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
    if (last.getType().equals(OptimizationDescriptor.SEGMENT_TYPE) && segments.size() == 3) {
      return suiteChild(uniqueId, context, SuiteDescriptor::createOptimization);
    }
    return unresolved();
  }

  /** A suite's child that exists once per suite (its pass-rate verdict, its optimization), selected by unique id. */
  private Resolution suiteChild(UniqueId uniqueId, Context context, java.util.function.Function<SuiteDescriptor, Optional<? extends TestDescriptor>> create) {
    Optional<Class<?>> anchor = suiteClass(uniqueId.removeLastSegment().getLastSegment().getValue());
    if (anchor.isEmpty()) {
      return unresolved();
    }
    return context.<TestDescriptor>addToParent(() -> DiscoverySelectors.selectClass(anchor.get()),
            parent -> parent instanceof SuiteDescriptor suite ? create.apply(suite).map(TestDescriptor.class::cast) : Optional.empty())
        .map(child -> Resolution.match(Match.exact(child)))
        .orElse(unresolved());
  }

  private Optional<Class<?>> suiteClass(String className) {
    if (!classNameFilter.test(className)) {
      return Optional.empty();
    }
    return ReflectionSupport.tryToLoadClass(className).toOptional().filter(SuiteResolver::isSuite);
  }

  private static Set<? extends DiscoverySelector> exampleSelectors(SuiteDescriptor suite) {
    List<Example> examples = suite.examples();
    Set<DiscoverySelector> selectors = examples.stream()
        .map(example -> DiscoverySelectors.selectUniqueId(suite.getUniqueId().append(ExampleDescriptor.SEGMENT_TYPE, example.id())))
        .collect(Collectors.toCollection(LinkedHashSet::new));
    suite.createPassRate().ifPresent(verdict -> selectors.add(DiscoverySelectors.selectUniqueId(verdict.getUniqueId())));
    suite.createOptimization().ifPresent(optimization -> selectors.add(DiscoverySelectors.selectUniqueId(optimization.getUniqueId())));
    return selectors;
  }
}
