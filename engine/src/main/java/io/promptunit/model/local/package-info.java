/**
 * The embedded local model: a langchain4j {@code ChatModel} over a GGUF file run in-process by
 * llama.cpp ({@link io.promptunit.model.local.LlamaChatModel}), the pinned default model
 * ({@link io.promptunit.model.local.EmbeddedModels}) and the verified, resumable download that puts it
 * into the user's cache ({@link io.promptunit.model.local.ModelDownloader}).
 *
 * <p>Typical wiring, for "no model configured":
 * <pre>{@code
 * try {
 *   ChatModel model = EmbeddedModels.defaultChatModel(cacheDirectory, System.out);
 *   ...
 * } catch (ModelDownloadException e) {
 *   // e.getMessage() says what was tried, where to put the file by hand and how to configure
 *   // another model: report the examples aborted with it.
 * }
 * }</pre>
 * and for {@code promptunit.model=gguf:/path/to/model.gguf}: {@code LlamaChatModel.of(Path.of(path))},
 * whose {@link io.promptunit.model.local.LlamaChatModel#load()} throws a
 * {@link io.promptunit.model.local.LocalModelException} with a clear message when the file cannot be
 * used. No class here depends on JUnit or on any other PromptUnit package; only
 * {@code io.promptunit.model} uses this one.
 */
package io.promptunit.model.local;
