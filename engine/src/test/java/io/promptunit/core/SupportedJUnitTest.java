package io.promptunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.core.SupportedJUnit.Found;
import io.promptunit.core.SupportedJUnit.Jar;
import io.promptunit.core.SupportedJUnit.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SupportedJUnitTest {

  private static final String OLD_JAR = "/home/dev/.m2/repository/org/junit/platform/junit-platform-engine/1.11.4/junit-platform-engine-1.11.4.jar";

  @ParameterizedTest
  @CsvSource({
      "1.11.4, 1.11.4",
      "5.13.0-M1, 5.13.0",
      "6.0, 6.0.0",
      "6.1.3.RELEASE, 6.1.3",
  })
  void aVersionIsItsLeadingNumbers(String text, String version) {
    assertThat(Version.parse(text)).map(Version::toString).contains(version);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "6", "unknown", "v5.13.0", "99999999999.1.0"})
  void textWithoutMajorAndMinorIsNoVersion(String text) {
    assertThat(Version.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
      "5.9.3, true",    // numbers, not text: 9 < 13
      "5.12.2, true",
      "5.13.0, false",
      "5.13.4, false",
      "5.14.4, false",
      "6.0.0, false",
      "4.13.2, true",
  })
  void versionsBeforeTheMinimumAreOlder(String version, boolean older) {
    assertThat(Version.parse(version).orElseThrow().isOlderThan(SupportedJUnit.MINIMUM)).isEqualTo(older);
  }

  @Test
  void platformOneDotNShippedWithJUnitFiveDotNAndSixShareTheirNumbers() {
    assertThat(Jar.PLATFORM.release(new Version(1, 11, 4))).isEqualTo(new Version(5, 11, 4));
    assertThat(Jar.PLATFORM.release(new Version(6, 1, 3))).isEqualTo(new Version(6, 1, 3));
    assertThat(Jar.JUPITER.release(new Version(5, 12, 2))).isEqualTo(new Version(5, 12, 2));
  }

  @Test
  void anOldPlatformIsAProblemThatNamesTheVersionTheJarTheSupportedRangeAndTheFix() {
    Optional<String> problem = SupportedJUnit.problem(new Found(Jar.PLATFORM, Optional.of("1.11.4"), Optional.of(OLD_JAR), false));

    assertThat(problem).hasValueSatisfying(message -> assertThat(message)
        .startsWith("PromptUnit needs JUnit 5.13 or newer, but this test run has JUnit 5.11.4 (junit-platform-engine 1.11.4).\n")
        .contains("  found:     " + OLD_JAR + "\n")
        .contains("  supported: JUnit 5.13, 5.14 and 6.x (tested with 5.13.4, 5.14.4, 6.0.3 and 6.1.3)\n")
        .contains("import org.junit:junit-bom:6.1.3 (or 5.14.4 to stay on JUnit 5) in <dependencyManagement> (type pom, scope import)")
        .contains("with spring-boot-starter-parent, set the property <junit-jupiter.version>5.14.4</junit-jupiter.version> instead"));
  }

  @Test
  void anOldJupiterIsNamedByItsOwnJar() {
    Optional<String> problem = SupportedJUnit.problem(new Found(Jar.JUPITER, Optional.of("5.12.2"), Optional.empty(), false));

    assertThat(problem).hasValueSatisfying(message -> assertThat(message)
        .startsWith("PromptUnit needs JUnit 5.13 or newer, but this test run has JUnit 5.12.2 (junit-jupiter-api 5.12.2).\n")
        .doesNotContain("found:"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.13.4", "1.14.4", "6.0.0", "6.1.3", "7.0.0-M1"})
  void supportedPlatformsAreNoProblem(String version) {
    assertThat(SupportedJUnit.problem(new Found(Jar.PLATFORM, Optional.of(version), Optional.empty(), true))).isEmpty();
  }

  @Test
  void withoutAReadableVersionTheMissingClassDecides() {
    assertThat(SupportedJUnit.problem(new Found(Jar.PLATFORM, Optional.empty(), Optional.empty(), true))).isEmpty();
    assertThat(SupportedJUnit.problem(new Found(Jar.PLATFORM, Optional.empty(), Optional.empty(), false)))
        .hasValueSatisfying(message -> assertThat(message).startsWith("PromptUnit needs JUnit 5.13 or newer, but this test run has an older JUnit"
            + " (junit-platform-engine of unknown version, without org.junit.platform.engine.DiscoveryIssue)."));
  }

  @Test
  void aJarWithoutManifestVersionIsDatedByItsFileName() {
    assertThat(SupportedJUnit.versionInFileName(OLD_JAR, "junit-platform-engine")).contains("1.11.4");
    assertThat(SupportedJUnit.versionInFileName("C:\\m2\\junit-jupiter-api-5.12.2.jar", "junit-jupiter-api")).contains("5.12.2");
    assertThat(SupportedJUnit.versionInFileName("/work/engine/target/classes", "junit-platform-engine")).isEmpty();
  }

  /** The newest version the message recommends is the one the project builds and tests with; update both together. */
  @Test
  void theRunningJUnitIsSupportedAndIsTheNewestTheMessageNames() {
    Found platform = SupportedJUnit.find(Jar.PLATFORM).orElseThrow();

    assertThat(platform.version()).contains(SupportedJUnit.NEWEST_JUNIT_6);
    assertThat(platform.hasMinimumApi()).isTrue();
    assertThat(platform.location()).hasValueSatisfying(location -> assertThat(location).endsWith(".jar"));
    assertThat(SupportedJUnit.platformProblem()).isEmpty();
    assertThat(SupportedJUnit.find(Jar.JUPITER)).hasValueSatisfying(jupiter -> assertThat(SupportedJUnit.problem(jupiter)).isEmpty());
  }

  /** This build's class path has every jar the release check reads, all of JUnit 6.1.3: no mix. */
  @Test
  void theRunningJUnitsJarsAreAllFoundAndOfOneRelease() {
    for (Jar jar : Jar.values()) {
      assertThat(SupportedJUnit.find(jar)).as(jar.artifact)
          .hasValueSatisfying(found -> assertThat(found.version()).contains(SupportedJUnit.NEWEST_JUNIT_6));
    }
    assertThat(SupportedJUnit.releaseMix()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
      "1.13.4, 5.13.4",   // JUnit 5.13.4: Platform 1.13.4 with Jupiter 5.13.4
      "1.14.4, 5.14.4",
      "6.0.3, 6.0.3",     // JUnit 6: one number for both
      "6.1.3, 6.1.3",
  })
  void jarsOfOneReleaseAreNoMix(String platform, String jupiter) {
    assertThat(SupportedJUnit.mix(jars(platform, jupiter))).isEmpty();
  }

  @Test
  void jupiter514WithPlatform113IsAMixThatNamesEveryJarItsVersionAndTheFix() {
    Optional<String> mix = SupportedJUnit.mix(jars("1.13.4", "5.14.4"));

    assertThat(mix).contains("""
        PromptUnit cannot run on this class path: its JUnit jars are of different JUnit releases (5.13.4, 5.14.4), \
        which fail together with a NoSuchMethodError or NoClassDefFoundError.
          junit-platform-engine   1.13.4 (JUnit 5.13.4)
          junit-platform-commons  1.13.4 (JUnit 5.13.4)
          junit-platform-launcher 1.13.4 (JUnit 5.13.4)
          junit-jupiter-api       5.14.4
          junit-jupiter-engine    5.14.4
          junit-jupiter-params    5.14.4
          fix:       import org.junit:junit-bom:6.1.3 (or 5.14.4 to stay on JUnit 5) in <dependencyManagement> \
        (type pom, scope import), above any other BOM;
                     and declare every JUnit artifact (junit-jupiter, junit-platform-launcher, ...) without a <version>, \
        so that the BOM sets them all;
                     with spring-boot-starter-parent, set the property <junit-jupiter.version> to one version instead \
        (5.14.4 on Spring Boot 3): it sets every JUnit jar through the JUnit BOM
          read:      PromptUnit's README.md, "In your own project", step 2: "If your JUnit jars are of different releases\"""");
  }

  /** The newcomer's mix: junit-jupiter 5.14 declared beside the JUnit 6 PromptUnit brings, without the BOM. */
  @Test
  void jupiterEngine514BesidePlatform6IsAMix() {
    List<Found> jars = List.of(found(Jar.PLATFORM, "6.0.3"), found(Jar.PLATFORM_COMMONS, "6.0.3"),
        found(Jar.PLATFORM_LAUNCHER, "6.0.3"), found(Jar.JUPITER, "6.0.3"), found(Jar.JUPITER_ENGINE, "5.14.4"),
        found(Jar.JUPITER_PARAMS, "6.0.3"));

    assertThat(SupportedJUnit.mix(jars)).hasValueSatisfying(message -> assertThat(message)
        .startsWith("PromptUnit cannot run on this class path: its JUnit jars are of different JUnit releases (5.14.4, 6.0.3)")
        .contains("  junit-jupiter-engine    5.14.4\n", "  junit-platform-engine   6.0.3\n", "  junit-jupiter-api       6.0.3\n")
        .doesNotContain("(JUnit 6.0.3)"));
  }

  @Test
  void onlyTheLaunchersReleaseDifferingIsAMixToo() {
    List<Found> jars = List.of(found(Jar.PLATFORM, "1.14.4"), found(Jar.PLATFORM_LAUNCHER, "6.0.3"));

    assertThat(SupportedJUnit.mix(jars)).hasValueSatisfying(message -> assertThat(message)
        .contains("(5.14.4, 6.0.3)", "  junit-platform-engine   1.14.4 (JUnit 5.14.4)\n", "  junit-platform-launcher 6.0.3\n"));
  }

  /** A jar without a readable version (a repackaged one, a class folder) and a missing optional jar are no evidence. */
  @Test
  void jarsOfUnknownVersionAndMissingJarsAreNoMix() {
    List<Found> jars = List.of(found(Jar.PLATFORM, "6.0.3"), new Found(Jar.PLATFORM_COMMONS, Optional.empty(), Optional.empty(), true),
        found(Jar.JUPITER, "unknown"), found(Jar.JUPITER_ENGINE, "6.0.3"));

    assertThat(SupportedJUnit.mix(jars)).isEmpty();
    assertThat(SupportedJUnit.mix(List.of(found(Jar.PLATFORM, "1.14.4")))).isEmpty();
    assertThat(SupportedJUnit.mix(List.of())).isEmpty();
  }

  /** The release is the version's numbers: a milestone of a release is that release. */
  @Test
  void classesOfOneFatJarAreOneReleaseWhateverItsManifestStates() {
    // junit-platform-console-standalone 1.14.4 states the Platform's version for its Jupiter packages too
    String standalone = "/m2/junit-platform-console-standalone-1.14.4.jar";
    assertThat(SupportedJUnit.mix(List.of(new Found(Jar.PLATFORM, Optional.of("1.14.4"), Optional.of(standalone), true),
        new Found(Jar.JUPITER, Optional.of("1.14.4"), Optional.of(standalone), true)))).isEmpty();
    assertThat(SupportedJUnit.mix(List.of(new Found(Jar.PLATFORM, Optional.of("1.14.4"), Optional.of(standalone), true),
        new Found(Jar.JUPITER_ENGINE, Optional.of("6.0.3"), Optional.of("/m2/junit-jupiter-engine-6.0.3.jar"), true))))
        .isPresent();
  }

  @Test
  void jarsOfOneFeatureReleaseWhosePatchNumbersDifferAreNoMix() {
    assertThat(SupportedJUnit.mix(List.of(found(Jar.PLATFORM, "1.14.3"),
        found(Jar.JUPITER, "5.14.4")))).isEmpty();
    assertThat(SupportedJUnit.mix(List.of(found(Jar.PLATFORM, "6.0.2"),
        found(Jar.JUPITER, "6.0.3")))).isEmpty();
    assertThat(SupportedJUnit.mix(List.of(found(Jar.PLATFORM, "6.1.3"),
        found(Jar.JUPITER, "6.0.3")))).isPresent();
  }

  @Test
  void qualifiersDoNotMakeAMix() {
    assertThat(SupportedJUnit.mix(List.of(found(Jar.PLATFORM, "1.13.0-M1"), found(Jar.JUPITER, "5.13.0-M1")))).isEmpty();
  }

  /** The message sends the reader to a paragraph of the README's step 2: it is there, and says what the message says. */
  @Test
  void theReadmeHasTheParagraphTheMixMessageNames() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    String stepTwo = readme.substring(readme.indexOf("## In your own project"), readme.indexOf("**3. A suite**"));

    assertThat(stepTwo).contains("**2. A minimal `pom.xml`.**", "**" + SupportedJUnit.MIX_README_PARAGRAPH + "**",
        "PromptUnit cannot run on this class path: its JUnit jars are of different JUnit releases");
  }

  private static List<Found> jars(String platform, String jupiter) {
    return Stream.concat(
        Stream.of(Jar.PLATFORM, Jar.PLATFORM_COMMONS, Jar.PLATFORM_LAUNCHER).map(jar -> found(jar, platform)),
        Stream.of(Jar.JUPITER, Jar.JUPITER_ENGINE, Jar.JUPITER_PARAMS).map(jar -> found(jar, jupiter))).toList();
  }

  private static Found found(Jar jar, String version) {
    return new Found(jar, Optional.of(version), Optional.empty(), true);
  }
}
