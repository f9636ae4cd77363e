package io.promptunit.benchmarks.perf;

import io.promptunit.PromptTest;

/** The 100,000 examples of {@link ScaleSuite}, with the model from configuration: sent through batch mode. */
@PromptTest(prompt = OverheadSuite.PROMPT, examples = ScaleSuite.EXAMPLES)
public class BatchScaleSuite {}
