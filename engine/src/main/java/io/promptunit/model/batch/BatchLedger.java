package io.promptunit.model.batch;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The batches a suite has submitted and not yet recorded: {@code <cassette dir>/<suite>.batch.json}
 * beside the cassette. Each batch is entered before it is created — its client id, the provider and
 * the cassette keys of its requests, no provider id yet — and its provider id is added as soon as the
 * create call answers; so a run stopped at any point (Ctrl-C, a CI timeout, a kill right after the
 * create call) leaves the file behind, and the next run collects those batches' answers instead of
 * paying for them again, finding by its client id a batch whose provider id it never noted. Deleted
 * once every batch in it is recorded. It holds ids and cassette keys only: no request text, no key.
 */
@API(status = INTERNAL, since = "0.1")
public final class BatchLedger {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One batch, submitted or about to be.
   *
   * @param provider e.g. {@code openai}
   * @param model e.g. {@code openai:gpt-4o-mini}
   * @param clientId the id PromptUnit gave the batch before creating it (in its metadata or display name where the
   *     provider keeps one); empty in a ledger written before there were client ids
   * @param id the provider's batch id; empty while the create call has not answered
   * @param inputFileId the uploaded request file
   * @param submitted when it was entered, ISO-8601: the batch was created after this
   * @param keys the cassette keys of its requests (its custom ids)
   */
  public record Batch(String provider, String model, String clientId, String id, String inputFileId, String submitted,
      Set<String> keys) {

    /** Whether the provider's create call answered with its id (else only the intent to create it is known). */
    public boolean created() {
      return !id.isEmpty();
    }

    /** This batch as the provider created it. */
    public Batch createdAs(String providerId, String uploadedFileId) {
      return new Batch(provider, model, clientId, providerId, uploadedFileId, submitted, keys);
    }

    /** {@code batch_abc}, or {@code the submission promptunit-…} while its id is not known. */
    public String name() {
      return created() ? id : "the submission " + clientId;
    }
  }

  private final Path file;

  public BatchLedger(Path file) {
    this.file = file;
  }

  /** {@code src/test/cassettes/RouterPromptTest.jsonl} → {@code src/test/cassettes/RouterPromptTest.batch.json}. */
  public static BatchLedger beside(Path cassette) {
    String name = cassette.getFileName().toString();
    String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
    return new BatchLedger(cassette.resolveSibling(stem + ".batch.json"));
  }

  public Path file() {
    return file;
  }

  public boolean exists() {
    return Files.isRegularFile(file);
  }

  /**
   * The batches in the file (none when there is no file).
   *
   * @throws IOException when the file cannot be read or is not a ledger, saying what to do
   */
  public List<Batch> read() throws IOException {
    if (!exists()) {
      return List.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(unreadable(e.getMessage()), e);
    }
    if (root == null || !root.path("batches").isArray()) {
      throw new IOException(unreadable("no \"batches\" array"));
    }
    List<Batch> batches = new ArrayList<>();
    for (JsonNode batch : root.get("batches")) {
      Set<String> keys = new HashSet<>();
      batch.path("keys").forEach(key -> keys.add(key.asText()));
      if (batch.path("id").asText().isEmpty() && batch.path("clientId").asText().isEmpty()
          || batch.path("provider").asText().isEmpty()) {
        throw new IOException(unreadable("a batch without \"id\" or \"clientId\", or without \"provider\""));
      }
      batches.add(new Batch(batch.path("provider").asText(), batch.path("model").asText(),
          batch.path("clientId").asText(), batch.path("id").asText(), batch.path("inputFileId").asText(),
          batch.path("submitted").asText(), keys));
    }
    return batches;
  }

  private String unreadable(String why) {
    return "The batch file " + file + " cannot be read (" + why
        + "). It names batches submitted by an earlier run; fix or delete it"
        + " (deleting it forgets those batches: their requests are submitted and paid for again)";
  }

  /**
   * Writes {@code batches} (streamed: a batch of 50,000 requests lists 50,000 keys), atomically; none deletes the file.
   */
  public void write(List<Batch> batches) throws IOException {
    if (batches.isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(temporary);
         JsonGenerator json = JSON.getFactory().createGenerator(out)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("about",
          "Provider batches submitted by PromptUnit (promptunit.batch=true) and not yet recorded in the cassette;"
          + " the next run picks them up (one without an \"id\" was being created: the next run looks for it by"
          + " its clientId). Deleting this file forgets them (their requests are then submitted and paid for"
          + " again).");
      json.writeArrayFieldStart("batches");
      for (Batch batch : batches) {
        write(json, batch);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void write(JsonGenerator json, Batch batch) throws IOException {
    json.writeStartObject();
    json.writeStringField("provider", batch.provider());
    json.writeStringField("model", batch.model());
    json.writeStringField("clientId", batch.clientId());
    json.writeStringField("id", batch.id());
    json.writeStringField("inputFileId", batch.inputFileId());
    json.writeStringField("submitted", batch.submitted());
    json.writeNumberField("requests", batch.keys().size());
    json.writeArrayFieldStart("keys");
    for (String key : batch.keys().stream().sorted().toList()) {
      json.writeString(key);
    }
    json.writeEndArray();
    json.writeEndObject();
  }
}
