package io.promptunit.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replacing a text file so that readers only ever see the old or the new content: the text goes to a
 * temporary file beside the target, which is then renamed over it. The file keeps its permissions
 * (a new one is {@code rw-r--r--}, never the temporary file's private {@code rw-------}).
 */
@API(status = INTERNAL, since = "0.1")
public final class AtomicWrite {

  private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

  private AtomicWrite() {}

  public static void replace(Path target, String text) throws IOException {
    Path absolute = target.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(temporary, Files.isRegularFile(absolute) ? Files.getPosixFilePermissions(absolute)
            : NEW_FILE);
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the new file gets the folder's default permissions
      }
      try {
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
