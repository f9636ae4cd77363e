package io.promptunit.benchmarks.perf;

import dev.langchain4j.model.chat.ChatModel;
import io.promptunit.ModelFactory;
import io.promptunit.PromptTest;

/** 100,000 examples against the instant model, run in a JVM limited to a 512 MB heap. */
@PromptTest(prompt = OverheadSuite.PROMPT, examples = ScaleSuite.EXAMPLES)
public class ScaleSuite {

  static final String EXAMPLES = "perf/examples-100k.jsonl";
  static final int SIZE = 100_000;

  @ModelFactory
  static ChatModel model() {
    return new InstantModel();
  }
}
