package io.promptunit.junit;

/** Progress lines on the console, so a long run shows it is alive. */
final class Console {

  private Console() {}

  static void line(String text) {
    System.out.println("[PromptUnit] " + text);
    System.out.flush();
  }
}
