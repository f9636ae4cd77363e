package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Token counts of a model's requests. Where the model's encoding is known (OpenAI's models, through
 * jtokkit) a text is counted exactly; elsewhere its UTF-8 bytes are the bound (no byte-level
 * tokenizer makes more tokens than bytes) and {@link #approximate} uses a common encoding instead.
 */
@API(status = INTERNAL, since = "0.1")
public final class Tokens {

  /** Chat formats add a few tokens per message (role markers, separators); this bounds them generously. */
  public static final int PER_MESSAGE = 16;

  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  private final Optional<Encoding> encoding;

  private Tokens(Optional<Encoding> encoding) {
    this.encoding = encoding;
  }

  /** @param model a model name as configured, e.g. {@code openai:gpt-4o-mini}, or a bare model name */
  public static Tokens of(String model) {
    String bare = model.contains(":") ? model.substring(model.indexOf(':') + 1) : model;
    boolean openAi = !model.contains(":") || model.startsWith("openai:");
    return new Tokens(openAi ? REGISTRY.getEncodingForModel(bare) : Optional.empty());
  }

  /** Whether counts are exact (the encoding is known) rather than byte bounds. */
  public boolean exact() {
    return encoding.isPresent();
  }

  /** At least as many tokens as the model sees for {@code text}: exact when known, else its bytes. */
  public long bound(String text) {
    return encoding.map(e -> (long) e.countTokensOrdinary(text))
        .orElseGet(() -> (long) text.getBytes(StandardCharsets.UTF_8).length);
  }

  /** About as many tokens as the model sees for {@code text}: exact when known, else counted with o200k_base. */
  public long approximate(String text) {
    return encoding.orElseGet(() -> REGISTRY.getEncoding(EncodingType.O200K_BASE)).countTokensOrdinary(text);
  }

  /** {@link #bound} of a whole request: every message plus its framing. */
  public long bound(Iterable<ChatMessage> messages) {
    long tokens = PER_MESSAGE;
    for (ChatMessage message : messages) {
      tokens += bound(text(message)) + PER_MESSAGE;
    }
    return tokens;
  }

  /** A message's text as PromptUnit counts, records and hashes it. */
  static String text(ChatMessage message) {
    if (message instanceof UserMessage user) {
      return user.hasSingleText() ? user.singleText() : user.contents().toString();
    }
    if (message instanceof SystemMessage system) {
      return system.text();
    }
    if (message instanceof AiMessage ai) {
      return ai.text() == null ? "" : ai.text();
    }
    return message.toString();
  }
}
