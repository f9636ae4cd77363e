package io.promptunit.suite;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A suite file found on the classpath. {@link #sourceFile()} is the file a user edits — the copy
 * under {@code src/test/resources} when the classpath copy lives in a Maven {@code target/} folder
 * — so that IDEs jump to the real file.
 *
 * @param path the classpath path as the user wrote it
 * @param url where the class loader found it
 */
@API(status = INTERNAL, since = "0.1")
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

  /**
   * The text of a suite file, strictly: invalid UTF-8 is a {@link SuiteProblem} naming the line
   * (never replacement characters that would be sent to a model), and a byte-order mark at the
   * start is dropped (editors on Windows add one; a model should not see it).
   *
   * @throws InvalidSuiteException when the bytes are not UTF-8
   */
  public String readStrictText() {
    byte[] bytes;
    try (InputStream in = url.openStream()) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new InvalidSuiteException(new SuiteProblem(displayPath(), 0, "cannot be read (" + e.getMessage() + ")",
          "check the file exists and is readable"));
    }
    java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    java.nio.charset.CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new InvalidSuiteException(new SuiteProblem(displayPath(), line, "the file is not valid UTF-8 (byte 0x"
          + String.format("%02X", bytes[in.position()] & 0xff) + " at byte " + in.position() + ")",
          "save the file as UTF-8 (your editor's encoding setting), or fix the character on this line"));
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /**
   * The file as the user knows it, for messages: the editable source file relative to the working
   * directory (the module, under Maven), e.g. {@code src/test/resources/prompts/router.jsonl};
   * otherwise (a jar, a file outside the project) the classpath path.
   */
  public String displayPath() {
    return sourceFile().flatMap(Resource::inWorkingDirectory).orElse(path);
  }

  /** {@code file} relative to the working directory (the module, under Maven), when it is inside it. */
  public static Optional<String> inWorkingDirectory(Path file) {
    Path cwd = Path.of("").toAbsolutePath();
    Path absolute = file.toAbsolutePath().normalize();
    return absolute.startsWith(cwd)
        ? Optional.of(cwd.relativize(absolute).toString().replace('\\', '/'))
        : Optional.empty();
  }

  /**
   * Whether the path names a directory rather than a file: a class loader finds directories too, and
   * reading one gives its listing (or nothing, in a jar), never what the user meant.
   */
  public boolean isDirectory() {
    try {
      if ("file".equals(url.getProtocol())) {
        return Files.isDirectory(Path.of(url.toURI()));
      }
      if ("jar".equals(url.getProtocol())) {
        java.util.jar.JarEntry entry = ((java.net.JarURLConnection) url.openConnection()).getJarEntry();
        return entry != null && entry.isDirectory();
      }
    } catch (IOException | URISyntaxException | IllegalArgumentException | ClassCastException e) {
      return false;
    }
    return false;
  }

  /** The classpath path of the first file (by name) in this directory, when it is a plain folder with files. */
  public Optional<String> firstFileInside() {
    try (java.util.stream.Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().findFirst()
          .map(name -> path.replaceAll("/+$", "") + "/" + name);
    } catch (IOException | URISyntaxException | IllegalArgumentException
        | java.nio.file.FileSystemNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * What to do about a classpath path that finds nothing: paths written with backslashes or from
   * the project's folder ({@code src/test/resources/...}) are classpath paths written wrongly.
   *
   * @param declared how the path is declared, with {@code %s} for the path, e.g. {@code examples = "%s"}
   */
  public static String missingFileFix(String path, String declared) {
    String slashes = path.replace('\\', '/');
    String relative = slashes.startsWith("/") ? slashes.substring(1) : slashes;
    for (String[] mapping : BUILD_TO_SOURCE) {
      for (String folder : mapping) {
        if (relative.startsWith(folder + "/")) {
          return "name the file by its classpath path, without " + folder + "/: "
              + String.format(declared, relative.substring(folder.length() + 1));
        }
      }
    }
    if (!slashes.equals(path)) {
      return "write the classpath path with '/', e.g. " + String.format(declared, relative);
    }
    return "create src/test/resources/" + relative + " or correct the path";
  }

  public InputStream open() throws IOException {
    return url.openStream();
  }

  /**
   * The editable file behind this resource, when it is a plain file: the copy under {@code src/test/resources}
   * (or {@code src/main/resources}) of a build output's file, else the one file of its module with the same path
   * and content ({@link #editableFile()}; a prompt in a custom resource folder such as {@code src/test/prompts}),
   * else the file the class loader found.
   */
  public Optional<Path> sourceFile() {
    Optional<Path> found = file();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    String text = found.get().toString().replace('\\', '/');
    for (String[] mapping : BUILD_TO_SOURCE) {
      int at = text.lastIndexOf("/" + mapping[0] + "/");
      if (at >= 0) {
        Path source = Path.of(text.substring(0, at + 1) + mapping[1] + text.substring(at + 1 + mapping[0].length()));
        if (Files.exists(source)) {
          return Optional.of(source);
        }
      }
    }
    return Optional.of(SOURCES.computeIfAbsent(found.get(), built -> editableFile().file().orElse(built)));
  }

  /** The sources found by {@link #sourceFile()} for files of build outputs, by build output file. */
  private static final Map<Path, Path> SOURCES = new ConcurrentHashMap<>();

  /** The file the class loader found, when it is a plain file. */
  private Optional<Path> file() {
    if (!"file".equals(url.getProtocol())) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(url.toURI()).toAbsolutePath().normalize());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Where this resource may be written for its user to keep (apply mode), or why nowhere.
   *
   * @param file the file to write, when there is one
   * @param refusal why there is none (a clause: "it is ...")
   */
  @API(status = INTERNAL, since = "0.1")
  public record Editable(Optional<Path> file, String refusal) {}

  /**
   * The file to write when this resource is to be changed for good: a file outside any build output is itself;
   * a copy in a module's build output ({@code target/}, {@code build/}, {@code out/}) stands for the one file of
   * that module (any folder up to four levels down, outside build outputs and hidden folders) with the same path
   * below its folder and the same content: {@code src/test/resources/prompts/router.prompt}, or
   * {@code src/test/prompts/prompts/router.prompt} for a custom test-resource folder. The build decides which
   * folders are resource folders and the engine cannot ask it, but the copy it made names its source by path and
   * content. None, or several, is a refusal: a build copy is never the file to write (the next build replaces it).
   */
  public Editable editableFile() {
    Optional<Path> found = file();
    if (found.isEmpty()) {
      return new Editable(Optional.empty(), "it is not a plain file (it was read from " + url + ")");
    }
    Path classpathRoot = found.get();
    for (int segments = Path.of(path).getNameCount(); segments > 0 && classpathRoot != null; segments--) {
      classpathRoot = classpathRoot.getParent();
    }
    Optional<Path> module = moduleOfBuildOutput(classpathRoot);
    if (module.isEmpty()) {
      return new Editable(found, "");
    }
    List<Path> sources;
    try {
      sources = sameFileIn(module.get(), found.get());
    } catch (IOException | UncheckedIOException e) {
      return new Editable(Optional.empty(), "it was read from the build output " + found.get() + ", and the module "
          + module.get() + " could not be searched for its source (" + e.getMessage() + ")");
    }
    if (sources.size() == 1) {
      return new Editable(Optional.of(sources.get(0)), "");
    }
    String where = "it was read from the build output " + found.get() + ", and ";
    return new Editable(Optional.empty(), sources.isEmpty()
        ? where + "no file of the module " + module.get() + " has the same path and content (a resource folder outside"
            + " the module, or a file the build filtered or that was edited since the build?)"
        : where + sources.size() + " files of the module " + module.get() + " have the same path and content ("
            + sources.stream().map(source -> module.get().relativize(source).toString().replace('\\', '/'))
                .collect(Collectors.joining(", "))
            + "), so apply mode cannot tell which one the build copies; keep one of them");
  }

  /** The module whose build output {@code classpathRoot} is ({@code <module>/target/test-classes}, ...), if any. */
  private static Optional<Path> moduleOfBuildOutput(Path classpathRoot) {
    Path folder = classpathRoot;
    for (int up = 0; up < 4 && folder != null && folder.getParent() != null; up++, folder = folder.getParent()) {
      if (BUILD_OUTPUTS.contains(folder.getFileName().toString())) {
        return Optional.of(folder.getParent());
      }
    }
    return Optional.empty();
  }

  private static final java.util.Set<String> BUILD_OUTPUTS = java.util.Set.of("target", "build", "out");

  /** The files of {@code module} (up to four folders down) with the same path below their folder and content. */
  private List<Path> sameFileIn(Path module, Path built) throws IOException {
    byte[] content = Files.readAllBytes(built);
    List<Path> same = new ArrayList<>();
    Files.walkFileTree(module, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), 4,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) throws IOException {
            String name = folder.getFileName() == null ? "" : folder.getFileName().toString();
            if (!folder.equals(module) && (name.startsWith(".") || BUILD_OUTPUTS.contains(name)
                || name.equals("node_modules"))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Path candidate = folder.resolve(path);
            if (Files.isRegularFile(candidate) && Arrays.equals(Files.readAllBytes(candidate), content)) {
              same.add(candidate.normalize());
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return same;
  }
}
