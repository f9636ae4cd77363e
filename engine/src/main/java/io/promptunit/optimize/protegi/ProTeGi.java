package io.promptunit.optimize.protegi;

import io.promptunit.eval.ExampleResult;
import io.promptunit.optimize.AnswerSize;
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
      int maxExpansion, int causes) {}

  /** Tokens a critique may take per cause it names: a few sentences. */
  static final int TOKENS_PER_CAUSE = 150;

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
    // per gradient: the critique, an edit per cause, and the paraphrases of the first cause's edits
    long paraphraseCalls = o.paraphrases() > 0 ? o.editsPerGradient() : 0;
    long meta = o.gradients() * (1L + o.causes() + paraphraseCalls);
    long output = o.gradients() * ((long) context.outputCap(critiqueSize())
        + o.causes() * (long) context.outputCap(AnswerSize.prompts(o.editsPerGradient()))
        + paraphraseCalls * context.outputCap(AnswerSize.prompts(o.paraphrases())));
    // a critique names about two causes; edits hold editsPerGradient prompts, paraphrases their prompts
    double likelyCauses = Math.min(o.causes(), 2);
    double likelyCalls = 1 + likelyCauses + paraphraseCalls;
    double answer = (0.5 + likelyCauses * o.editsPerGradient() + paraphraseCalls * o.paraphrases()) / likelyCalls;
    long expansion = Math.min(o.maxExpansion(),
        (long) o.gradients() * o.editsPerGradient() * (o.causes() + o.paraphrases()));
    // a quarter of the proposals repeat or break a rule; the expansion cap keeps at most maxExpansion of the rest
    double likelyNew = Math.min(o.maxExpansion(),
        o.gradients() * o.editsPerGradient() * (likelyCauses + o.paraphrases()) * 0.75);
    return new WorstCase(parents * meta, parents * scoring, (long) parents * expansion, parents * likelyNew, 1,
        o.errorsPerGradient(), 1, answer, parents * output, parents * o.gradients() * likelyCalls);
  }

  @Override
  public List<Proposal> propose(List<Candidate> parents, OptimizationContext context, int round) {
    Options o = options;
    List<List<ExampleResult>> errorsByParent = context.trainErrors(parents, context.options().minibatchSize());
    boolean paraphrase = o.paraphrases() > 0;
    long withErrors = errorsByParent.stream().filter(errors -> !errors.isEmpty()).count();
    long planned = withErrors * o.gradients() * (1L + o.causes() + (paraphrase ? o.editsPerGradient() : 0));
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

  private AnswerSize critiqueSize() {
    return AnswerSize.text(options.causes() * TOKENS_PER_CAUSE);
  }

  /**
   * One textual gradient: the critique, as soon as it arrives an edit for each distinct cause it names, as soon as
   * the first cause's edits arrive their paraphrases.
   */
  private CompletableFuture<Yield> gradient(Candidate parent, List<ExampleResult> shown, int g,
      OptimizationContext context, int round) {
    Options o = options;
    return context.ask(round, g, gradientQuestion(parent, shown, o.causes(), context), critiqueSize())
        .thenCompose(answer -> {
      if (answer.failed()) {
        return OptimizationContext.done(answer.rejection(round, parent.id(), "critique"));
      }
      List<String> critiques = Tagged.all(answer.text().get(), "critique");
      if (critiques.isEmpty()) {
        return OptimizationContext.done(answer.missing("critique", round, parent.id(), "critique"));
      }
      List<String> causes = critiques.subList(0, Math.min(critiques.size(), o.causes()));
      List<CompletableFuture<Yield>> edits = new ArrayList<>();
      for (int c = 0; c < causes.size(); c++) {
        edits.add(edit(parent, shown, causes.get(c), g * o.causes() + c, c == 0, context, round));
      }
      return OptimizationContext.together(edits);
    });
  }

  /** The edits fixing one cause, and (for the first cause of a critique) their paraphrases. */
  private CompletableFuture<Yield> edit(Candidate parent, List<ExampleResult> shown, String critique, int index,
      boolean paraphrase, OptimizationContext context, int round) {
    Options o = options;
    return context.ask(round, index, editQuestion(parent, shown, critique, o.editsPerGradient(), context),
        AnswerSize.prompts(o.editsPerGradient())).thenCompose(editAnswer -> {
          if (editAnswer.failed()) {
            return OptimizationContext.done(editAnswer.rejection(round, parent.id(), "edit"));
          }
          List<String> edits = Tagged.all(editAnswer.text().get(), "prompt");
          if (edits.isEmpty()) {
            return OptimizationContext.done(editAnswer.missing("prompt", round, parent.id(), "edit"));
          }
          List<CompletableFuture<Yield>> parts = new ArrayList<>();
          List<String> kept = edits.subList(0, Math.min(edits.size(), o.editsPerGradient()));
          Yield noted = editAnswer.truncationNote(round, "edit", kept.size(), o.editsPerGradient())
              .map(Yield.NONE::withNote).orElse(Yield.NONE);
          parts.add(OptimizationContext.done(noted));
          for (int e = 0; e < kept.size(); e++) {
            String edit = kept.get(e);
            CompletableFuture<Yield> part =
                OptimizationContext.done(Yield.of(new Proposal(edit, parent.id(), "edit", critique)));
            if (paraphrase && o.paraphrases() > 0) {
              int at = index * o.editsPerGradient() + e;
              part = part.thenCombine(paraphrases(parent, edit, critique, at, context, round), Yield::plus);
            }
            parts.add(part);
          }
          return OptimizationContext.together(parts);
        });
  }

  private CompletableFuture<Yield> paraphrases(Candidate parent, String edit, String critique, int index,
      OptimizationContext context, int round) {
    Options o = options;
    return context.ask(round, index, paraphraseQuestion(edit, o.paraphrases(), context),
        AnswerSize.prompts(o.paraphrases())).thenApply(answer -> {
      if (answer.failed()) {
        return answer.rejection(round, parent.id(), "paraphrase");
      }
      List<String> variants = Tagged.all(answer.text().get(), "prompt");
      if (variants.isEmpty()) {
        return answer.missing("prompt", round, parent.id(), "paraphrase");
      }
      Yield yield = answer.truncationNote(round, "paraphrase", variants.size(), o.paraphrases())
          .map(Yield.NONE::withNote).orElse(Yield.NONE);
      for (String variant : variants.subList(0, Math.min(variants.size(), o.paraphrases()))) {
        yield = yield.plus(Yield.of(new Proposal(variant, parent.id(), "paraphrase", critique)));
      }
      return yield;
    });
  }

  static String gradientQuestion(Candidate parent, List<ExampleResult> errors, int causes,
      OptimizationContext context) {
    return "A language model is given the prompt below (placeholders in {{double braces}} are filled "
        + "in per example).\n\n"
        + "<prompt>\n" + parent.text() + "\n</prompt>\n\n"
        + "With this prompt the model got the following examples wrong. The expected outputs are correct.\n"
        + StrategyText.labels(context) + "\n"
        + StrategyText.errors(errors) + "\n"
        + "What is it about the prompt that led to these mistakes? Mistakes often have separate causes: name each"
        + " distinct problem with the prompt that you see (a missing rule, an ambiguity, a wrong emphasis), "
        + (causes == 1 ? "only the most important one" : "at most " + causes + ", the most important first")
        + " — criticise the prompt, not the examples or the model. Put each problem inside its own"
        + " <critique></critique> block; do not split one problem over several blocks.";
  }

  static String editQuestion(Candidate parent, List<ExampleResult> errors, String critique, int edits,
      OptimizationContext context) {
    return "A language model is given the prompt below (placeholders in {{double braces}} are filled "
        + "in per example).\n\n"
        + "<prompt>\n" + parent.text() + "\n</prompt>\n\n"
        + "It got these examples wrong:\n\n" + StrategyText.errors(errors) + "\n"
        + "A reviewer found this problem with the prompt:\n<critique>\n" + critique + "\n</critique>\n\n"
        + StrategyText.labels(context)
        + "Write " + edits + " improved version" + (edits == 1 ? "" : "s") + " of the whole prompt that fix"
        + (edits == 1 ? "es" : "")
        + " this problem, so that these examples and others like them are handled correctly.\n"
        + StrategyText.keepRules(context.rules())
        + "Put each complete new prompt inside its own <prompt></prompt> block and write nothing else.";
  }

  static String paraphraseQuestion(String prompt, int paraphrases, OptimizationContext context) {
    return "Rewrite the prompt below in " + paraphrases + " different way" + (paraphrases == 1 ? "" : "s")
        + ": change the wording, keep the meaning and every instruction.\n"
        + StrategyText.labels(context)
        + StrategyText.keepRules(context.rules())
        + "\n<prompt>\n" + prompt + "\n</prompt>\n\n"
        + "Put each rewritten prompt inside its own <prompt></prompt> block and write nothing else.";
  }
}
