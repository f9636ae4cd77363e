package io.promptunit.optimize.rulebook;

import io.promptunit.eval.ExampleResult;
import io.promptunit.optimize.Candidate;
import io.promptunit.optimize.OptimizationContext;
import io.promptunit.optimize.PromptStrategy;
import io.promptunit.optimize.Proposal;
import io.promptunit.optimize.StrategyParameters;
import io.promptunit.optimize.StrategyProvider;
import io.promptunit.optimize.StrategyText;
import io.promptunit.optimize.Tagged;
import io.promptunit.optimize.Yield;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A fifth strategy, added the way any strategy is: this package (strategy, its options, its
 * provider), one line in {@code META-INF/services/io.promptunit.optimize.StrategyProvider}, and
 * its test. Per parent it shows the optimizer some train errors and asks for {@code rulesPerAsk}
 * rewritten prompts that each add rules. Its parameter {@code rulesPerAsk} is no {@code @Optimize}
 * attribute: it is read from {@code promptunit.optimize.rulesPerAsk}.
 */
public final class Rulebook implements PromptStrategy {

  record Options(int rulesPerAsk, int errorsShown) {}

  /** Registers the strategy under the name {@code RULEBOOK}. */
  public static final class Provider implements StrategyProvider {
    @Override
    public String name() {
      return "RULEBOOK";
    }

    @Override
    public int defaultRounds() {
      return 2;
    }

    @Override
    public PromptStrategy create(StrategyParameters parameters) {
      return new Rulebook(new Options(parameters.integer("rulesPerAsk", 2, 1), parameters.integer("errorsShown", 4, 1)));
    }
  }

  private final Options options;

  Rulebook(Options options) {
    this.options = options;
  }

  @Override
  public String name() {
    return "rulebook";
  }

  @Override
  public boolean backtracks() {
    return false;
  }

  @Override
  public int maxNewPerParent() {
    return options.rulesPerAsk();
  }

  @Override
  public WorstCase worstCase(int parents, int round, OptimizationContext context) {
    return new WorstCase(parents, parents * StrategyText.minibatchScoringCalls(context), (long) parents * options.rulesPerAsk(),
        parents * options.rulesPerAsk() * 0.75, 1, options.errorsShown(), 1, options.rulesPerAsk());
  }

  @Override
  public List<Proposal> propose(List<Candidate> parents, OptimizationContext context, int round) {
    List<List<ExampleResult>> errors = context.trainErrors(parents, context.options().minibatchSize());
    return context.collect("rules", 1, parents.size(), () -> {
      List<CompletableFuture<Yield>> asks = new ArrayList<>();
      for (int p = 0; p < parents.size(); p++) {
        Candidate parent = parents.get(p);
        List<ExampleResult> shown = context.sample(errors.get(p), options.errorsShown());
        if (shown.isEmpty()) {
          continue;
        }
        String question = "Add the rules that would fix these mistakes to the prompt.\n<prompt>\n" + parent.text() + "\n</prompt>\n"
            + StrategyText.errors(shown) + StrategyText.keepRules(context.rules())
            + "Write " + options.rulesPerAsk() + " complete prompts, each inside <prompt></prompt>.";
        asks.add(context.ask(round, p, question).thenApply(answer -> {
          if (answer.failed()) {
            return answer.rejection(round, parent.id(), "rulebook");
          }
          Yield yield = Yield.NONE;
          for (String prompt : Tagged.all(answer.text().get(), "prompt").stream().limit(options.rulesPerAsk()).toList()) {
            yield = yield.plus(Yield.of(new Proposal(prompt, parent.id(), "rulebook", "rules for " + shown.size() + " errors")));
          }
          return yield;
        }));
      }
      return asks;
    });
  }
}
