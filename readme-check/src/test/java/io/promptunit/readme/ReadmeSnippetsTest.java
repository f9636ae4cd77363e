package io.promptunit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "In your own project" files are exactly the consumer project that the invoker run
 * builds: each block marked {@code <!-- readme-check: path -->} equals that file of
 * {@code src/it/consumer}, and every source file of that project is shown in the README.
 */
class ReadmeSnippetsTest {

  private static final Path README = Path.of("../README.md");
  private static final Path CONSUMER = Path.of("src/it/consumer");
  /** The marker, then a fenced block: its text is the file's content. */
  private static final Pattern SNIPPET = Pattern.compile("<!-- readme-check: (\\S+) -->\\n```[a-z]*\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyMarkedSnippetIsTheConsumerProjectsFile() throws IOException {
    Map<String, String> snippets = snippets();

    assertThat(snippets).isNotEmpty();
    snippets.forEach((path, text) -> assertThat(CONSUMER.resolve(path)).as("README snippet for %s", path).exists().hasContent(text));
  }

  @Test
  void everyFileOfTheConsumerProjectIsInTheReadme() throws IOException {
    List<String> files;
    try (Stream<Path> walk = Files.walk(CONSUMER)) {
      files = walk.filter(Files::isRegularFile)
          .map(file -> CONSUMER.relativize(file).toString().replace('\\', '/'))
          // the check's own files, and the cassette recorded for its replay run
          .filter(path -> !path.equals("invoker.properties") && !path.equals("verify.groovy") && !path.startsWith("src/test/cassettes/"))
          .toList();
    }

    assertThat(snippets().keySet()).containsExactlyInAnyOrderElementsOf(files);
  }

  private static Map<String, String> snippets() throws IOException {
    Matcher matcher = SNIPPET.matcher(Files.readString(README).replace("\r\n", "\n"));
    Map<String, String> snippets = new LinkedHashMap<>();
    while (matcher.find()) {
      snippets.put(matcher.group(1), matcher.group(2));
    }
    return snippets;
  }
}
