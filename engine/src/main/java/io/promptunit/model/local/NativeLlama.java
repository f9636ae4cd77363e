package io.promptunit.model.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the llama.cpp JNI library bundled in de.kherud:llama, once per JVM.
 *
 * <p>The library's loader extracts {@code libjllama.so} into {@code de.kherud.llama.tmpdir} (default
 * {@code java.io.tmpdir}) and, before that, deletes every file there whose name starts with
 * {@code llama} or {@code jllama}. Unless the property is already set, it is pointed at a fresh
 * private directory so that neither the clean-up nor a concurrent JVM extracting the same file can
 * touch anything else.
 */
final class NativeLlama {

  /** The llama.cpp build inside de.kherud:llama 4.2.0, as it reports itself when loading a model. */
  static final String LLAMA_CPP_BUILD = "b4916 (c6af2161, March 2025)";

  private static boolean ready;

  private NativeLlama() {}

  static synchronized void prepare() {
    if (ready) {
      return;
    }
    if (System.getProperty("de.kherud.llama.tmpdir") == null) {
      try {
        Path directory = Files.createTempDirectory("promptunit-jni-");
        directory.toFile().deleteOnExit();
        System.setProperty("de.kherud.llama.tmpdir", directory.toString());
      } catch (IOException e) {
        // keep the library's default directory
      }
    }
    try {
      Class.forName("de.kherud.llama.LlamaModel", true, NativeLlama.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
      throw new LocalModelException("The llama.cpp native library (de.kherud:llama 4.2.0) cannot be loaded on this"
          + " machine (os.name=" + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch")
          + "): " + ModelDownloader.describe(cause)
          + ". It ships builds for Linux x86_64/aarch64, macOS x86_64/aarch64 and Windows x86/x86_64;"
          + " on Linux it needs glibc, libstdc++ and libgomp (OpenMP, e.g. the libgomp1 package)."
          + " Without it, configure a hosted or server model instead: a hosted model, e.g."
          + " promptunit.model=openai:<model> (with promptunit.openai.base-url for Ollama or llama.cpp server).",
          cause);
    }
    ready = true;
  }
}
