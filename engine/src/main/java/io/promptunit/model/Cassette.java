package io.promptunit.model;

import io.promptunit.config.CacheMode;
import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One suite's recorded model answers: a text file of JSON lines, one request and its answer per
 * line, sorted by key so that re-recording gives small, stable diffs. Meant to be committed beside
 * the tests; it holds requests and answers only — never headers or keys.
 *
 * <p>The key is a SHA-256 of everything that determines the answer: the model, every request
 * parameter, every message, and the sample index of repeated runs. New entries are appended as
 * they arrive (so a crash loses nothing), under a file lock so concurrent writers in several JVMs
 * do not interleave; {@link #close()} rewrites the file sorted and deduplicated, atomically. A line
 * that cannot be read (a partial write, a merge conflict) is skipped with a warning. A key on several lines
 * with different answers (a union merge of two recordings) is answered from the last of them in the file,
 * with a warning naming the lines; a run that writes the cassette keeps only that line.
 */
@API(status = INTERNAL, since = "0.1")
public final class Cassette implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One monitor per cassette file in this JVM: file locks guard other JVMs, these guard threads of this one. */
  private static final Map<Path, Object> MONITORS = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param text the answer
   * @param inputTokens input tokens of the original call
   * @param outputTokens output tokens of the original call
   * @param truncated whether the original call stopped at its output cap (recorded as {@code "finishReason":
   *     "LENGTH"}, only then)
   */
  public record Entry(String text, long inputTokens, long outputTokens, boolean truncated) {

    public Entry(String text, long inputTokens, long outputTokens) {
      this(text, inputTokens, outputTokens, false);
    }
  }

  private final Path file;
  private final CacheMode mode;
  private final PrintStream warnings;
  private final Map<String, String> lines = new TreeMap<>();
  private final Map<String, Entry> entries = new TreeMap<>();
  private final Map<String, java.util.concurrent.CompletableFuture<Entry>> inFlight =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** Keys of the entries in the file when it was opened. */
  private final java.util.Set<String> recordedBefore = new java.util.HashSet<>();
  /** Keys this run asked for (answered or not): what pruning keeps. */
  private final java.util.Set<String> used = new java.util.HashSet<>();
  private final DeferredRequests deferred = new DeferredRequests();
  private boolean prune;
  private boolean dirty;
  /** Built on the first replay miss, for its message ({@link #differenceFromNearest}). */
  private Map<String, List<JsonNode>> recordedByConversation;
  private int hits;

  private Cassette(Path file, CacheMode mode, PrintStream warnings) {
    this.file = file;
    this.mode = mode;
    this.warnings = warnings;
  }

  /**
   * Opens (reading what is recorded, unless {@code mode} is OFF; RECORD only notes which requests are recorded) the
   * cassette at {@code file}.
   */
  public static Cassette open(Path file, CacheMode mode, PrintStream warnings) {
    Cassette cassette = new Cassette(file, mode, warnings);
    if (mode != CacheMode.OFF && Files.isRegularFile(file)) {
      cassette.load();
    }
    return cassette;
  }

  /**
   * At {@link #close()}, drop every entry that was in the file when it was opened and that this run
   * did not ask for (entries other writers add meanwhile are kept). For a run of a whole suite:
   * RECORD then leaves exactly the entries the run made, READ_WRITE exactly those it used. A
   * REPLAY cassette is never written.
   */
  public synchronized void pruneUnused() {
    prune = mode.writes();
  }

  /** How many entries recorded before this run it has not asked for (what {@link #pruneUnused()} drops). */
  public synchronized int unused() {
    return (int) recordedBefore.stream().filter(key -> !used.contains(key)).count();
  }

  public Path file() {
    return file;
  }

  public CacheMode mode() {
    return mode;
  }

  private void load() {
    List<String> raw;
    try {
      raw = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      warnings.println("[PromptUnit] warning: cannot read cassette " + file + " (" + e.getMessage()
          + "); continuing without it");
      return;
    }
    Sightings sightings = new Sightings();
    int number = 0;
    for (String line : raw) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      Optional<Map.Entry<String, Entry>> parsed = parse(line);
      if (parsed.isPresent()) {
        // a key seen again replaces the earlier line: the last line in the file wins (an appended answer is newer)
        dirty |= sightings.saw(parsed.get().getKey(), parsed.get().getValue(), number);
        recordedBefore.add(parsed.get().getKey());
        if (mode.reads()) {
          entries.put(parsed.get().getKey(), parsed.get().getValue());
          lines.put(parsed.get().getKey(), line);
        }
      } else {
        warnings.println("[PromptUnit] warning: ignoring unreadable entry at " + file + ":" + number + (mode.writes()
            ? "; it is dropped from the cassette at the end of this run and re-recorded when needed"
            : "; run once with promptunit.cache=read-write to drop it and re-record what is missing"));
        dirty = true;
      }
    }
    sightings.warn(file, mode, warnings);
  }

  /**
   * The lines on which each key of a cassette file was seen, to tell of a request recorded more than once with
   * different answers (two recordings joined by a union merge, an answer appended by a run that was killed): the
   * last line in the file wins, and a run that writes the cassette keeps only that one.
   */
  private static final class Sightings {

    private static final int MAX_WARNINGS = 5;
    private final Map<String, Entry> latest = new java.util.HashMap<>();
    private final Map<String, List<Integer>> numbers = new java.util.HashMap<>();
    private final java.util.Set<String> conflicting = new java.util.LinkedHashSet<>();

    /** Notes {@code key} on line {@code number}; whether it was seen before. */
    boolean saw(String key, Entry entry, int number) {
      Entry before = latest.put(key, entry);
      numbers.computeIfAbsent(key, k -> new ArrayList<>(1)).add(number);
      if (before != null && !before.equals(entry)) {
        conflicting.add(key);
      }
      return before != null;
    }

    void warn(Path file, CacheMode mode, PrintStream warnings) {
      int shown = 0;
      for (String key : conflicting) {
        if (++shown > MAX_WARNINGS) {
          warnings.println("[PromptUnit] warning: cassette " + file + " records " + (conflicting.size() - MAX_WARNINGS)
              + " more requests more than once with different answers; the last line of each is used");
          return;
        }
        List<Integer> at = numbers.get(key);
        String lines = at.subList(0, at.size() - 1).stream().map(String::valueOf)
            .collect(java.util.stream.Collectors.joining(", ")) + " and " + at.get(at.size() - 1);
        warnings.println("[PromptUnit] warning: cassette " + file + " records one request (key " + key.substring(0, 12)
            + "…) " + (at.size() == 2 ? "twice" : at.size() + " times") + " with different answers, at lines " + lines
            + "; line " + at.get(at.size() - 1) + " (the last in the file) is used" + (mode.writes()
            ? " and the others are dropped at the end of this run"
            : "; run once with promptunit.cache=read-write to keep only it, or delete the line you do not want"));
      }
    }
  }

  /** A cassette line's key and entry, when the line is a complete entry. */
  private static Optional<Map.Entry<String, Entry>> parse(String line) {
    try {
      JsonNode node = JSON.readTree(line);
      JsonNode key = node == null ? null : node.get("key");
      JsonNode response = node == null ? null : node.get("response");
      if (key == null || !key.isTextual() || key.asText().length() != 64 || response == null
          || response.get("text") == null
          || !response.get("text").isTextual()) {
        return Optional.empty();
      }
      return Optional.of(Map.entry(key.asText(),
          new Entry(response.get("text").asText(), response.path("inputTokens").asLong(),
          response.path("outputTokens").asLong(), "LENGTH".equals(response.path("finishReason").asText()))));
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The key of a request: what determines the answer, hashed. */
  public static String key(String model, ChatRequest request, int sample) {
    return sha256(canonical(model, request, sample).toString());
  }

  static ObjectNode canonical(String model, ChatRequest request, int sample) {
    ObjectNode node = JSON.createObjectNode();
    node.put("model", model);
    ChatRequestParameters p = request.parameters();
    ObjectNode parameters = node.putObject("parameters");
    putIfSet(parameters, "modelName", p.modelName());
    putIfSet(parameters, "temperature", p.temperature());
    putIfSet(parameters, "topP", p.topP());
    putIfSet(parameters, "topK", p.topK());
    putIfSet(parameters, "frequencyPenalty", p.frequencyPenalty());
    putIfSet(parameters, "presencePenalty", p.presencePenalty());
    putIfSet(parameters, "maxOutputTokens", p.maxOutputTokens());
    if (p.stopSequences() != null && !p.stopSequences().isEmpty()) {
      ArrayNode stops = parameters.putArray("stopSequences");
      p.stopSequences().forEach(stops::add);
    }
    putIfSet(parameters, "responseFormat", p.responseFormat() == null ? null : p.responseFormat().toString());
    putIfSet(parameters, "toolSpecifications",
        p.toolSpecifications() == null || p.toolSpecifications().isEmpty() ? null : p.toolSpecifications().toString());
    node.put("sample", sample);
    ArrayNode messages = node.putArray("messages");
    for (ChatMessage message : request.messages()) {
      ObjectNode m = messages.addObject();
      m.put("role", role(message));
      m.put("text", Tokens.text(message));
    }
    return node;
  }

  private static void putIfSet(ObjectNode node, String name, Object value) {
    if (value != null) {
      node.putPOJO(name, value);
    }
  }

  private static String role(ChatMessage message) {
    return message instanceof SystemMessage ? "system" : message instanceof UserMessage ? "user"
        : message instanceof AiMessage ? "assistant"
        : message.type().name().toLowerCase(java.util.Locale.ROOT);
  }

  public synchronized Optional<Entry> find(String key) {
    used.add(key);
    Optional<Entry> found = mode.reads() ? Optional.ofNullable(entries.get(key)) : Optional.empty();
    hits += found.isPresent() ? 1 : 0;
    return found;
  }

  /**
   * Claims the call for {@code key}: returns empty when the caller is the first to ask (it must then
   * call {@link #settle}), or the answer of the same request already in flight, which the caller
   * shares instead of buying it again.
   */
  public Optional<java.util.concurrent.CompletableFuture<Entry>> claim(String key,
      java.util.concurrent.CompletableFuture<Entry> mine) {
    java.util.concurrent.CompletableFuture<Entry> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      synchronized (this) {
        hits++;
      }
    }
    return Optional.ofNullable(running);
  }

  /** Ends the claim of {@code key}: whoever shares it gets {@code entry} (or the failure). */
  public void settle(String key, java.util.concurrent.CompletableFuture<Entry> mine) {
    inFlight.remove(key, mine);
  }

  /** Batch mode's hold on this cassette's misses ({@code promptunit.batch=true}); inert unless batch mode uses it. */
  public DeferredRequests deferred() {
    return deferred;
  }

  /**
   * Starts counting {@link #hits()} afresh (batch mode's collecting passes read the cassette before the suite run
   * does).
   */
  public synchronized void resetHits() {
    hits = 0;
  }

  /** How many answers came from this cassette. */
  public synchronized int hits() {
    return hits;
  }

  /** Records an answer (in READ_WRITE and RECORD modes), appending it to the file at once. */
  public synchronized void record(String key, String model, ChatRequest request, int sample, Entry entry) {
    if (!mode.writes()) {
      return;
    }
    record(key, recordedRequest(model, request, sample), entry);
  }

  /**
   * What differs between {@code asked} (a request in its stored form, {@link #recordedRequest}) and
   * the nearest recorded request, for the message of a replay miss: "recorded with maxOutputTokens
   * 512, asked with none", or that no recorded request has its conversation. The recorded requests
   * are indexed by conversation on the first miss, so each miss costs a lookup, not a scan.
   */
  public String differenceFromNearest(JsonNode asked) {
    JsonNode plain;
    try {
      // the stored form of a request holds Java values; as JSON text they compare as the recorded ones do
      plain = JSON.readTree(asked.toString());
    } catch (JsonProcessingException e) {
      return "";
    }
    Map<String, List<JsonNode>> byConversation = recordedByConversation();
    List<String> nearest = null;
    for (JsonNode recorded : byConversation.getOrDefault(plain.path("messages").toString(), List.of())) {
      List<String> differences = differences(recorded, plain);
      if (nearest == null || differences.size() < nearest.size()) {
        nearest = differences;
      }
    }
    if (nearest != null) {
      return nearest.isEmpty()
          ? "The same request is recorded under another key (a cassette written by another version?); record it again."
          : "The same conversation was recorded, but " + String.join(", ", nearest) + ".";
    }
    long sameModel = byConversation.values().stream().flatMap(List::stream)
        .filter(r -> r.path("model").equals(plain.path("model"))).count();
    return "No recorded request has this conversation (" + sameModel + " recorded for model "
        + plain.path("model").asText()
        + "): the prompt, the system message or the example changed since the cassette was recorded.";
  }

  /** The recorded requests (without their messages) by their conversation's JSON text, read once. */
  private synchronized Map<String, List<JsonNode>> recordedByConversation() {
    if (recordedByConversation == null) {
      Map<String, List<JsonNode>> index = new java.util.HashMap<>();
      for (String line : lines.values()) {
        try {
          JsonNode request = JSON.readTree(line).get("request");
          if (request instanceof ObjectNode object) {
            String conversation = object.path("messages").toString();
            object.remove("messages");
            index.computeIfAbsent(conversation, c -> new ArrayList<>()).add(object);
          }
        } catch (JsonProcessingException | RuntimeException unreadable) {
          // an entry without a readable request adds nothing to a diagnosis
        }
      }
      recordedByConversation = index;
    }
    return recordedByConversation;
  }

  private static List<String> differences(JsonNode recorded, JsonNode asked) {
    List<String> differences = new ArrayList<>();
    if (!recorded.path("model").equals(asked.path("model"))) {
      differences.add("recorded for model " + recorded.path("model").asText() + ", asked of "
          + asked.path("model").asText());
    }
    java.util.Set<String> names = new java.util.TreeSet<>();
    recorded.path("parameters").fieldNames().forEachRemaining(names::add);
    asked.path("parameters").fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode was = recorded.path("parameters").get(name);
      JsonNode is = asked.path("parameters").get(name);
      if (was == null || !was.equals(is)) {
        differences.add("recorded with " + name + " " + (was == null ? "none" : was.asText()) + ", asked with "
            + (is == null ? "none" : is.asText()));
      }
    }
    if (!recorded.path("sample").equals(asked.path("sample"))) {
      differences.add("recorded as sample " + recorded.path("sample").asText() + ", asked as sample "
          + asked.path("sample").asText());
    }
    return differences;
  }

  /** A request as a cassette stores it: its canonical form ({@link #key}), with anything key-shaped redacted. */
  public static ObjectNode recordedRequest(String model, ChatRequest request, int sample) {
    ObjectNode canonical = canonical(model, request, sample);
    for (JsonNode message : canonical.get("messages")) {
      ((ObjectNode) message).put("text", Secrets.redact(message.get("text").asText()));
    }
    return canonical;
  }

  /**
   * Records an answer to a request given in its stored form ({@link #recordedRequest}), e.g. one
   * read back from batch mode's list of sent requests; appended to the file at once.
   */
  public synchronized void record(String key, JsonNode recordedRequest, Entry entry) {
    if (!mode.writes()) {
      return;
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("key", key);
    node.set("request", recordedRequest);
    ObjectNode response = node.putObject("response");
    response.put("text", entry.text());
    response.put("inputTokens", entry.inputTokens());
    response.put("outputTokens", entry.outputTokens());
    if (entry.truncated()) {
      response.put("finishReason", "LENGTH");
    }
    String line = node.toString();
    entries.put(key, entry);
    lines.put(key, line);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      synchronized (monitor()) {
        try (FileChannel lockChannel = lockChannel(); FileLock lock = lockChannel.lock()) {
          Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the cassette " + file, e);
    }
    dirty = true;
  }

  /**
   * Rewrites the file sorted by key, merged with whatever other writers appended meanwhile,
   * atomically (write a temporary file, then rename).
   */
  @Override
  public synchronized void close() {
    boolean pruning = prune && unused() > 0;
    if (!(dirty || pruning) || !mode.writes()) {
      return;
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      synchronized (monitor()) {
      try (FileChannel channel = lockChannel(); FileLock lock = channel.lock()) {
        Map<String, String> merged = new TreeMap<>();
        if (Files.isRegularFile(file)) {
          for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            // a partial line from an interrupted writer, or any unreadable one: dropped here, re-recorded when needed
            parse(line).ifPresent(entry -> merged.put(entry.getKey(), line));
          }
        }
        merged.putAll(lines);
        if (prune) {
          merged.keySet().removeIf(key -> recordedBefore.contains(key) && !used.contains(key));
        }
        io.promptunit.config.AtomicWrite.replace(file,
            String.join("\n", merged.values()) + (merged.isEmpty() ? "" : "\n"));
      }
      }
      dirty = false;
    } catch (IOException e) {
      warnings.println("[PromptUnit] warning: cannot rewrite the cassette " + file + " (" + e.getMessage()
          + "); its entries are kept as appended");
    }
  }

  /**
   * Writers in every JVM lock the same file, outside the source tree (so no lock files appear beside
   * the cassettes) and never replaced (so a lock always guards the current cassette).
   */
  private Object monitor() {
    return MONITORS.computeIfAbsent(file.toAbsolutePath().normalize(), path -> new Object());
  }

  private FileChannel lockChannel() throws IOException {
    Path lockFile = Path.of(System.getProperty("java.io.tmpdir"),
        "promptunit-" + sha256(file.toAbsolutePath().normalize().toString()).substring(0, 16) + ".lock");
    return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
