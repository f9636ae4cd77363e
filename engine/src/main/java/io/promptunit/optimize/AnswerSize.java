package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * What one optimizer question asks the answer to hold, from which the call's output cap is sized
 * ({@link OptimizationContext#outputCap}): so many whole prompts (or instructions), and so many tokens of
 * other text (a critique, a paragraph of reasoning per example, a summary). A question that asks for
 * two rewritten prompts under a cap that holds one gets a cut-off answer; sizing the cap from the
 * question keeps the answer whole.
 *
 * <pre>{@code
 * context.ask(round, g, question, AnswerSize.prompts(2).plusTokens(150));
 * }</pre>
 *
 * @param prompts whole prompts the answer is asked for (each as long as a prompt may grow)
 * @param tokens tokens of other text the answer is asked for, besides the prompts
 */
@API(status = INTERNAL, since = "0.1")
public record AnswerSize(int prompts, int tokens) {

  /** Tokens a prompt-sized text is allowed per answer at least (a short template may still grow). */
  static final int MIN_PROMPT_CHARS = 800;

  public AnswerSize {
    if (prompts < 0 || tokens < 0) {
      throw new IllegalArgumentException("an answer holds no negative amounts: " + prompts + " prompts, "
          + tokens + " tokens");
    }
  }

  /** An answer of {@code n} whole prompts (or instructions). */
  public static AnswerSize prompts(int n) {
    return new AnswerSize(n, 0);
  }

  /** An answer of {@code n} tokens of text that is not a prompt (a critique, a list of causes). */
  public static AnswerSize text(int n) {
    return new AnswerSize(0, n);
  }

  /** This answer with {@code more} tokens of other text (reasoning, a summary). */
  public AnswerSize plusTokens(int more) {
    return new AnswerSize(prompts, tokens + more);
  }
}
