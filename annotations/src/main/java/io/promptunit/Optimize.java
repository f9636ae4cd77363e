package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

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
 * (e.g. {@code -Dpromptunit.optimize.maxCalls=200}; {@code strategyName} and {@code compareNames} by
 * {@code promptunit.optimize.strategy} and {@code .compare}); configuration wins over the annotation. Numeric
 * attributes whose default is 0 or -1 mean "the strategy's reference default".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface Optimize {

  /** One of the built-in strategies; {@link #strategyName()} names any registered one. */
  Strategy strategy() default Strategy.PROTEGI;

  /**
   * The strategy by its registered name, ignoring case: a built-in one ({@code "protegi"},
   * {@code "pe2"}, {@code "ape"}, {@code "opro"}) or any other on the test class path, registered in
   * {@code META-INF/services/io.promptunit.optimize.StrategyProvider}. When set, {@link #strategy()}
   * is ignored. The setting {@code promptunit.optimize.strategy=<name>} wins over both.
   *
   * <pre>{@code
   * @Optimize(strategyName = "gepa", maxCalls = 800)
   * }</pre>
   */
  String strategyName() default "";

  /**
   * Runs several strategies on the same suite, each with the same budget and seed, and writes one
   * comparison table (best train, dev and held-out scores, calls, tokens, cost, wall time, rounds).
   * When set (here or in {@link #compareNames()}), {@link #strategy()} is ignored and nothing is applied.
   */
  Strategy[] compare() default {};

  /**
   * Strategies to compare by registered name, after those of {@link #compare()}, e.g.
   * {@code compareNames = {"protegi", "gepa"}}. The setting {@code promptunit.optimize.compare=<name>,<name>}
   * wins over both.
   */
  String[] compareNames() default {};

  /**
   * The model that critiques and rewrites prompts; empty means {@code promptunit.optimizer.model}, else the task model.
   */
  String optimizerModel() default "";

  /**
   * Text that every candidate must keep verbatim (e.g. the output-format section). Template variables are always kept.
   */
  String[] frozen() default {};

  // ---- search ----

  /** Rounds (steps); -1: ProTeGi 6, PE2 3, APE 4 (generation plus 3 resampling rounds), OPRO 8, GEPA 10. */
  int rounds() default -1;

  /** Prompts kept between rounds; -1: ProTeGi beam 4, PE2 n = 4. */
  int beamSize() default -1;

  /** Rounds without a better dev score before stopping. */
  int patience() default 3;

  /** Seed of every random choice (minibatches, error samples, splits, bandits). */
  long seed() default 42;

  /**
   * Temperature of optimizer (meta) calls; scoring calls stay at the suite's temperature. -1: the
   * strategy's reference value (ProTeGi and PE2 0.7, APE 0.9, OPRO 1.0).
   */
  double metaTemperature() default -1;

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

  /** Monte Carlo paraphrases per edited prompt (of a critique's first cause). */
  int paraphrases() default 2;

  /** Distinct problems one critique may name; each becomes its own edit. */
  int causes() default 3;

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

  // ---- APE ----

  /**
   * How instructions are generated: {@code forward} (the instruction follows the demonstrations) or {@code insert}
   * (fill a marked blank).
   */
  String generation() default "forward";

  /**
   * Classpath path of a custom generation template: its {@code {{demos}}} placeholder receives the
   * demonstrations, and {@code [INSERT]} marks where the instruction goes. Empty: the built-in template of
   * {@link #generation()}.
   */
  String generationTemplate() default "";

  /** Demonstration subsamples. */
  int subsamples() default 5;

  /** Demonstrations per subsample. */
  int demos() default 5;

  /** Instructions generated per subsample (5 × 10 = the reference 50 candidates). */
  int promptsPerSubsample() default 10;

  /**
   * {@code accuracy} (execution accuracy) or {@code logprob} (log-probability of the expected output, where the
   * provider returns it).
   */
  String scoring() default "accuracy";

  // ---- OPRO ----

  /** Best instructions shown in the meta-prompt, in ascending order of score. */
  int trajectorySize() default 20;

  /** Instructions scoring below this (0-100) are left out of the trajectory. */
  int minTrajectoryScore() default 1;

  /** Task exemplars shown in the meta-prompt. */
  int exemplars() default 3;

  /** Instructions sampled per step. */
  int candidatesPerStep() default 8;

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
