package io.promptunit.junit;

import io.promptunit.model.ConsoleText;

/**
 * Progress lines on the console, so a long run shows it is alive. They may quote model answers:
 * control characters are printed escaped ({@link ConsoleText}).
 */
final class Console {

  private Console() {}

  static void line(String text) {
    System.out.println("[PromptUnit] " + ConsoleText.escape(text));
    System.out.flush();
  }
}
