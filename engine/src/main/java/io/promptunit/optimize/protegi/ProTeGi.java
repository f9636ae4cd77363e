package io.promptunit.optimize.protegi;

import io.promptunit.eval.ExampleResult;
import io.promptunit.optimize.Candidate;
import io.promptunit.optimize.OptimizationContext;
import io.promptunit.optimize.PromptStrategy;
import io.promptunit.optimize.Proposal;
import io.promptunit.optimize.StrategyText;
import io.promptunit.optimize.Tagged;
import io.promptunit.optimize.Yield;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * ProTeGi (Pryzant et al., EMNLP 2023), "prompt optimization with textual gradients": for each
 * prompt of the beam, run a train minibatch, ask the optimizer model why the prompt got a sample of
 * the errors wrong (a critique, the "gradient"), ask for prompts edited to fix each critique (the
 * "step"), and widen the search with paraphrases of the edits (Monte Carlo expansion). The shared
 * loop then selects the next beam with a best-arm algorithm.
 */
final class ProTeGi implements PromptStrategy {

  /** ProTeGi's own parameters (see {@code @Optimize} for each one's meaning). */
  public record Options(int gradients, int errorsPerGradient, int editsPerGradient, int paraphrases,
      int maxExpansion) {}

  private final Options options;

  public ProTeGi(Options options) {
    this.options = options;
  }

  @Override
  public String name() {
    return "protegi";
  }

  @Override
  public boolean backtracks() {
    return false;
  }

  @Override
  public int maxNewPerParent() {
    return options.maxExpansion();
  }

  @Override
  public WorstCase worstCase(int parents, int round, OptimizationContext context) {
    Options o = options;
    long scoring = StrategyText.minibatchScoringCalls(context);
    long meta = o.gradients() + (long) o.gradients() * (o.paraphrases() > 0 ? 1 + o.editsPerGradient() : 1);
    // critique (a short text), edit (editsPerGradient prompts), paraphrase (paraphrases prompts): per call on average
    double answer = (0.5 + o.editsPerGradient() + (o.paraphrases() > 0 ? o.paraphrases() : 0))
        / (o.paraphrases() > 0 ? 3.0 : 2.0);
    long expansion = Math.min(o.maxExpansion(), (long) o.gradients() * o.editsPerGradient() * (1 + o.paraphrases()));
    return new WorstCase(parents * meta, parents * scoring, (long) parents * expansion, parents * expansion * 0.75, 1,
        o.errorsPerGradient(),
        1, answer);
  }

  @Override
  public List<Proposal> propose(List<Candidate> parents, OptimizationContext context, int round) {
    Options o = options;
    List<List<ExampleResult>> errorsByParent = context.trainErrors(parents, context.options().minibatchSize());
    boolean paraphrase = o.paraphrases() > 0;
    long withErrors = errorsByParent.stream().filter(errors -> !errors.isEmpty()).count();
    long planned = withErrors * o.gradients() * (2L + (paraphrase ? o.editsPerGradient() : 0));
    String phase = paraphrase ? "critique → edit → paraphrase" : "critique → edit";
    return context.collect(phase, paraphrase ? 3 : 2, planned, () -> {
      List<CompletableFuture<Yield>> chains = new ArrayList<>();
      for (int p = 0; p < parents.size(); p++) {
        List<ExampleResult> errors = errorsByParent.get(p);
        if (errors.isEmpty()) {
          continue;
        }
        for (int g = 0; g < o.gradients(); g++) {
          chains.add(gradient(parents.get(p), context.sample(errors, o.errorsPerGradient()), g, context, round));
        }
      }
      return chains;
    });
  }

