package io.promptunit.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The JUnit versions PromptUnit runs on, checked before anything that needs them is loaded.
 *
 * <p>PromptUnit is built against JUnit 6 and needs at least JUnit 5.13 (Platform 1.13: {@code
 * DiscoveryIssue}; Jupiter 5.13: {@code ParameterDeclarations}, stores that close their values). On
 * an older JUnit — the 5.11 or 5.12 that Spring Boot 3.4 and 3.5 manage — discovery would fail with
 * a {@code NoClassDefFoundError} that Surefire hides in a {@code .dump} file. This class finds the
 * JUnit jars by class name only (reflection, so it loads on any JUnit) and turns an old one into a
 * message that names the version found, the versions supported and the lines that fix the pom.
 *
 * <p>It also reads the release of every JUnit jar it knows (Platform engine, commons and launcher, Jupiter API,
 * engine and params, each when present) and refuses a class path that mixes releases — typically a {@code
 * junit-jupiter} of one version declared beside the JUnit that PromptUnit brings, without the JUnit BOM. JUnit's jars
 * call each other's internals, so a mix fails with a {@code NoSuchMethodError} or {@code NoClassDefFoundError} at
 * discovery; {@link #releaseMix()} names each jar and its version instead. A jar without a readable version does not
 * count, and neither do jars it does not know (Vintage, other engines).
 *
 * <pre>{@code
 * SupportedJUnit.requireJupiter();   // first thing in a Jupiter extension: throws IllegalStateException on JUnit 5.12
 *                                    // or on Jupiter 5.14 beside Platform 6.0
 * }</pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class SupportedJUnit {

  /** The oldest JUnit release PromptUnit runs on. */
  static final Version MINIMUM = new Version(5, 13, 0);

  /** The oldest supported JUnit release, as users name it: {@code 5.13}. */
  public static String minimum() {
    return MINIMUM.line();
  }
  /** The releases readme-check's junit-versions project and the project's own build run PromptUnit on. */
  static final String TESTED = "5.13.4, 5.14.4, 6.0.3 and 6.1.3";
  /** The newest JUnit 5, for builds that stay on JUnit 5 (Spring Boot 3). */
  static final String NEWEST_JUNIT_5 = "5.14.4";
  /** The JUnit the project builds with (junit.version in the parent pom). */
  static final String NEWEST_JUNIT_6 = "6.1.3";
  /** The README paragraph (step 2 of "In your own project") that the message about mixed releases points to. */
  static final String MIX_README_PARAGRAPH = "If your JUnit jars are of different releases";

  private static final Map<Jar, Optional<String>> PROBLEMS = new ConcurrentHashMap<>();

  private SupportedJUnit() {}

  /**
   * The JUnit jars PromptUnit knows, each by a class every version has; those it links against also by one that
   * arrived with the minimum. Each one present counts for the release check; any may be absent (a run without Jupiter
   * has no Jupiter jars, one started without a launcher jar no launcher).
   */
  enum Jar {
    PLATFORM("junit-platform-engine", "org.junit.platform.engine.TestEngine",
        "org.junit.platform.engine.DiscoveryIssue"),
    PLATFORM_COMMONS("junit-platform-commons", "org.junit.platform.commons.JUnitException", null),
    PLATFORM_LAUNCHER("junit-platform-launcher", "org.junit.platform.launcher.Launcher", null),
    JUPITER("junit-jupiter-api", "org.junit.jupiter.api.Test", "org.junit.jupiter.api.ClassTemplate"),
    JUPITER_ENGINE("junit-jupiter-engine", "org.junit.jupiter.engine.JupiterTestEngine", null),
    JUPITER_PARAMS("junit-jupiter-params", "org.junit.jupiter.params.ParameterizedTest",
        "org.junit.jupiter.params.support.ParameterDeclarations");

    final String artifact;
    final String anyVersionClass;
    final Optional<String> minimumVersionClass;

    Jar(String artifact, String anyVersionClass, String minimumVersionClass) {
      this.artifact = artifact;
      this.anyVersionClass = anyVersionClass;
      this.minimumVersionClass = Optional.ofNullable(minimumVersionClass);
    }

    /**
     * The JUnit release a version of this jar belongs to: Platform 1.N.x shipped with JUnit 5.N.x (Platform 1.13.4
     * is JUnit 5.13.4); from 6 on Platform and Jupiter share numbers.
     */
    Version release(Version jarVersion) {
      return artifact.startsWith("junit-platform-") && jarVersion.major() == 1
          ? new Version(5, jarVersion.minor(), jarVersion.patch())
          : jarVersion;
    }
  }

  /**
   * A JUnit jar as found at run time.
   *
   * @param version the version its manifest (or file name) states, if any
   * @param location where it was loaded from, if known
   * @param hasMinimumApi whether it has the class that arrived with the minimum version
   */
  record Found(Jar jar, Optional<String> version, Optional<String> location, boolean hasMinimumApi) {}

  /** Why PromptUnit cannot run on this JUnit Platform, or empty when it can. */
  public static Optional<String> platformProblem() {
    return problemOf(Jar.PLATFORM);
  }

  /**
   * Why PromptUnit cannot run on this class path because its JUnit jars are of different releases, or empty when they
   * are of one (jars without a readable version aside). Looked up once.
   */
  public static Optional<String> releaseMix() {
    return Mix.PROBLEM;
  }

  /**
   * Throws when this JUnit is too old for the Jupiter integration (its Jupiter API or the Platform under it), or its
   * jars are of different releases.
   */
  public static void requireJupiter() {
    require(Jar.JUPITER, Jar.PLATFORM);
  }

  /**
   * Throws when this JUnit is too old for {@code @ExamplesSource} (its Jupiter Params or the Platform under it), or
   * its jars are of different releases.
   */
  public static void requireJupiterParams() {
    require(Jar.JUPITER_PARAMS, Jar.JUPITER, Jar.PLATFORM);
  }

  /** The too-old message comes first: it names the jar to update, and a mix with a too-old jar has the same fix. */
  private static void require(Jar... jars) {
    for (Jar jar : jars) {
      Optional<String> problem = problemOf(jar);
      if (problem.isPresent()) {
        throw new IllegalStateException(problem.get());
      }
    }
    Optional<String> mix = releaseMix();
    if (mix.isPresent()) {
      throw new IllegalStateException(mix.get());
    }
  }

  /** The class path's JUnit releases, read on first use (the holder idiom: once, thread-safe, only when asked). */
  private static final class Mix {
    static final Optional<String> PROBLEM = mix(Arrays.stream(Jar.values()).map(SupportedJUnit::find)
        .flatMap(Optional::stream).toList());
  }

  /** Looked up once per jar: the Jupiter checks run before every test that uses PromptUnit. */
  private static Optional<String> problemOf(Jar jar) {
    return PROBLEMS.computeIfAbsent(jar, key -> find(key).flatMap(SupportedJUnit::problem));
  }

  /** The reason a jar is too old, or empty. Without a readable version, the missing class decides. */
  static Optional<String> problem(Found found) {
    Optional<Version> release = releaseOf(found);
    boolean tooOld = release.map(version -> version.isOlderThan(MINIMUM)).orElse(!found.hasMinimumApi());
    return tooOld ? Optional.of(message(found, release)) : Optional.empty();
  }

  static String message(Found found, Optional<Version> release) {
    String jarVersion = found.version()
        .orElse("of unknown version, without " + found.jar().minimumVersionClass.orElse("its newer classes"));
    String what = release.map(version -> "JUnit " + version).orElse("an older JUnit");
    return "PromptUnit needs JUnit " + MINIMUM.line() + " or newer, but this test run has " + what
        + " (" + found.jar().artifact + " " + jarVersion + ").\n"
        + found.location().map(location -> "  found:     " + location + "\n").orElse("")
        + "  supported: JUnit " + MINIMUM.line() + ", 5.14 and 6.x (tested with " + TESTED + ")\n"
        + BOM_FIX
        + "             with spring-boot-starter-parent, set the property"
        + " <junit-jupiter.version>" + NEWEST_JUNIT_5
            + "</junit-jupiter.version> instead (Spring Boot 3 manages an older JUnit 5)";
  }

  private static final String BOM_FIX = "  fix:       import org.junit:junit-bom:" + NEWEST_JUNIT_6 + " (or "
      + NEWEST_JUNIT_5 + " to stay on JUnit 5) in <dependencyManagement> (type pom, scope import),"
      + " above any other BOM;\n";

  /**
   * Why these JUnit jars cannot run together, or empty when they are of one release. Only jars with a readable version
   * count: a missing jar or one without a version is no evidence of a mix.
   */
  static Optional<String> mix(List<Found> jars) {
    // classes loaded from one file came in one jar (a fat jar such as junit-platform-console-standalone 1.x states
    // one Implementation-Version, the Platform's, for its Jupiter packages too): one release, whatever it states
    Set<String> seen = new java.util.HashSet<>();
    List<Found> dated = jars.stream().filter(found -> releaseOf(found).isPresent())
        .filter(found -> found.location().map(seen::add).orElse(true)).toList();
    List<Version> releases = dated.stream().map(found -> releaseOf(found).orElseThrow()).distinct().sorted().toList();
    // JUnit changes what its jars link against between feature releases; jars of one feature release whose patch
    // numbers differ (5.14.3 beside 5.14.4) link together, and refusing them would fail a run that works
    long lines = releases.stream().map(version -> version.major() + "." + version.minor()).distinct().count();
    return lines < 2 ? Optional.empty() : Optional.of(mixMessage(dated, releases));
  }

  private static Optional<Version> releaseOf(Found found) {
    return found.version().flatMap(Version::parse).map(found.jar()::release);
  }

  private static String mixMessage(List<Found> jars, List<Version> releases) {
    int width = jars.stream().mapToInt(found -> found.jar().artifact.length()).max().orElse(0);
    String names = releases.stream().map(Version::toString).collect(Collectors.joining(", "));
    return "PromptUnit cannot run on this class path: its JUnit jars are of different JUnit releases (" + names
        + "), which fail together with a NoSuchMethodError or NoClassDefFoundError.\n"
        + jars.stream().map(found -> "  " + padded(found.jar().artifact, width) + " " + found.version().orElseThrow()
            + platformRelease(found) + "\n").collect(Collectors.joining())
        + BOM_FIX
        + "             and declare every JUnit artifact (junit-jupiter, junit-platform-launcher, ...) without a"
        + " <version>, so that the BOM sets them all;\n"
        + "             with spring-boot-starter-parent, set the property <junit-jupiter.version> to one version"
        + " instead (" + NEWEST_JUNIT_5 + " on Spring Boot 3): it sets every JUnit jar through the JUnit BOM\n"
        + "  read:      PromptUnit's README.md, \"In your own project\", step 2: \"" + MIX_README_PARAGRAPH + "\"";
  }

  private static String padded(String text, int width) {
    return text + " ".repeat(width - text.length());
  }

  /** Platform 1.N.x is JUnit 5.N.x: said beside it, so that 1.13.4 beside 5.14.4 reads as the mix it is. */
  private static String platformRelease(Found found) {
    Version release = releaseOf(found).orElseThrow();
    return Version.parse(found.version().orElseThrow()).filter(version -> !version.equals(release)).isPresent()
        ? " (JUnit " + release + ")" : "";
  }

  /** The jar as the running JUnit has it, or empty when it is not on the class path at all. */
  static Optional<Found> find(Jar jar) {
    Optional<Class<?>> anyVersion = load(jar.anyVersionClass);
    if (anyVersion.isEmpty()) {
      return Optional.empty();
    }
    Class<?> probe = anyVersion.get();
    Optional<String> location = location(probe);
    Optional<String> version = Optional.ofNullable(probe.getPackage()).map(Package::getImplementationVersion)
        .or(() -> location.flatMap(path -> versionInFileName(path, jar.artifact)));
    boolean hasMinimumApi = jar.minimumVersionClass.map(name -> load(name, probe.getClassLoader()).isPresent())
        .orElse(true);
    return Optional.of(new Found(jar, version, location, hasMinimumApi));
  }

  /** The version in a Maven-style file name such as {@code junit-platform-engine-1.11.4.jar}. */
  static Optional<String> versionInFileName(String path, String artifact) {
    Matcher matcher = Pattern.compile(Pattern.quote(artifact) + "-(\\d+\\.\\d+[^/\\\\]*)\\.jar$").matcher(path);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  private static Optional<Class<?>> load(String className) {
    Optional<Class<?>> ours = load(className, SupportedJUnit.class.getClassLoader());
    return ours.isPresent() ? ours : load(className, Thread.currentThread().getContextClassLoader());
  }

  private static Optional<Class<?>> load(String className, ClassLoader loader) {
    try {
      return Optional.of(Class.forName(className, false, loader));
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
  }

  private static Optional<String> location(Class<?> type) {
    try {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      URL url = source == null ? null : source.getLocation();
      return url == null ? Optional.empty() : Optional.of(url.getProtocol().equals("file") ? Path.of(url.toURI())
          .toString() : url.toString());
    } catch (SecurityException | URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A version's leading numbers ({@code 5.13.0-M1} is 5.13.0); qualifiers do not matter for what an API has. */
  record Version(int major, int minor, int patch) implements Comparable<Version> {

    private static final Pattern NUMBERS = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    static Optional<Version> parse(String text) {
      Matcher matcher = NUMBERS.matcher(text.strip());
      if (!matcher.lookingAt()) {
        return Optional.empty();
      }
      try {
        int patch = matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3));
        return Optional.of(new Version(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), patch));
      } catch (NumberFormatException tooLong) {
        return Optional.empty();
      }
    }

    boolean isOlderThan(Version other) {
      return compareTo(other) < 0;
    }

    @Override
    public int compareTo(Version other) {
      return Comparator.comparingInt(Version::major).thenComparingInt(Version::minor).thenComparingInt(Version::patch)
          .compare(this, other);
    }

    /** {@code 5.13}: major and minor only, naming a release line. */
    String line() {
      return major + "." + minor;
    }

    @Override
    public String toString() {
      return major + "." + minor + "." + patch;
    }
  }
}
