package io.promptunit.optimize.protegi;

import io.promptunit.eval.ExampleResult;
import io.promptunit.optimize.Candidate;
import io.promptunit.optimize.OptimizationContext;
import io.promptunit.optimize.OptimizeOptions;
import io.promptunit.optimize.PromptStrategy;
import io.promptunit.optimize.Proposal;
import io.promptunit.optimize.StrategyText;
import io.promptunit.optimize.Tagged;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ProTeGi (Pryzant et al., EMNLP 2023), "prompt optimization with textual gradients": for each
 * prompt of the beam, run a train minibatch, ask the optimizer model why the prompt got a sample of
 * the errors wrong (a critique, the "gradient"), ask for prompts edited to fix each critique (the
 * "step"), and widen the search with paraphrases of the edits (Monte Carlo expansion). The shared
 * loop then selects the next beam with a best-arm algorithm.
 */
public final class ProTeGi implements PromptStrategy {

  @Override
  public String name() {
    return "protegi";
  }

  @Override
  public boolean backtracks() {
    return false;
  }

  @Override
  public int maxNewPerParent(OptimizeOptions options) {
    return options.maxExpansion();
  }

  @Override
  public WorstCase worstCase(int parents, OptimizationContext context) {
    OptimizeOptions o = context.options();
    long scoring = StrategyText.minibatchScoringCalls(context);
    long meta = o.gradients() + (long) o.gradients() * (o.paraphrases() > 0 ? 1 + o.editsPerGradient() : 1);
    return new WorstCase(parents * meta, parents * scoring);
  }

  @Override
  public List<Proposal> propose(List<Candidate> parents, OptimizationContext context, int round) {
    OptimizeOptions o = context.options();
    List<Proposal> proposals = new ArrayList<>();
    for (Candidate parent : parents) {
      List<ExampleResult> errors = context.trainErrors(parent, o.minibatchSize());
      if (errors.isEmpty()) {
        continue;
      }
      for (int g = 0; g < o.gradients(); g++) {
        List<ExampleResult> shown = context.sample(errors, o.errorsPerGradient());
        Optional<String> asked = context.ask(round, parent.id(), "critique", gradientQuestion(parent, shown, context));
        if (asked.isEmpty()) {
          continue;
        }
        String answer = asked.get();
        List<String> critiques = Tagged.all(answer, "critique");
        if (critiques.isEmpty()) {
          context.reject(round, parent.id(), "critique", "the optimizer's answer has no <critique>...</critique> block", answer);
          continue;
        }
        String critique = critiques.get(0);
        Optional<String> editAnswer = context.ask(round, parent.id(), "edit", editQuestion(parent, shown, critique, o.editsPerGradient(), context));
        if (editAnswer.isEmpty()) {
          continue;
        }
        String edited = editAnswer.get();
        List<String> edits = Tagged.all(edited, "prompt");
        if (edits.isEmpty()) {
          context.reject(round, parent.id(), "edit", "the optimizer's answer has no <prompt>...</prompt> block", edited);
          continue;
        }
        for (String edit : edits.subList(0, Math.min(edits.size(), o.editsPerGradient()))) {
          proposals.add(new Proposal(edit, parent.id(), "edit", critique));
          if (o.paraphrases() > 0) {
            Optional<String> paraphraseAnswer = context.ask(round, parent.id(), "paraphrase", paraphraseQuestion(edit, o.paraphrases(), context));
            if (paraphraseAnswer.isEmpty()) {
              continue;
            }
            String paraphrased = paraphraseAnswer.get();
            List<String> variants = Tagged.all(paraphrased, "prompt");
            if (variants.isEmpty()) {
              context.reject(round, parent.id(), "paraphrase", "the optimizer's answer has no <prompt>...</prompt> block", paraphrased);
            }
            for (String variant : variants.subList(0, Math.min(variants.size(), o.paraphrases()))) {
              proposals.add(new Proposal(variant, parent.id(), "paraphrase", critique));
            }
          }
        }
      }
    }
    return proposals;
  }

  static String gradientQuestion(Candidate parent, List<ExampleResult> errors, OptimizationContext context) {
    return "A language model is given the prompt below (placeholders in {{double braces}} are filled in per example).\n\n"
        + "<prompt>\n" + parent.text() + "\n</prompt>\n\n"
        + "With this prompt the model got the following examples wrong. The expected outputs are correct.\n\n"
        + StrategyText.errors(errors) + "\n"
        + "What is it about the prompt that led to these mistakes? Name the one most important problem with the prompt"
        + " (a missing rule, an ambiguity, a wrong emphasis) — criticise the prompt, not the examples or the model."
        + " Answer with the critique inside <critique></critique>.";
  }

  static String editQuestion(Candidate parent, List<ExampleResult> errors, String critique, int edits, OptimizationContext context) {
    return "A language model is given the prompt below (placeholders in {{double braces}} are filled in per example).\n\n"
        + "<prompt>\n" + parent.text() + "\n</prompt>\n\n"
        + "It got these examples wrong:\n\n" + StrategyText.errors(errors) + "\n"
        + "A reviewer found this problem with the prompt:\n<critique>\n" + critique + "\n</critique>\n\n"
        + "Write " + edits + " improved version" + (edits == 1 ? "" : "s") + " of the whole prompt that fix" + (edits == 1 ? "es" : "")
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