  /** One textual gradient: the critique, as soon as it arrives the edit, as soon as that arrives its paraphrases. */
  private CompletableFuture<Yield> gradient(Candidate parent, List<ExampleResult> shown, int g,
      OptimizationContext context, int round) {
    Options o = options;
    return context.ask(round, g, gradientQuestion(parent, shown, context)).thenCompose(answer -> {
      if (answer.failed()) {
        return OptimizationContext.done(answer.rejection(round, parent.id(), "critique"));
      }
      List<String> critiques = Tagged.all(answer.text().get(), "critique");
      if (critiques.isEmpty()) {
        return OptimizationContext.done(Yield.rejected(round, parent.id(), "critique",
            "the optimizer's answer has no <critique>...</critique> block", answer.text().get()));
      }
      String critique = critiques.get(0);
      return context.ask(round, g, editQuestion(parent, shown, critique, o.editsPerGradient(), context))
          .thenCompose(editAnswer -> {
        if (editAnswer.failed()) {
          return OptimizationContext.done(editAnswer.rejection(round, parent.id(), "edit"));
        }
        List<String> edits = Tagged.all(editAnswer.text().get(), "prompt");
        if (edits.isEmpty()) {
          return OptimizationContext.done(Yield.rejected(round, parent.id(), "edit",
              "the optimizer's answer has no <prompt>...</prompt> block", editAnswer.text().get()));
        }
        List<CompletableFuture<Yield>> parts = new ArrayList<>();
        List<String> kept = edits.subList(0, Math.min(edits.size(), o.editsPerGradient()));
        for (int e = 0; e < kept.size(); e++) {
          String edit = kept.get(e);
          CompletableFuture<Yield> part =
              OptimizationContext.done(Yield.of(new Proposal(edit, parent.id(), "edit", critique)));
          if (o.paraphrases() > 0) {
            int index = g * o.editsPerGradient() + e;
            part = part.thenCombine(paraphrases(parent, edit, critique, index, context, round), Yield::plus);
          }
          parts.add(part);
        }
        return OptimizationContext.together(parts);
      });
    });
  }

  private CompletableFuture<Yield> paraphrases(Candidate parent, String edit, String critique, int index,
      OptimizationContext context, int round) {
    Options o = options;
    return context.ask(round, index, paraphraseQuestion(edit, o.paraphrases(), context)).thenApply(answer -> {
      if (answer.failed()) {
        return answer.rejection(round, parent.id(), "paraphrase");
      }
      List<String> variants = Tagged.all(answer.text().get(), "prompt");
      if (variants.isEmpty()) {
        return Yield.rejected(round, parent.id(), "paraphrase",
            "the optimizer's answer has no <prompt>...</prompt> block", answer.text().get());
      }
      Yield yield = Yield.NONE;
      for (String variant : variants.subList(0, Math.min(variants.size(), o.paraphrases()))) {
        yield = yield.plus(Yield.of(new Proposal(variant, parent.id(), "paraphrase", critique)));
      }
      return yield;
    });
  }

  static String gradientQuestion(Candidate parent, List<ExampleResult> errors, OptimizationContext context) {
    return "A language model is given the prompt below (placeholders in {{double braces}} are filled "
        + "in per example).\n\n"
        + "<prompt>\n" + parent.text() + "\n</prompt>\n\n"
        + "With this prompt the model got the following examples wrong. The expected outputs are correct.\n\n"
        + StrategyText.errors(errors) + "\n"
        + "What is it about the prompt that led to these mistakes? Name the one most important problem with the prompt"
        + " (a missing rule, an ambiguity, a wrong emphasis) — criticise the prompt, not the examples or the model."
        + " Answer with the critique inside <critique></critique>.";
  }

  static String editQuestion(Candidate parent, List<ExampleResult> errors, String critique, int edits,
      OptimizationContext context) {
    return "A language model is given the prompt below (placeholders in {{double braces}} are filled "
        + "in per example).\n\n"
        + "<prompt>\n" + parent.text() + "\n</prompt>\n\n"
        + "It got these examples wrong:\n\n" + StrategyText.errors(errors) + "\n"
        + "A reviewer found this problem with the prompt:\n<critique>\n" + critique + "\n</critique>\n\n"
        + "Write " + edits + " improved version" + (edits == 1 ? "" : "s") + " of the whole prompt that fix"
        + (edits == 1 ? "es" : "")
        + " this problem, so that these examples and others like them are handled correctly.\n"
        + StrategyText.keepRules(context.rules())
        + "Put each complete new prompt inside its own <prompt></prompt> block and write nothing else.";
  }

  static String paraphraseQuestion(String prompt, int paraphrases, OptimizationContext context) {
    return "Rewrite the prompt below in " + paraphrases + " different way" + (paraphrases == 1 ? "" : "s")
        + ": change the wording, keep the meaning and every instruction.\n"
        + StrategyText.keepRules(context.rules())
        + "\n<prompt>\n" + prompt + "\n</prompt>\n\n"
        + "Put each rewritten prompt inside its own <prompt></prompt> block and write nothing else.";
  }
}
