package io.promptunit;

/** How {@link Optimize} rewrites a prompt. */
public enum Strategy {
  /**
   * ProTeGi (Pryzant et al. 2023): failing train examples → natural-language critiques ("textual
   * gradients") → edited prompts → paraphrases, with bandit selection of a beam of prompts.
   */
  PROTEGI,
  /**
   * PE2 (Ye et al. 2024): a structured meta-prompt that shows the whole template and asks for
   * step-by-step reasoning over hard negative examples before proposing a new prompt; keeps the
   * best prompts ever seen (back-tracking).
   */
  PE2
}
