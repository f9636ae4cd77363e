package io.promptunit.model.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;

/**
 * The embedded default model: used in-process through llama.cpp when no model is configured.
 *
 * <h2>The pinned file</h2>
 * {@link #QWEN2_5_0_5B_INSTRUCT}: the official {@code Qwen/Qwen2.5-0.5B-Instruct-GGUF} repository's
 * {@code qwen2.5-0.5b-instruct-q4_k_m.gguf} (Apache-2.0, architecture {@code qwen2}, which the llama.cpp
 * build bundled in de.kherud:llama 4.2.0 supports), downloaded from the immutable revision
 * {@code 9217f5db79a29953eb74d5343926648285ec7e67} rather than {@code main}.
 *
 * <p>Where the checksum comes from: the machine this was written on has no internet access, so the
 * file could not be hashed here and the Hugging Face file page could not be read directly. The
 * SHA-256 and size below are the values of that file's Git LFS pointer as recorded, identically, by
 * several independent public projects that pin this exact file at this revision (download scripts,
 * model manifests and their tests; one lists them as the publisher's LFS SHA-256, others say they
 * hashed their download; Hugging Face cache paths of the form
 * {@code models--Qwen--Qwen2.5-0.5B-Instruct-GGUF/snapshots/9217f5db...} in other projects show the
 * revision exists). Nothing on this machine could confirm them against the file itself. The check
 * is strict in any case: a file whose size or SHA-256 differs is never used — it is deleted and the
 * error names the expected and actual hashes — so a wrong pin fails loudly instead of loading an
 * unverified file.
 */
@API(status = INTERNAL, since = "0.1")
public final class EmbeddedModels {

  /** Qwen2.5 0.5B Instruct, Q4_K_M quantisation, 491,400,032 bytes, Apache-2.0. */
  public static final PinnedModel QWEN2_5_0_5B_INSTRUCT = new PinnedModel(
      "Qwen2.5-0.5B-Instruct (GGUF, Q4_K_M)",
      "qwen2.5-0.5b-instruct-q4_k_m.gguf",
      URI.create("https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/"
          + "9217f5db79a29953eb74d5343926648285ec7e67/qwen2.5-0.5b-instruct-q4_k_m.gguf"),
      "74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db",
      491_400_032L,
      "Apache-2.0");

  /** The model used when nothing is configured. */
  public static final PinnedModel DEFAULT = QWEN2_5_0_5B_INSTRUCT;

  private EmbeddedModels() {}

  /**
   * The default cache directory, {@code ~/.cache/promptunit/models}. The settings
   * {@code promptunit.model-cache} / {@code PROMPTUNIT_MODEL_CACHE} override it (the caller passes
   * the result to {@link ModelDownloader}).
   */
  public static Path defaultCacheDirectory() {
    return Path.of(System.getProperty("user.home"), ".cache", "promptunit", "models");
  }

  /**
   * Makes sure the default model is in the cache (downloading it with a progress bar on
   * {@code progress} if needed) and returns a not-yet-loaded chat model over it.
   *
   * @throws ModelDownloadException when the file is missing and cannot be downloaded or verified;
   *     its message says what was tried and how to proceed offline
   */
  public static LlamaChatModel defaultChatModel(Path cacheDirectory, PrintStream progress) {
    Path file = new ModelDownloader(cacheDirectory, progress).download(DEFAULT);
    return LlamaChatModel.builder(file).modelName("qwen2.5-0.5b-instruct").build();
  }
}
