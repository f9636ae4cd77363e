package io.promptunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes a user's prompt file safely: the previous version is kept beside it
 * ({@code router.prompt.20261124-143005.bak}) and the new text replaces the file atomically, so a
 * crash leaves either the old or the new file, never half of one.
 */
@API(status = INTERNAL, since = "0.1")
public final class PromptFile {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private PromptFile() {}

  /** Read-only by its mode (even for a user, such as root, whom the system would let write it anyway). */
  private static boolean readOnly(Path file) throws IOException {
    try {
      return !Files.getPosixFilePermissions(file).contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    } catch (UnsupportedOperationException notPosix) {
      return !Files.isWritable(file);
    }
  }

  /** @return the backup of the previous version */
  public static Path replace(Path link, String newText) throws IOException {
    // through a symbolic link, replace the real file (keeping the link) with the same permissions
    Path file = link.toRealPath();
    if (readOnly(file)) {
      // a read-only prompt file is its owner's decision: do not replace it behind their back
      throw new java.nio.file.AccessDeniedException(file.toString(), null,
          "the file is read-only; make it writable (e.g. chmod u+w) to let apply mode replace it");
    }
    Path directory = file.getParent();
    String name = file.getFileName().toString();
    Path backup = directory.resolve(name + "." + LocalDateTime.now().format(STAMP) + ".bak");
    for (int n = 2; Files.exists(backup); n++) {
      backup = directory.resolve(name + "." + LocalDateTime.now().format(STAMP) + "-" + n + ".bak");
    }
    Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
    Path temporary = null;
    boolean replaced = false;
    try {
      temporary = Files.createTempFile(directory, "." + name, ".tmp");
      String text = newText.endsWith("\n") ? newText : newText + "\n";
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(file));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the default permissions of a new file are the user's usual ones
      }
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
      replaced = true;
    } finally {
      if (temporary != null) {
        Files.deleteIfExists(temporary);
      }
      if (!replaced) {
        // the file is unchanged: a backup of it would only be clutter
        Files.deleteIfExists(backup);
      }
    }
    return backup;
  }
}
