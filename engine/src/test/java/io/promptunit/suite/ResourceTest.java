package io.promptunit.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the file a user edits behind a classpath resource, in the standard and in custom resource folders. */
class ResourceTest {

  @TempDir
  Path module;

  private Resource resource(Path classpathRoot, String name) throws Exception {
    ClassLoader loader = new URLClassLoader(new URL[] {classpathRoot.toUri().toURL()}, null);
    return Resource.find(loader, name).orElseThrow();
  }

  private static Path write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  @Test
  void theSourceOfABuildCopyInACustomResourceFolderIsTheModulesFileWithTheSamePathAndContent() throws Exception {
    write(module.resolve("target/test-classes/prompts/router.prompt"), "Route {{input}}\n");
    Path source = write(module.resolve("src/test/prompts/prompts/router.prompt"), "Route {{input}}\n");
    write(module.resolve("src/test/other/prompts/router.prompt"), "an older prompt\n");

    Resource resource = resource(module.resolve("target/test-classes"), "prompts/router.prompt");

    assertThat(resource.editableFile().file()).contains(source);
    assertThat(resource.sourceFile()).contains(source);
  }

  @Test
  void aFileOutsideAnyBuildOutputIsItsOwnSource() throws Exception {
    Path file = write(module.resolve("prompts/router.prompt"), "Route {{input}}\n");

    assertThat(resource(module, "prompts/router.prompt").editableFile().file()).contains(file);
  }

  @Test
  void aBuildCopyWithoutASourceIsNeverEditable() throws Exception {
    Path built = write(module.resolve("target/classes/prompts/router.prompt"), "Route {{input}}\n");

    Resource resource = resource(module.resolve("target/classes"), "prompts/router.prompt");

    assertThat(resource.editableFile().file()).isEmpty();
    assertThat(resource.editableFile().refusal()).contains("read from the build output " + built,
        "no file of the module " + module + " has the same path and content");
    assertThat(resource.sourceFile()).as("for navigation, the copy is better than nothing").contains(built);
  }
}
