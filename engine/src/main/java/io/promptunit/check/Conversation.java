package io.promptunit.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.promptunit.Example;
import io.promptunit.suite.Suite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the task model is shown for one example: the rendered system message (if any) and user message.
 *
 * @param system rendered system message, if the suite has one
 * @param user rendered user message
 */
@API(status = INTERNAL, since = "0.1")
public record Conversation(Optional<String> system, String user) {

  public static Conversation render(Suite suite, Example example) {
    return new Conversation(suite.system().map(t -> t.render(example.variables())),
        suite.prompt().render(example.variables()));
  }

  public List<ChatMessage> messages() {
    List<ChatMessage> messages = new ArrayList<>(2);
    system.ifPresent(text -> messages.add(SystemMessage.from(text)));
    messages.add(UserMessage.from(user));
    return messages;
  }

  /** The whole conversation as one text, for judges and messages. */
  public String transcript() {
    return system.map(s -> "[system]\n" + s + "\n[user]\n" + user).orElse(user);
  }
}
