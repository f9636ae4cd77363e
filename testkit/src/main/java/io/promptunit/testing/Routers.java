package io.promptunit.testing;

import java.util.Locale;

/** A scripted router that answers by keyword, as a competent model would for the fixture tickets. */
public final class Routers {

  private Routers() {}

  public static String route(String prompt) {
    String ticket = prompt.substring(prompt.indexOf("Ticket:") + 1).toLowerCase(Locale.ROOT);
    if (ticket.contains("charged") || ticket.contains("invoice")) {
      return "Billing.";
    }
    if (ticket.contains("crash") || ticket.contains("redirect")) {
      return "technical";
    }
    if (ticket.contains("password")) {
      return "account";
    }
    return "sales";
  }

  public static ScriptedChatModel model() {
    return ScriptedChatModel.answering(Routers::route);
  }
}
