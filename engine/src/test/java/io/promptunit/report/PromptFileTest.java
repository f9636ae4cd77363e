package io.promptunit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptFileTest {

  @TempDir
  Path directory;

  @Test
  void replacingAPromptKeepsThePreviousVersionAndLeavesNoTemporaryFile() throws IOException {
    Path prompt = directory.resolve("router.prompt");
    Files.writeString(prompt, "old prompt {{input}}\n");

    Path backup = PromptFile.replace(prompt, "new prompt {{input}}");

    assertThat(prompt).hasContent("new prompt {{input}}\n");
    assertThat(backup).hasContent("old prompt {{input}}\n");
    assertThat(backup.getFileName().toString()).startsWith("router.prompt.").endsWith(".bak");
    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files).containsExactlyInAnyOrder(prompt, backup);
    }
  }

  @Test
  void applyingTwiceKeepsBothEarlierVersions() throws IOException {
    Path prompt = directory.resolve("router.prompt");
    Files.writeString(prompt, "v1\n");

    Path first = PromptFile.replace(prompt, "v2");
    Path second = PromptFile.replace(prompt, "v3");

    assertThat(first).isNotEqualTo(second).hasContent("v1\n");
    assertThat(second).hasContent("v2\n");
    assertThat(prompt).hasContent("v3\n");
  }

  @Test
  void aMissingFileIsAnErrorAndCreatesNothing() {
    Path prompt = directory.resolve("missing.prompt");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PromptFile.replace(prompt, "x")).isInstanceOf(IOException.class);
    assertThat(directory).isEmptyDirectory();
  }

  @Test
  void throughASymbolicLinkTheRealFileIsReplacedWithItsPermissionsAndTheLinkStays() throws IOException {
    Path real = directory.resolve("real.prompt");
    Files.writeString(real, "old\n");
    Files.setPosixFilePermissions(real, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Path link = Files.createSymbolicLink(directory.resolve("router.prompt"), real);

    PromptFile.replace(link, "new");

    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(real).hasContent("new\n");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(real))).isEqualTo("rw-r--r--");
  }

  @Test
  void theDiffMarksRemovedAndAddedLines() {
    assertThat(LineDiff.of("a\nb\nc", "a\nB\nc\nd")).isEqualTo("  a\n- b\n+ B\n  c\n+ d");
  }
}
