package io.promptunit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering the README promises, checked on the source files: {@code io.promptunit.engine} is the
 * only package that uses JUnit (everything else is usable from plain Java), nothing depends on the
 * engine package, and the annotations a test author touches need nothing beyond the JDK and JUnit's
 * {@code @Testable}.
 *
 * <p>Paths are relative to the engine module, Surefire's working directory.
 */
class ArchitectureTest {

  private static final Path ENGINE_SOURCES = Path.of("src/main/java");
  private static final Path ANNOTATION_SOURCES = Path.of("../annotations/src/main/java");
  private static final String ENGINE_PACKAGE = "io.promptunit.engine";

  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.*]+)\\s*;", Pattern.MULTILINE);

  /** One source file: its package, its imports, and its code with comments and string literals removed. */
  private record Source(Path file, String packageName, List<String> imports, String code) {

    static Source read(Path file) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String code = withoutCommentsAndLiterals(text);
      Matcher declared = PACKAGE.matcher(code);
      String packageName = declared.find() ? declared.group(1) : "";
      List<String> imports = IMPORT.matcher(code).results().map(m -> m.group(1)).collect(Collectors.toList());
      return new Source(file, packageName, imports, code);
    }

    boolean inEnginePackage() {
      return packageName.equals(ENGINE_PACKAGE) || packageName.startsWith(ENGINE_PACKAGE + ".");
    }

    /** Imports and fully qualified names in code that start with {@code prefix}. */
    List<String> references(String prefix) {
      Pattern qualified = Pattern.compile("(?<![\\w.])" + Pattern.quote(prefix) + "[\\w.*]*");
      return qualified.matcher(code).results().map(m -> m.group()).distinct().collect(Collectors.toList());
    }

    @Override
    public String toString() {
      return file.toString();
    }
  }

  /** {@code text} with comments blanked and string, text-block and char literals emptied, so that only code remains. */
  private static String withoutCommentsAndLiterals(String text) {
    StringBuilder code = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("//", i)) {
        int end = text.indexOf('\n', i);
        i = end < 0 ? text.length() : end;
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? text.length() : end + 2;
        code.append(' ');
      } else if (text.startsWith("\"\"\"", i)) {
        int end = text.indexOf("\"\"\"", i + 3);
        while (end > 0 && text.charAt(end - 1) == '\\') {
          end = text.indexOf("\"\"\"", end + 1);
        }
        i = end < 0 ? text.length() : end + 3;
        code.append("\"\"");
      } else if (text.charAt(i) == '"' || text.charAt(i) == '\'') {
        char quote = text.charAt(i++);
        while (i < text.length() && text.charAt(i) != quote && text.charAt(i) != '\n') {
          i += text.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
        code.append(quote).append(quote);
      } else {
        code.append(text.charAt(i++));
      }
    }
    return code.toString();
  }

  private static List<Source> sources(Path root) {
    assertThat(root).as("source folder (the working directory must be the engine module)").isDirectory();
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().map(Source::read).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theScanSeesEveryPackageOfTheEngineModule() {
    assertThat(sources(ENGINE_SOURCES)).extracting(Source::packageName)
        .contains("io.promptunit.engine", "io.promptunit.config", "io.promptunit.suite", "io.promptunit.eval", "io.promptunit.model");
  }

  @Test
  void onlyTheEnginePackageImportsTheJUnitPlatformEngineApi() {
    List<Source> sources = sources(ENGINE_SOURCES);

    assertThat(sources).filteredOn(Source::inEnginePackage)
        .as("the engine package is the JUnit adapter")
        .anyMatch(s -> !s.references("org.junit.platform.engine").isEmpty());
    assertThat(sources).filteredOn(s -> !s.inEnginePackage())
        .allSatisfy(s -> assertThat(s.references("org.junit.platform.engine")).as("%s", s).isEmpty());
  }

  @Test
  void noPackageButTheEnginePackageUsesJUnitAtAll() {
    // config, suite, eval, model, optimize and report are usable from plain Java. (eval may use
    // opentest4j's AssertionFailedError, which custom checks throw: that is not JUnit.)
    assertThat(sources(ENGINE_SOURCES)).filteredOn(s -> !s.inEnginePackage())
        .allSatisfy(s -> assertThat(s.references("org.junit.")).as("%s", s).isEmpty());
  }

  @Test
  void noPackageDependsOnTheEnginePackage() {
    assertThat(sources(ENGINE_SOURCES)).filteredOn(s -> !s.inEnginePackage())
        .allSatisfy(s -> assertThat(s.references(ENGINE_PACKAGE + ".")).as("%s", s).isEmpty());
  }

  @Test
  void theAnnotationsImportOnlyTheJdkAndJUnitsTestableAnnotation() {
    List<Source> sources = sources(ANNOTATION_SOURCES);

    assertThat(sources).extracting(Source::packageName).containsOnly("io.promptunit");
    assertThat(sources).allSatisfy(s -> assertThat(s.imports()).as("%s", s)
        .allMatch(i -> i.startsWith("java.") || i.startsWith("org.junit.platform.commons.annotation."), "a java.* or @Testable import"));
    assertThat(sources).allSatisfy(s -> assertThat(s.references("org.")).as("%s", s)
        .allMatch(r -> r.startsWith("org.junit.platform.commons.annotation."), "a reference to @Testable"));
  }
}
