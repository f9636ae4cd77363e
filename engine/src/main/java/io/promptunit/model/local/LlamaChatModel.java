package io.promptunit.model.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageType;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A langchain4j {@link ChatModel} that runs a local GGUF model in-process through llama.cpp (the JNI
 * library of de.kherud:llama 4.2.0, which bundles llama.cpp build b4916 for Linux, macOS and Windows).
 *
 * <h2>What a call does</h2>
 * <ol>
 *   <li>The messages are rendered into one prompt with the <b>model's own chat template</b>: the
 *       {@code tokenizer.chat_template} stored in the GGUF file, rendered by llama.cpp's Jinja engine
 *       (llama.cpp's {@code --jinja} mode, through {@code LlamaModel.applyTemplate}, the code behind the
 *       llama.cpp server's {@code /apply-template}). A file without a template gets llama.cpp's ChatML
 *       default. {@link Builder#chatTemplate(String)} replaces the template, and
 *       {@link Builder#jinja(boolean) jinja(false)} uses llama.cpp's built-in template of the detected
 *       family instead of running the file's template. {@link #applyChatTemplate(List)} shows the result.
 *       <br>Before rendering, system messages are moved to the front and merged, consecutive messages of
 *       the same role are merged (joined by a blank line), and a conversation whose first non-system
 *       message is the assistant's is refused: strict templates raise errors otherwise, and in this
 *       library version a template error aborts the whole JVM instead of throwing. (For the same reason,
 *       a model whose template raises an error for every conversation aborts the JVM while loading;
 *       load such a model with {@code jinja(false)}.)</li>
 *   <li>The prompt is completed with the request's {@code temperature}, {@code topP}, {@code topK},
 *       {@code frequencyPenalty}, {@code presencePenalty}, {@code stopSequences} (llama.cpp stops at the
 *       first match and leaves the stop sequence out of the text) and {@code maxOutputTokens} (at most
 *       that many tokens are generated; never more than what is left of the context). Parameters left
 *       unset use the {@linkplain Builder defaults} and then llama.cpp's (temperature 0.8, random seed).
 *       The prompt cache is off, so an answer never depends on the request before it: the same request
 *       at temperature 0, or with a {@linkplain Builder#seed(int) fixed seed}, gets the same answer.</li>
 *   <li>The response carries {@link TokenUsage}: input tokens = the templated prompt's tokens (plus the
 *       BOS token llama.cpp adds for models that want one), output tokens = the tokens generated, counted
 *       from the token stream (including a final end-of-generation token; a multi-byte character split
 *       over several tokens is streamed, and counted, once). The finish reason is {@code LENGTH} when the
 *       token cap was reached, else {@code STOP}.</li>
 * </ol>
 * Tools and JSON response formats are not supported ({@link UnsupportedFeatureException}); images and
 * other non-text content are refused.
 *
 * <h2>Threads, loading and resources</h2>
 * A llama.cpp context is not thread-safe. This class holds one and <b>serialises all calls with a
 * lock</b>: it may be shared between threads, but concurrent calls wait for each other (give it a
 * concurrency of 1, more only queues). The model is loaded lazily by the first call, or explicitly by
 * {@link #load()}. {@link #close()} frees the native memory; a closed model refuses further calls.
 *
 * <p>Known limitation of de.kherud:llama 4.2.0 (its issue #116): loading a model starts a native
 * worker thread attached to the JVM as a non-daemon thread and never detached, so a plain
 * {@code main} method that used a model does not exit by itself even after {@link #close()}; call
 * {@code System.exit}. Test runners (Surefire, Gradle, IDEs) exit their JVMs explicitly and are not
 * affected.
 */
@API(status = INTERNAL, since = "0.1")
public final class LlamaChatModel implements ChatModel, AutoCloseable {

  /** Context size used when none is configured (capped by the model's trained context length). */
  public static final int DEFAULT_CONTEXT_SIZE = 4096;
  /** Output cap used when neither the request nor the builder sets {@code maxOutputTokens}. */
  public static final int DEFAULT_MAX_OUTPUT_TOKENS = 512;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong IDS = new AtomicLong();

  private final Path file;
  private final String modelName;
  private final Integer requestedContextSize;
  private final Integer threads;
  private final Integer gpuLayers;
  private final boolean jinja;
  private final String chatTemplate;
  private final Integer seed;
  private final ChatRequestParameters defaults;
  private final List<ChatModelListener> listeners;

  private final ReentrantLock lock = new ReentrantLock();
  private LlamaModel model;
  private GgufMetadata metadata;
  private int contextSize;
  private boolean closed;

  private LlamaChatModel(Builder builder) {
    this.file = builder.file.toAbsolutePath().normalize();
    this.modelName = builder.modelName != null ? builder.modelName : defaultName(file);
    this.requestedContextSize = builder.contextSize;
    this.threads = builder.threads;
    this.gpuLayers = builder.gpuLayers;
    this.jinja = builder.jinja;
    this.chatTemplate = builder.chatTemplate;
    this.seed = builder.seed;
    this.defaults = ChatRequestParameters.builder()
        .modelName(modelName)
        .temperature(builder.temperature)
        .maxOutputTokens(builder.maxOutputTokens)
        .build();
    this.listeners = List.copyOf(builder.listeners);
  }

  /** A builder for a model over the GGUF file at {@code ggufFile}. */
  public static Builder builder(Path ggufFile) {
    return new Builder(ggufFile);
  }

  /** A model over {@code ggufFile} with default settings. */
  public static LlamaChatModel of(Path ggufFile) {
    return builder(ggufFile).build();
  }

  public Path file() {
    return file;
  }

  public String modelName() {
    return modelName;
  }

  /**
   * Loads the model now (the first call would otherwise do it). Idempotent.
   *
   * @throws LocalModelException when the file is missing or not GGUF, the native library cannot run
   *     here, or llama.cpp refuses the file
   * @throws IllegalStateException when the model was closed
   */
  public void load() {
    lock.lock();
    try {
      ensureLoaded();
    } finally {
      lock.unlock();
    }
  }

  public boolean isLoaded() {
    lock.lock();
    try {
      return model != null;
    } finally {
      lock.unlock();
    }
  }

  /** The context size in tokens; loads the model's metadata if needed. */
  public int contextSize() {
    lock.lock();
    try {
      ensureLoaded();
      return contextSize;
    } finally {
      lock.unlock();
    }
  }

  /** The GGUF metadata of the file; loads the model if needed. */
  GgufMetadata metadata() {
    lock.lock();
    try {
      ensureLoaded();
      return metadata;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The prompt this model completes for {@code messages}: the messages normalised as described in the
   * class comment and rendered with the model's chat template, ending with the assistant's turn.
   */
  public String applyChatTemplate(List<ChatMessage> messages) {
    lock.lock();
    try {
      ensureLoaded();
      return render(messages);
    } finally {
      lock.unlock();
    }
  }

  /** The number of tokens of {@code text} (special tokens such as {@code <|im_start|>} count as one). */
  public int countTokens(String text) {
    lock.lock();
    try {
      ensureLoaded();
      return model.encode(text).length;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    ChatRequestParameters parameters = request.parameters();
    rejectUnsupported(parameters);
    lock.lock();
    try {
      ensureLoaded();
      String prompt = render(request.messages());
      int promptTokens = promptTokens(prompt);
      int nPredict = Math.min(outputCap(parameters), contextSize - promptTokens);
      Generated answer = generate(inference(prompt, nPredict, parameters));
      // In streaming mode llama.cpp sends one result per generated token, then a final one.
      int generated = Math.max(0, answer.results() - 1);
      return ChatResponse.builder()
          .aiMessage(AiMessage.from(answer.text()))
          .id("llama-" + IDS.incrementAndGet())
          .modelName(modelName)
          .tokenUsage(new TokenUsage(promptTokens, generated))
          .finishReason(generated >= nPredict ? FinishReason.LENGTH : FinishReason.STOP)
          .build();
    } catch (RuntimeException e) {
      if (e.getClass().getName().equals("de.kherud.llama.LlamaException")) {
        throw new LangChain4jException("llama.cpp failed on the local model " + modelName + ": " + e.getMessage(), e);
      }
      throw e;
    } finally {
      lock.unlock();
    }
  }

  private void rejectUnsupported(ChatRequestParameters parameters) {
    if (parameters.toolSpecifications() != null && !parameters.toolSpecifications().isEmpty()) {
      throw new UnsupportedFeatureException("Tools are not supported by the local llama.cpp model " + modelName + ".");
    }
    if (parameters.responseFormat() != null && parameters.responseFormat().type() == ResponseFormatType.JSON) {
      throw new UnsupportedFeatureException("JSON response formats are not supported by the local llama.cpp model "
          + modelName + "; ask for JSON in the prompt instead.");
    }
  }

  /** The tokens of {@code prompt} as the model reads it; they must leave room in the context for an answer. */
  private int promptTokens(String prompt) {
    int promptTokens = model.encode(prompt).length + (metadata.addsBos() ? 1 : 0);
    if (promptTokens >= contextSize) {
      throw new InvalidRequestException("The prompt has " + promptTokens
          + " tokens, but the context of the local model "
          + modelName + " holds " + contextSize
          + " tokens in all. Shorten the prompt or build the model with a larger contextSize.");
    }
    return promptTokens;
  }

  /** The request's output cap, else the model's default one, else {@link #DEFAULT_MAX_OUTPUT_TOKENS}. */
  private int outputCap(ChatRequestParameters parameters) {
    int cap = parameters.maxOutputTokens() != null ? parameters.maxOutputTokens()
        : defaults.maxOutputTokens() != null ? defaults.maxOutputTokens() : DEFAULT_MAX_OUTPUT_TOKENS;
    if (cap < 1) {
      throw new InvalidRequestException("maxOutputTokens must be at least 1, not " + cap + ".");
    }
    return cap;
  }

  /** An answer's text and the number of results llama.cpp streamed for it. */
  private record Generated(String text, int results) {}

  private Generated generate(InferenceParameters inference) {
    StringBuilder text = new StringBuilder();
    int results = 0;
    LlamaIterator stream = model.generate(inference).iterator();
    while (stream.hasNext()) {
      LlamaOutput output = stream.next();
      text.append(output.text);
      results++;
      if (Thread.currentThread().isInterrupted() && stream.hasNext()) {
        stream.cancel();
        throw new LangChain4jException("The local model " + modelName + " was interrupted while generating.",
            new InterruptedException());
      }
    }
    return new Generated(text.toString(), results);
  }

  private InferenceParameters inference(String prompt, int nPredict, ChatRequestParameters parameters) {
    // No prompt cache: in llama.cpp b4916 a request that reuses the cached prompt of the previous one
    // sometimes samples differently from a fresh evaluation, so the same request could get a different
    // answer depending on what ran before it. Evaluating the whole prompt every time keeps answers
    // reproducible (same request, same seed, same answer) at the cost of re-reading shared prefixes.
    InferenceParameters inference = new InferenceParameters(prompt).setNPredict(nPredict).setCachePrompt(false);
    Double temperature = parameters.temperature() != null ? parameters.temperature() : defaults.temperature();
    if (temperature != null) {
      inference.setTemperature(temperature.floatValue());
    }
    if (parameters.topP() != null) {
      inference.setTopP(parameters.topP().floatValue());
    }
    if (parameters.topK() != null) {
      inference.setTopK(parameters.topK());
    }
    if (parameters.frequencyPenalty() != null) {
      inference.setFrequencyPenalty(parameters.frequencyPenalty().floatValue());
    }
    if (parameters.presencePenalty() != null) {
      inference.setPresencePenalty(parameters.presencePenalty().floatValue());
    }
    List<String> stops = parameters.stopSequences() == null ? List.of()
        : parameters.stopSequences().stream().filter(s -> s != null && !s.isEmpty()).toList();
    if (!stops.isEmpty()) {
      inference.setStopStrings(stops.toArray(new String[0]));
    }
    if (seed != null) {
      inference.setSeed(seed);
    }
    return inference;
  }

  /** Normalises the conversation and renders it with the chat template (lock held, model loaded). */
  private String render(List<ChatMessage> messages) {
    List<String[]> turns = normalise(messages);
    ObjectNode body = JSON.createObjectNode();
    ArrayNode array = body.putArray("messages");
    for (String[] turn : turns) {
      array.addObject().put("role", turn[0]).put("content", turn[1]);
    }
    body.put("add_generation_prompt", true);
    return model.applyTemplate(body.toString());
  }

  static List<String[]> normalise(List<ChatMessage> messages) {
    if (messages == null || messages.isEmpty()) {
      throw new InvalidRequestException("A chat request needs at least one message.");
    }
    List<String> system = new ArrayList<>();
    List<String[]> turns = new ArrayList<>();
    for (ChatMessage message : messages) {
      Objects.requireNonNull(message, "message");
      if (message.type() == ChatMessageType.SYSTEM) {
        system.add(((SystemMessage) message).text());
        continue;
      }
      String[] turn = turn(message);
      String[] last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
      if (last != null && last[0].equals(turn[0])) {
        last[1] = last[1] + "\n\n" + turn[1];
      } else {
        turns.add(turn);
      }
    }
    if (!turns.isEmpty() && turns.get(0)[0].equals("assistant")) {
      throw new InvalidRequestException("The conversation must start with a user message (after any system message):"
          + " most chat templates reject a conversation that starts with the assistant.");
    }
    if (!system.isEmpty()) {
      turns.add(0, new String[] {"system", String.join("\n\n", system)});
    }
    return turns;
  }

  /** The role and text of a user or assistant message. */
  private static String[] turn(ChatMessage message) {
    switch (message.type()) {
      case USER:
        return new String[] {"user", text((UserMessage) message)};
      case AI:
        AiMessage ai = (AiMessage) message;
        if (ai.hasToolExecutionRequests()) {
          throw new UnsupportedFeatureException("Tool calls are not supported by local llama.cpp models.");
        }
        return new String[] {"assistant", ai.text() == null ? "" : ai.text()};
      default:
        throw new UnsupportedFeatureException("Messages of type " + message.type()
            + " are not supported by local llama.cpp models.");
    }
  }

  private static String text(UserMessage message) {
    StringBuilder text = new StringBuilder();
    for (Content content : message.contents()) {
      if (!(content instanceof TextContent textContent)) {
        throw new UnsupportedFeatureException("Only text content is supported by local llama.cpp models, not "
            + content.type() + ".");
      }
      if (text.length() > 0) {
        text.append("\n");
      }
      text.append(textContent.text());
    }
    return text.toString();
  }

  /** Loads the model unless it is loaded; the lock is held. */
  private void ensureLoaded() {
    if (closed) {
      throw new IllegalStateException("The local model " + modelName + " (" + file + ") was closed.");
    }
    if (model != null) {
      return;
    }
    GgufMetadata meta = readMetadata();
    NativeLlama.prepare();
    int trained = (int) Math.min(Integer.MAX_VALUE, meta.contextLength().orElse((long) DEFAULT_CONTEXT_SIZE));
    int context = requestedContextSize != null ? requestedContextSize : Math.min(DEFAULT_CONTEXT_SIZE, trained);
    ModelParameters parameters = modelParameters(context);
    // The seed goes with each request (see inference()).
    try {
      model = new LlamaModel(parameters);
    } catch (RuntimeException e) {
      throw new LocalModelException("llama.cpp could not load " + file + " (architecture "
          + meta.architecture().orElse("unknown") + ", " + ModelDownloader.megabytes(sizeOf(file)) + " MB): "
          + e.getMessage() + ". The bundled llama.cpp (build " + NativeLlama.LLAMA_CPP_BUILD
          + ") may not support this architecture or quantisation, or the file is damaged.", e);
    }
    metadata = meta;
    contextSize = context;
  }

  private GgufMetadata readMetadata() {
    if (!Files.isRegularFile(file)) {
      throw new LocalModelException("The GGUF model file " + file
          + " does not exist. Check the path in promptunit.model=gguf:<path>.", null);
    }
    try {
      return GgufMetadata.read(file);
    } catch (IOException e) {
      throw new LocalModelException("The GGUF model file " + file + " cannot be read: "
          + ModelDownloader.describe(e), e);
    } catch (IllegalArgumentException e) {
      throw new LocalModelException(e.getMessage()
          + ". promptunit.model=gguf:<path> needs a GGUF model file, as used by llama.cpp.", e);
    }
  }

  private ModelParameters modelParameters(int context) {
    ModelParameters parameters = new ModelParameters()
        .setModel(file.toString())
        .setCtxSize(context)
        .setParallel(1)
        .disableContextShift()
        .disableLog();
    if (threads != null) {
      parameters.setThreads(threads);
    }
    if (gpuLayers != null) {
      parameters.setGpuLayers(gpuLayers);
    }
    if (jinja) {
      parameters.enableJinja();
    }
    if (chatTemplate != null) {
      parameters.setChatTemplate(chatTemplate);
    }
    return parameters;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return defaults;
  }

  @Override
  public List<ChatModelListener> listeners() {
    return listeners;
  }

  @Override
  public ModelProvider provider() {
    return ModelProvider.OTHER;
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return Set.of();
  }

  /** Frees the native model and context. Idempotent; waits for a running call to finish. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (model != null) {
        model.close();
        model = null;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "LlamaChatModel[" + modelName + ", " + file + "]";
  }

  private static String defaultName(Path file) {
    String name = file.getFileName().toString();
    return name.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
  }

  /** Settings of a {@link LlamaChatModel}; every one is optional. */
  public static final class Builder {
    private final Path file;
    private String modelName;
    private Integer contextSize;
    private Integer threads;
    private Integer gpuLayers;
    private boolean jinja = true;
    private String chatTemplate;
    private Integer seed;
    private Double temperature;
    private Integer maxOutputTokens = DEFAULT_MAX_OUTPUT_TOKENS;
    private List<ChatModelListener> listeners = List.of();

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    /** The name reported in responses; default the file name without {@code .gguf}. */
    public Builder modelName(String modelName) {
      this.modelName = modelName;
      return this;
    }

    /** Context size in tokens (prompt plus output); default the smaller of 4096 and the model's. */
    public Builder contextSize(int contextSize) {
      if (contextSize < 16) {
        throw new IllegalArgumentException("contextSize must be at least 16, not " + contextSize);
      }
      this.contextSize = contextSize;
      return this;
    }

    /** CPU threads; default llama.cpp's (all cores). */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** Layers to offload to a GPU when the native build has one; default llama.cpp's. */
    public Builder gpuLayers(int gpuLayers) {
      this.gpuLayers = gpuLayers;
      return this;
    }

    /**
     * Whether to render the model's own Jinja chat template (default true). With false, llama.cpp
     * uses its built-in template for the model family it detects, or ChatML.
     */
    public Builder jinja(boolean jinja) {
      this.jinja = jinja;
      return this;
    }

    /**
     * A chat template replacing the file's: Jinja source, or with {@code jinja(false)} a built-in name such as
     * {@code chatml}.
     */
    public Builder chatTemplate(String chatTemplate) {
      this.chatTemplate = chatTemplate;
      return this;
    }

    /** Sampling seed; default random per call. A fixed seed makes sampling at temperature > 0 repeatable. */
    public Builder seed(int seed) {
      this.seed = seed;
      return this;
    }

    /** Temperature used when a request sets none; default llama.cpp's (0.8). */
    public Builder temperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    /** Output cap used when a request sets none; default {@value LlamaChatModel#DEFAULT_MAX_OUTPUT_TOKENS}. */
    public Builder maxOutputTokens(int maxOutputTokens) {
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    public Builder listeners(List<ChatModelListener> listeners) {
      this.listeners = List.copyOf(listeners);
      return this;
    }

    /** The model; nothing is loaded until {@link LlamaChatModel#load()} or the first call. */
    public LlamaChatModel build() {
      return new LlamaChatModel(this);
    }
  }
}
