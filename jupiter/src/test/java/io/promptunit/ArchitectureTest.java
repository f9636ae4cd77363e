package io.promptunit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMembers;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apiguardian.api.API;
import org.apiguardian.api.API.Status;

/**
 * The architecture described in ARCHITECTURE.md (in the repository root), checked on the compiled
 * main classes of all three modules a user depends on: the annotations ({@code io.promptunit}), the
 * engine (every other {@code io.promptunit.*} package) and the Jupiter integration
 * ({@code io.promptunit.jupiter}). The rules live here because this module's test class path is the
 * one that holds all three.
 *
 * <p>The layers depend downwards only, no package cycles (strategies register themselves instead of
 * being listed by the optimizer core), only the engine adapter knows JUnit's engine API, and the
 * Jupiter integration meets users in JUnit Jupiter without going through the adapter. Every public
 * type says whether users may rely on it: {@code EXPERIMENTAL} for what they touch during 0.x,
 * {@code INTERNAL} for the rest, never {@code STABLE} before 1.0.
 */
@AnalyzeClasses(packages = "io.promptunit", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The most public engine types that may be meant for users (not {@code INTERNAL}). */
  static final int MAX_PUBLIC_ENGINE_API_TYPES = 30;

  private static final String ANNOTATIONS = "io.promptunit";
  private static final String JUPITER = "io.promptunit.jupiter..";

  @ArchTest
  static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("Adapter").definedBy("io.promptunit.junit..")
      .layer("Jupiter").definedBy(JUPITER)
      .layer("Core").definedBy("io.promptunit.core..")
      .layer("Report").definedBy("io.promptunit.report..")
      .layer("Optimize").definedBy("io.promptunit.optimize..")
      .layer("Eval").definedBy("io.promptunit.eval..")
      .layer("Check").definedBy("io.promptunit.check..")
      .layer("Model").definedBy("io.promptunit.model..")
      .layer("Suite").definedBy("io.promptunit.suite..")
      .layer("Config").definedBy("io.promptunit.config..")
      .whereLayer("Adapter").mayNotBeAccessedByAnyLayer()
      .whereLayer("Jupiter").mayNotBeAccessedByAnyLayer()
      .whereLayer("Core").mayOnlyBeAccessedByLayers("Adapter", "Jupiter")
      .whereLayer("Report").mayOnlyBeAccessedByLayers("Adapter", "Jupiter", "Core")
      .whereLayer("Optimize").mayOnlyBeAccessedByLayers("Adapter", "Jupiter", "Core", "Report")
      .whereLayer("Eval").mayOnlyBeAccessedByLayers("Adapter", "Jupiter", "Core", "Report", "Optimize")
      .whereLayer("Check").mayOnlyBeAccessedByLayers("Adapter", "Jupiter", "Core", "Report", "Optimize", "Eval")
      .whereLayer("Model").mayOnlyBeAccessedByLayers("Adapter", "Jupiter", "Core", "Report", "Optimize", "Eval", "Check")
      .whereLayer("Suite").mayOnlyBeAccessedByLayers("Adapter", "Jupiter", "Core", "Report", "Optimize", "Eval", "Check")
      .whereLayer("Config")
      .mayOnlyBeAccessedByLayers("Adapter", "Jupiter", "Core", "Report", "Optimize", "Eval", "Check", "Model", "Suite");

  @ArchTest
  static final ArchRule noPackageCycles = slices().matching("io.promptunit.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlyTheAdapterKnowsTheJUnitPlatformEngine = noClasses().that().resideOutsideOfPackage("io.promptunit.junit..")
      .should().dependOnClassesThat().resideInAPackage("org.junit.platform.engine..");

  /**
   * Everything but the adapter and the Jupiter integration is usable from plain Java (the
   * annotations only carry JUnit's {@code @Testable}; opentest4j's AssertionFailedError, which checks
   * throw, is not JUnit).
   */
  @ArchTest
  static final ArchRule nothingButTheAdapterAndTheJupiterIntegrationIsJUnitAware = noClasses()
      .that().resideOutsideOfPackages("io.promptunit.junit..", JUPITER, ANNOTATIONS)
      .should().dependOnClassesThat().resideInAnyPackage("org.junit..");

  /** The Jupiter integration scores prompts through the engine's plain-Java API, never through its JUnit Platform adapter. */
  @ArchTest
  static final ArchRule theJupiterIntegrationDoesNotUseTheEngineAdapter = noClasses().that().resideInAPackage(JUPITER)
      .should().dependOnClassesThat().resideInAPackage("io.promptunit.junit..");

  /** The annotations a test author touches need nothing beyond the JDK, JUnit's {@code @Testable} and {@code @API}. */
  @ArchTest
  static final ArchRule theAnnotationsNeedOnlyTheJdkAndTestable = classes().that().resideInAPackage(ANNOTATIONS)
      .should().onlyDependOnClassesThat()
      .resideInAnyPackage("java..", ANNOTATIONS, "org.junit.platform.commons.annotation..", "org.apiguardian.api..");

  /** Every public type of every module says whether it is meant for users, as JUnit's own types do. */
  @ArchTest
  static final ArchRule everyPublicTypeDeclaresItsApiStatus = classes().that().arePublic().and().areTopLevelClasses()
      .should().beAnnotatedWith(API.class);

  /** Nothing is {@code STABLE} during 0.x: what users touch is {@code EXPERIMENTAL} until 1.0. */
  @ArchTest
  static final ArchRule noTypeIsStableBeforeOneDotZero = noClasses().should().beAnnotatedWith(apiStatus(Status.STABLE));

  @ArchTest
  static final ArchRule noMemberIsStableBeforeOneDotZero = noMembers().should().beAnnotatedWith(apiStatus(Status.STABLE))
      .allowEmptyShould(true);

  /**
   * The engine keeps the surface users may rely on small: at most {@value #MAX_PUBLIC_ENGINE_API_TYPES}
   * public types that are not {@code INTERNAL}. Everything else is {@code INTERNAL}, or package-private
   * where nothing outside its package needs it.
   */
  @ArchTest
  static final ArchRule theEngineOffersFewPublicTypes = classes()
      .that().resideOutsideOfPackages(ANNOTATIONS, JUPITER)
      .and().arePublic().and().areTopLevelClasses()
      .and().areNotAnnotatedWith(apiStatus(Status.INTERNAL))
      .should(beAtMost(MAX_PUBLIC_ENGINE_API_TYPES));

  private static DescribedPredicate<JavaAnnotation<?>> apiStatus(Status status) {
    return DescribedPredicate.describe("@API(status = " + status + ")",
        annotation -> annotation.getRawType().isEquivalentTo(API.class) && annotation.as(API.class).status() == status);
  }

  private static ArchCondition<JavaClass> beAtMost(int max) {
    return new ArchCondition<>("be at most " + max + " types") {
      private final List<String> names = new ArrayList<>();

      @Override
      public void init(Collection<JavaClass> all) {
        names.clear();
      }

      @Override
      public void check(JavaClass type, ConditionEvents events) {
        names.add(type.getName());
      }

      @Override
      public void finish(ConditionEvents events) {
        if (names.size() > max) {
          events.add(SimpleConditionEvent.violated(names, names.size() + " public engine types are not INTERNAL, at most " + max
              + " may be: mark the ones users need not touch @API(status = INTERNAL), or make them package-private: "
              + String.join(", ", names.stream().sorted().toList())));
        }
      }
    };
  }
}
