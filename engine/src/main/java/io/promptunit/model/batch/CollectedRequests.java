package io.promptunit.model.batch;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.promptunit.model.Cassette;
import io.promptunit.model.DeferredRequests;
import io.promptunit.model.ModelConfigurationException;
import io.promptunit.model.batch.client.BatchClient;
import io.promptunit.model.batch.client.WireRequest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * The requests one collecting pass deferred, each once (by cassette key), written to disk as they
 * come: per model, request files in the provider's batch format (a new file every
 * {@code maxRequests}), and the requests in the cassette's form, to record the answers with. Memory
 * holds only the keys and where each request's cassette form is in its file.
 */
@API(status = INTERNAL, since = "0.1")
public final class CollectedRequests implements DeferredRequests.Sink, AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A model's request file: the batch it will be. */
  public static final class Chunk {
    private final String model;
    private final Path file;
    private final BatchClient.RequestFile writer;
    private final List<String> keys = new ArrayList<>();

    Chunk(String model, Path file, BatchClient.RequestFile writer) {
      this.model = model;
      this.file = file;
      this.writer = writer;
    }

    public String model() {
      return model;
    }

    public Path file() {
      return file;
    }

    public List<String> keys() {
      return keys;
    }

    public long bytes() {
      return writer.bytes();
    }
  }

  private final Path directory;
  private final int maxRequests;
  private final Function<String, BatchClient> clients;
  private final Function<String, ProviderWire> wires;
  private final Map<String, Long> places = new HashMap<>();
  private final Map<String, List<Chunk>> chunks = new LinkedHashMap<>();
  private final OutputStream recorded;
  private final Path recordedFile;
  private long recordedBytes;
  private FileChannel reader;
  private String problem;

  /**
   * @param clients the batch client of each model (e.g. {@code openai:gpt-4o-mini})
   * @param wires the request encoder of each model
   * @throws UncheckedIOException when the directory cannot be written
   */
  public CollectedRequests(Path directory, int maxRequests, Function<String, BatchClient> clients,
      Function<String, ProviderWire> wires) {
    this.directory = directory;
    this.maxRequests = maxRequests;
    this.clients = clients;
    this.wires = wires;
    try {
      Files.createDirectories(directory);
      this.recordedFile = directory.resolve("requests.cassette.jsonl");
      this.recorded = new BufferedOutputStream(Files.newOutputStream(recordedFile), 1 << 16);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write batch requests into " + directory, e);
    }
  }

  @Override
  public synchronized void add(String key, String model, ChatRequest request, int sample) {
    if (places.containsKey(key)) {
      return;
    }
    try {
      BatchClient client = clients.apply(model);
      WireRequest wire = wires.apply(model).encode(request);
      Chunk chunk = chunk(model, client);
      chunk.writer.add(key, wire);
      chunk.keys.add(key);
      byte[] line = (Cassette.recordedRequest(model, request, sample).toString() + "\n")
          .getBytes(StandardCharsets.UTF_8);
      if (line.length >= 1 << 24) {
        throw new IllegalArgumentException("a request of " + line.length
            + " bytes is too large for a batch (16 MB at most)");
      }
      recorded.write(line);
      places.put(key, recordedBytes << 24 | (line.length - 1));
      recordedBytes += line.length;
    } catch (ModelConfigurationException e) {
      if (problem == null) {
        problem = e.getMessage();
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write batch requests into " + directory, e);
    }
  }

  private Chunk chunk(String model, BatchClient client) throws IOException {
    List<Chunk> files = chunks.computeIfAbsent(model, m -> new ArrayList<>());
    if (files.isEmpty() || files.get(files.size() - 1).keys.size() >= maxRequests) {
      Path file = directory.resolve("requests-" + chunks.size() + "-" + files.size() + ".jsonl");
      files.add(new Chunk(model, file, client.requestFile(file)));
    }
    return files.get(files.size() - 1);
  }

  /** Why a request could not be collected (a model without a batch API), if one could not. */
  public synchronized Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  public synchronized int size() {
    return places.size();
  }

  public synchronized boolean isEmpty() {
    return places.isEmpty();
  }

  /** The keys collected, in no particular order. */
  public synchronized List<String> keys() {
    return List.copyOf(places.keySet());
  }

  public synchronized boolean contains(String key) {
    return places.containsKey(key);
  }

  /** Every request file, finished; no request may be added after. */
  public synchronized List<Chunk> finish() throws IOException {
    List<Chunk> all = new ArrayList<>();
    for (Collection<Chunk> files : chunks.values()) {
      for (Chunk chunk : files) {
        chunk.writer.close();
        all.add(chunk);
      }
    }
    recorded.close();
    return all;
  }

  /**
   * The request of {@code key} as the cassette stores it, read back from disk; empty when this pass did not collect it.
   */
  public synchronized Optional<JsonNode> recordedRequest(String key) throws IOException {
    Long place = places.get(key);
    if (place == null) {
      return Optional.empty();
    }
    if (reader == null) {
      reader = FileChannel.open(recordedFile);
    }
    ByteBuffer bytes = ByteBuffer.allocate((int) (place & ((1 << 24) - 1)));
    long position = place >>> 24;
    while (bytes.hasRemaining()) {
      if (reader.read(bytes, position + bytes.position()) < 0) {
        throw new IOException("the batch request file " + recordedFile + " ended early");
      }
    }
    return Optional.of(JSON.readTree(bytes.array()));
  }

  /** Deletes the files. */
  @Override
  public synchronized void close() {
    try {
      finish();
      if (reader != null) {
        reader.close();
      }
    } catch (IOException e) {
      // deleting below is what matters
    }
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      System.err.println("[PromptUnit] warning: cannot delete the batch request files in " + directory
          + ": " + e.getMessage());
    }
  }
}
