package io.promptunit.testing;

/**
 * Three scripted task models of different accuracy for the ticket-urgency fixtures, to run side by side: an accurate
 * one (priced high in the tests), a cheap one wrong on one house rule unless the prompt states it (security tickets
 * are P1), and a cheap one that knows both rules. Their answers report tokens, so that their cost can be measured.
 */
public final class MatrixModels {

  private MatrixModels() {}

  /** Knows both house rules, whatever the prompt says. */
  public static ScriptedChatModel accurate() {
    return ScriptedChatModel.answering(MatrixModels::truth);
  }

  /** Knows the outage rule; rates security tickets P1 only when the prompt states the rule. */
  public static ScriptedChatModel cheapWrong() {
    return ScriptedChatModel.answering(prompt -> {
      String topic = Tickets.topicIn(prompt);
      if (topic.equals("security")) {
        return prompt.contains(Tickets.SECURITY_RULE) ? "P1" : "P3";
      }
      return truth(prompt);
    });
  }

  /** Knows both house rules, as {@link #accurate()}. */
  public static ScriptedChatModel cheapRight() {
    return ScriptedChatModel.answering(MatrixModels::truth);
  }

  /** {@code task}, with the optimizer's meta-prompts answered by the rule-finding optimizer script. */
  public static ScriptedChatModel optimizing(ScriptedChatModel task) {
    ScriptedChatModel optimizer = Tickets.optimizerModel();
    return new ScriptedChatModel(request -> ScriptedChatModel.systemMessage(request).contains("expert prompt engineer")
        ? optimizer.chat(request).aiMessage().text() : task.chat(request).aiMessage().text());
  }

  /**
   * {@code task}, with the grading requests of an {@code @ExpectJudge} check answered as a judge that compares the
   * output with the reference: {@code PASS} when they are equal, else {@code FAIL}.
   */
  public static ScriptedChatModel judging(ScriptedChatModel task) {
    return new ScriptedChatModel(request -> {
      if (!ScriptedChatModel.systemMessage(request).startsWith("You grade")) {
        return task.chat(request).aiMessage().text();
      }
      String question = ScriptedChatModel.userMessage(request);
      String reference = question.substring(question.indexOf("REFERENCE:\n") + 11, question.indexOf("\n\nOUTPUT:"));
      String output = question.substring(question.indexOf("OUTPUT:\n") + 8);
      return reference.strip().equals(output.strip()) ? "PASS: the label is right" : "FAIL: the label is wrong";
    });
  }

  /**
   * {@code models}, each waiting at its first call until every one of them has made its first call: a run finishes
   * only when the models are called at the same time (it fails after 30 s otherwise).
   */
  public static java.util.List<dev.langchain4j.model.chat.ChatModel> firstCallsTogether(ScriptedChatModel... models) {
    java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(models.length);
    java.util.List<dev.langchain4j.model.chat.ChatModel> together = new java.util.ArrayList<>();
    for (ScriptedChatModel model : models) {
      java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
      together.add(new ScriptedChatModel(request -> {
        if (first.getAndSet(false)) {
          try {
            barrier.await(30, java.util.concurrent.TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException("the models were not called at the same time", e);
          }
        }
        return model.chat(request).aiMessage().text();
      }));
    }
    return together;
  }

  /** The right label of the (first) fixture ticket quoted in {@code prompt}. */
  static String truth(String prompt) {
    return switch (Tickets.topicIn(prompt)) {
      case "security" -> "P1";
      case "outage" -> "P2";
      default -> "P3";
    };
  }
}
