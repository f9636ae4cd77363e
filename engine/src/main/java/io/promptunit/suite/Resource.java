package io.promptunit.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A suite file found on the classpath. {@link #sourceFile()} is the file a user edits — the copy
 * under {@code src/test/resources} when the classpath copy lives in a Maven {@code target/} folder
 * — so that IDEs jump to the real file.
 *
 * @param path the classpath path as the user wrote it
 * @param url where the class loader found it
 */
public record Resource(String path, URL url) {

  private static final String[][] BUILD_TO_SOURCE = {
    {"target/test-classes", "src/test/resources"},
    {"target/classes", "src/main/resources"},
    {"build/resources/test", "src/test/resources"},
    {"build/resources/main", "src/main/resources"},
  };

  /** Finds {@code path} (a leading slash is allowed) with {@code loader}. */
  public static Optional<Resource> find(ClassLoader loader, String path) {
    String normalized = path.startsWith("/") ? path.substring(1) : path;
    URL url = loader.getResource(normalized);
    return url == null ? Optional.empty() : Optional.of(new Resource(normalized, url));
  }

  public String readText() {
    try (InputStream in = url.openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path + " (" + url + ")", e);
    }
  }

  public InputStream open() throws IOException {
    return url.openStream();
  }

  /** The editable file behind this resource, when it is a plain file. */
  public Optional<Path> sourceFile() {
    if (!"file".equals(url.getProtocol())) {
      return Optional.empty();
    }
    Path found;
    try {
      found = Path.of(url.toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String text = found.toString().replace('\\', '/');
    for (String[] mapping : BUILD_TO_SOURCE) {
      int at = text.lastIndexOf("/" + mapping[0] + "/");
      if (at >= 0) {
        Path source = Path.of(text.substring(0, at + 1) + mapping[1] + text.substring(at + 1 + mapping[0].length()));
        if (Files.isRegularFile(source)) {
          return Optional.of(source);
        }
      }
    }
    return Optional.of(found);
  }
}
