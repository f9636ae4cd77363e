package io.promptunit.benchmarks.perf;

import io.promptunit.PromptTest;

/**
 * 2,000 examples through the real provider path: {@code promptunit.model=openai:bench} against
 * {@link BenchServer}. No {@code @ModelFactory}: the model comes from configuration, as in a user's build.
 */
@PromptTest(prompt = OverheadSuite.PROMPT, examples = HttpSuite.EXAMPLES)
public class HttpSuite {

  static final String EXAMPLES = "perf/examples-2k.jsonl";
  static final int SIZE = 2_000;
}
