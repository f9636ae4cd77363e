package io.promptunit.model;

import io.promptunit.config.CacheMode;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A chat model ready to be called by PromptUnit: the langchain4j model, the name to show in
 * messages, the call policy (retries, measurement) every call goes through, and the suite's
 * cassette, if answers are cached.
 *
 * @param model the langchain4j model
 * @param name e.g. {@code openai:gpt-4o-mini} or {@code RouterPromptTest.model()}
 * @param call the call policy
 * @param cassette where answers are recorded and replayed from, if caching is on
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ModelClient(ChatModel model, String name, RetryPolicy call, Optional<Cassette> cassette) {

  public ModelClient(ChatModel model, String name, RetryPolicy call) {
    this(model, name, call, Optional.empty());
  }

  /** The same model answering through {@code cassette}. */
  public ModelClient withCassette(Cassette cassette) {
    return new ModelClient(model, name, call, Optional.of(cassette));
  }

  /** The same client calling {@code other} (e.g. a metered wrapper of this model). */
  public ModelClient withModel(ChatModel other) {
    return new ModelClient(other, name, call, cassette);
  }

  /** One call with {@code messages} at {@code temperature}. */
  public Reply chat(List<ChatMessage> messages, double temperature, Optional<Integer> maxOutputTokens) {
    return chat(messages, temperature, maxOutputTokens, 0);
  }

  /**
   * One call; {@code sample} tells repeated runs of the same request apart, so that each repeat
   * gets its own recorded answer.
   */
  public Reply chat(List<ChatMessage> messages, double temperature, Optional<Integer> maxOutputTokens, int sample) {
    ChatRequest.Builder builder = ChatRequest.builder().messages(messages).temperature(temperature);
    maxOutputTokens.ifPresent(builder::maxOutputTokens);
    ChatRequest request = builder.build();
    if (cassette.isEmpty() || cassette.get().mode() == CacheMode.OFF) {
      return call.send(model, name, request);
    }
    Cassette recordings = cassette.get();
    String key = Cassette.key(name, request, sample);
    Optional<Cassette.Entry> recorded = recordings.find(key);
    if (recorded.isPresent()) {
      return new Reply(Secrets.redact(recorded.get().text()), recorded.get().inputTokens(),
          recorded.get().outputTokens(), 0, 0, true);
    }
    // batch mode: collected for a provider batch, or failed in one, instead of sent now
    recordings.deferred().check(key, name, request, sample);
    if (recordings.mode() == CacheMode.REPLAY) {
      throw notRecorded(recordings, key, request, sample);
    }
    return sendAndRecord(recordings, key, request, sample);
  }

  private ModelCallException notRecorded(Cassette recordings, String key, ChatRequest request, int sample) {
    List<ChatMessage> messages = request.messages();
    String user = Secrets.redact(messages.isEmpty() ? "" : Cassette.canonical(name, request, sample).get("messages")
        .get(messages.size() - 1).get("text").asText());
    return new ModelCallException(ModelCallException.Kind.NOT_RECORDED, "Model " + name
        + " has no recorded answer for this request in " + recordings.file()
        + " (promptunit.cache=replay never calls a model). Request " + key.substring(0, 12) + ", last message: \""
        + abbreviate(user.replaceAll("\\s+", " ")) + "\". "
        + recordings.differenceFromNearest(Cassette.recordedRequest(name, request, sample))
        + " Record it once with a real model and -Dpromptunit.cache=read-write (or record), then commit the cassette.",
        0, null);
  }

  /** Sends a request the cassette does not hold and records its answer, once however many ask alike at once. */
  private Reply sendAndRecord(Cassette recordings, String key, ChatRequest request, int sample) {
    // The same request already on its way (a duplicate example, two chains asking alike): share its answer.
    CompletableFuture<Cassette.Entry> mine = new CompletableFuture<>();
    Optional<CompletableFuture<Cassette.Entry>> running = recordings.claim(key, mine);
    if (running.isPresent()) {
      Cassette.Entry shared = join(running.get());
      return new Reply(shared.text(), shared.inputTokens(), shared.outputTokens(), 0, 0, true);
    }
    try {
      Optional<Cassette.Entry> justRecorded = recordings.find(key);
      if (justRecorded.isPresent()) {
        mine.complete(justRecorded.get());
        return new Reply(justRecorded.get().text(), justRecorded.get().inputTokens(),
            justRecorded.get().outputTokens(), 0, 0, true);
      }
      Reply reply = call.send(model, name, request);
      Cassette.Entry entry = new Cassette.Entry(reply.text(), reply.inputTokens(), reply.outputTokens());
      recordings.record(key, name, request, sample, entry);
      mine.complete(entry);
      return reply;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      recordings.settle(key, mine);
    }
  }

  private static Cassette.Entry join(CompletableFuture<Cassette.Entry> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
    }
  }

  /** Head and tail of a long message: templates put the fixed text first and the example's input last. */
  private static String abbreviate(String text) {
    return text.length() <= 240 ? text : text.substring(0, 80) + " … " + text.substring(text.length() - 150);
  }
}
