package io.promptunit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Turns a {@link PromptTest} suite into a prompt-rewriting loop fed by its failing train examples.
 * After the examples are scored with the checked-in prompt, the optimizer proposes rewritten
 * prompts, selects on the dev split, and stops when a prompt passes the suite on the held-out test
 * split — or when rounds, patience or the budget run out. The checked-in prompt file changes only
 * when {@code promptunit.optimize.apply=true}.
 *
 * <pre>{@code
 * @PromptTest(prompt = "prompts/priority.prompt", examples = "prompts/priority.jsonl")
 * @Optimize(strategy = Strategy.PROTEGI, maxCalls = 800, maxCost = 0.50)
 * class PriorityPromptTest {}
 * }</pre>
 *
 * <p>Every attribute can be overridden by a configuration property {@code promptunit.optimize.<attribute>}
 * (e.g. {@code -Dpromptunit.optimize.maxCalls=200}); configuration wins over the annotation. Numeric
 * attributes whose default is 0 or -1 mean "the strategy's reference default".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Optimize {

  Strategy strategy() default Strategy.PROTEGI;

  /** The model that critiques and rewrites prompts; empty means {@code promptunit.optimizer.model}, else the task model. */
  String optimizerModel() default "";

  /** Text that every candidate must keep verbatim (e.g. the output-format section). Template variables are always kept. */
  String[] frozen() default {};

  // ---- search ----

  /** Rounds (steps); -1: ProTeGi 6, PE2 3. */
  int rounds() default -1;

  /** Prompts kept between rounds; -1: ProTeGi beam 4, PE2 n = 4. */
  int beamSize() default -1;

  /** Rounds without a better dev score before stopping. */
  int patience() default 3;

  /** Seed of every random choice (minibatches, error samples, splits, bandits). */
  long seed() default 42;

  /** Temperature of optimizer (meta) calls; scoring calls stay at the suite's temperature. */
  double metaTemperature() default 0.7;

  /** Selection of the next beam among candidates. */
  BestArm selection() default BestArm.UCB;

  /** Evaluations per selection; 0: twice the number of candidates times the dev examples, capped at 400. */
  int selectionBudget() default 0;

  // ---- ProTeGi ----

  /** Train examples each beam prompt is run on per round to find errors. */
  int minibatchSize() default 64;

  /** Critiques ("gradients") per beam prompt per round. */
  int gradients() default 4;

  /** Errors shown in each critique request. */
  int errorsPerGradient() default 4;

  /** Edited prompts per critique. */
  int editsPerGradient() default 1;

  /** Monte Carlo paraphrases per edited prompt. */
  int paraphrases() default 2;

  /** Cap of new candidates per parent per round. */
  int maxExpansion() default 8;

  // ---- PE2 ----

  /** New prompts per kept prompt per step (PE2's m). */
  int proposals() default 4;

  /** Hard negative examples shown per proposal. */
  int batchSize() default 2;

  /** Maximum words changed per step; 0 = unlimited. */
  int stepSize() default 0;

  /** Show earlier prompts, their scores and edit summaries to the optimizer (momentum). */
  boolean history() default false;

  // ---- splits ----

  /** Fraction of examples without a split that go to train (the rest split between dev and test). */
  double trainFraction() default 0.5;

  /** Fraction of examples without a split that go to dev. */
  double devFraction() default 0.25;

  // ---- budget (hard caps; the call that would exceed one is not made) ----

  int maxCalls() default 1000;

  long maxTokens() default 2_000_000;

  /** In US dollars, from the price table ({@code promptunit.price.<model>=<input>,<output>} per million tokens). */
  double maxCost() default 2.00;

  long maxSeconds() default 1800;

  /** Output cap of each model call during optimization (bounds the worst-case estimate). */
  int maxOutputTokens() default 512;
}
