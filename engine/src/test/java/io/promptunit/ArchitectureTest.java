package io.promptunit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture of ../shared DESIGN, checked on the compiled classes of the annotations and
 * engine modules: the layers depend downwards only, no package cycles (strategies register
 * themselves instead of being listed by the optimizer core), and only the adapter package knows
 * JUnit.
 */
@AnalyzeClasses(packages = "io.promptunit", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("Adapter").definedBy("io.promptunit.junit..")
      .layer("Report").definedBy("io.promptunit.report..")
      .layer("Optimize").definedBy("io.promptunit.optimize..")
      .layer("Eval").definedBy("io.promptunit.eval..")
      .layer("Check").definedBy("io.promptunit.check..")
      .layer("Model").definedBy("io.promptunit.model..")
      .layer("Suite").definedBy("io.promptunit.suite..")
      .layer("Config").definedBy("io.promptunit.config..")
      .whereLayer("Adapter").mayNotBeAccessedByAnyLayer()
      .whereLayer("Report").mayOnlyBeAccessedByLayers("Adapter")
      .whereLayer("Optimize").mayOnlyBeAccessedByLayers("Adapter", "Report")
      .whereLayer("Eval").mayOnlyBeAccessedByLayers("Adapter", "Report", "Optimize")
      .whereLayer("Check").mayOnlyBeAccessedByLayers("Adapter", "Report", "Optimize", "Eval")
      .whereLayer("Model").mayOnlyBeAccessedByLayers("Adapter", "Report", "Optimize", "Eval", "Check")
      .whereLayer("Suite").mayOnlyBeAccessedByLayers("Adapter", "Report", "Optimize", "Eval", "Check")
      .whereLayer("Config").mayOnlyBeAccessedByLayers("Adapter", "Report", "Optimize", "Eval", "Check", "Model", "Suite");

  @ArchTest
  static final ArchRule noPackageCycles = slices().matching("io.promptunit.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlyTheAdapterKnowsTheJUnitPlatformEngine = noClasses().that().resideOutsideOfPackage("io.promptunit.junit..")
      .should().dependOnClassesThat().resideInAPackage("org.junit.platform.engine..");

  /** Everything but the adapter is usable from plain Java (opentest4j's AssertionFailedError, which checks throw, is not JUnit). */
  @ArchTest
  static final ArchRule nothingButTheAdapterIsJUnitAware = noClasses().that().resideOutsideOfPackages("io.promptunit.junit..")
      .and().resideOutsideOfPackage("io.promptunit")
      .should().dependOnClassesThat().resideInAnyPackage("org.junit..");

  /**
   * Every public type of the engine module says whether it is API (STABLE, or EXPERIMENTAL for the
   * strategy SPI) or INTERNAL, as JUnit's own types do.
   */
  @ArchTest
  static final ArchRule everyPublicEngineTypeDeclaresItsApiStatus = classes().that().arePublic().and().areTopLevelClasses()
      .and().resideOutsideOfPackage("io.promptunit")
      .should().beAnnotatedWith(org.apiguardian.api.API.class);

  /** The annotations a test author touches need nothing beyond the JDK and JUnit's {@code @Testable}. */
  @ArchTest
  static final ArchRule theAnnotationsNeedOnlyTheJdkAndTestable = classes().that().resideInAPackage("io.promptunit")
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.promptunit", "org.junit.platform.commons.annotation..");
}
