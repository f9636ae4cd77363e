package io.promptunit.benchmarks.perf;

import dev.langchain4j.model.chat.ChatModel;
import io.promptunit.ModelFactory;
import io.promptunit.PromptTest;

/** 10,000 examples against the instant model: what the engine itself costs. The examples file is generated at run time. */
@PromptTest(prompt = OverheadSuite.PROMPT, examples = OverheadSuite.EXAMPLES)
public class OverheadSuite {

  static final String PROMPT = "perf/ticket.prompt";
  static final String EXAMPLES = "perf/examples-10k.jsonl";
  static final int SIZE = 10_000;

  @ModelFactory
  static ChatModel model() {
    return new InstantModel();
  }
}
