package io.promptunit.testing;

import dev.langchain4j.model.chat.ChatModel;
import java.util.Objects;

/**
 * The model that fixture suites' {@code @ModelFactory} methods hand to the engine. Tests set it
 * before running a fixture and clear it afterwards (Jupiter runs these tests one at a time).
 */
public final class Models {

  private static volatile ChatModel current;

  private Models() {}

  public static void use(ChatModel model) {
    current = model;
  }

  public static void clear() {
    current = null;
  }

  public static ChatModel current() {
    return Objects.requireNonNull(current, "the test did not call Models.use(...)");
  }
}
