package io.promptunit.optimize;

import io.promptunit.Strategy;
import io.promptunit.eval.Check;
import io.promptunit.eval.Checks;
import io.promptunit.eval.JudgeModels;
import io.promptunit.model.Budget;
import io.promptunit.model.MeteredChatModel;
import io.promptunit.model.ModelClient;
import io.promptunit.model.PriceTable;
import io.promptunit.optimize.ape.APE;
import io.promptunit.optimize.opro.OPRO;
import io.promptunit.optimize.pe2.PE2;
import io.promptunit.suite.Resource;
import io.promptunit.optimize.protegi.ProTeGi;
import io.promptunit.suite.Suite;
import java.util.List;

/**
 * An optimization run ready to start, usable from plain Java: both models metered against one
 * {@link Budget}, the loop built, and its worst-case {@link Estimate} known before anything is spent.
 *
 * <pre>{@code
 * Optimization optimization = Optimization.prepare(suite, JudgeModels.unavailable(), options, task, optimizer, prices, 8);
 * System.out.println(optimization.estimate().describe());
 * OptimizationResult result = optimization.run((round, state) -> {});
 * }</pre>
 */
public final class Optimization {

  private final OptimizationLoop loop;
  private final Estimate estimate;
  private final Budget budget;

  private Optimization(OptimizationLoop loop, Estimate estimate, Budget budget) {
    this.loop = loop;
    this.estimate = estimate;
    this.budget = budget;
  }

  /**
   * @param judges the suite's judge models; during the optimization their calls are charged to its budget too
   */
  public static Optimization prepare(Suite suite, JudgeModels judges, OptimizeOptions options, ModelClient task,
      ModelClient optimizer, PriceTable prices, int concurrency) {
    Budget budget = new Budget(options.caps());
    JudgeModels budgetedJudges = ((JudgeModels) spec -> {
      ModelClient judge = judges.judge(spec);
      return judge.withModel(new MeteredChatModel(judge.model(), judge.name(), budget, prices.priceOf(judge.name()), options.maxOutputTokens()));
    }).cached();
    List<Check> checks = Checks.of(suite, budgetedJudges);
    MeteredChatModel meteredTask = new MeteredChatModel(task.model(), task.name(), budget, prices.priceOf(task.name()), options.maxOutputTokens());
    MeteredChatModel meteredOptimizer = new MeteredChatModel(optimizer.model(), optimizer.name(), budget, prices.priceOf(optimizer.name()),
        options.maxOutputTokens());
    PromptStrategy strategy = strategy(options.strategy(), options.generationTemplate().map(path -> generationTemplate(suite, path)).orElse(null));
    OptimizationLoop loop = new OptimizationLoop(suite, checks, strategy, options,
        task.withModel(meteredTask), optimizer.withModel(meteredOptimizer), budget, concurrency);
    List<String> unpriced = java.util.stream.Stream.of(task.name(), optimizer.name()).distinct()
        .filter(name -> prices.priceOf(name).isEmpty()).toList();
    Estimate estimate = Estimate.of(loop, strategy, options, meteredTask::worstCost, meteredOptimizer::worstCost, unpriced);
    return new Optimization(loop, estimate, budget);
  }

  /** @param generationTemplate APE's custom generation template text, or null */
  public static PromptStrategy strategy(Strategy strategy, String generationTemplate) {
    return switch (strategy) {
      case PROTEGI -> new ProTeGi();
      case PE2 -> new PE2();
      case APE -> new APE(generationTemplate);
      case OPRO -> new OPRO();
    };
  }

  private static String generationTemplate(Suite suite, String path) {
    ClassLoader loader = suite.anchor().getClassLoader();
    String text = Resource.find(loader, path).map(Resource::readText).orElseThrow(() -> new IllegalArgumentException(
        "@Optimize(generationTemplate = \"" + path + "\") not found on the classpath; create src/test/resources/" + path));
    if (!text.contains("{{demos}}") || !text.contains(APE.INSERT)) {
      throw new IllegalArgumentException(path + ": a generation template needs {{demos}} (where the demonstrations go) and "
          + APE.INSERT + " (where the instruction goes)");
    }
    return text;
  }

  public Estimate estimate() {
    return estimate;
  }

  public Splits splits() {
    return loop.splits();
  }

  public Budget budget() {
    return budget;
  }

  public OptimizationResult run(RoundListener listener) {
    return loop.run(listener);
  }
}
