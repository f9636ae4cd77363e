package io.promptunit.optimize.opro;

import io.promptunit.Example;
import io.promptunit.optimize.AnswerSize;
import io.promptunit.optimize.Candidate;
import io.promptunit.optimize.InstructionSlot;
import io.promptunit.optimize.OptimizationContext;
import io.promptunit.optimize.PromptStrategy;
import io.promptunit.optimize.Proposal;
import io.promptunit.optimize.StrategyText;
import io.promptunit.optimize.Yield;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * OPRO, large language models as optimizers (Yang et al., ICLR 2024). Each step shows the
 * optimizer the best instructions so far with their scores as integers 0-100, sorted ascending so
 * that the best come last, plus a few task exemplars showing where the instruction goes, and asks
 * for a new instruction, different from all shown, that scores higher. Several are sampled per
 * step at high temperature; every one is scored on the selection split and joins the trajectory.
 */
final class OPRO implements PromptStrategy {

  /** OPRO's own parameters (see {@code @Optimize} for each one's meaning). */
  public record Options(int trajectorySize, int minTrajectoryScore, int exemplars, int candidatesPerStep) {}

  private final Options options;

  public OPRO(Options options) {
    this.options = options;
  }

  private static final String SLOT = "<INS>";

  @Override
  public String name() {
    return "opro";
  }

  @Override
  public boolean backtracks() {
    return true;
  }

  @Override
  public boolean scoresEveryCandidate() {
    return true;
  }

  @Override
  public int maxNewPerParent() {
    return options.candidatesPerStep();
  }

  @Override
  public WorstCase worstCase(int parents, int round, OptimizationContext context) {
    Options o = options;
    // the trajectory grows by up to candidatesPerStep a step until it holds trajectorySize; each exemplar shows the
    // frame
    double trajectory = Math.min(o.trajectorySize(), 1 + o.candidatesPerStep() * (round - 1));
    // samples at temperature 1.0 rarely repeat: about one in ten does, or breaks a rule
    return new WorstCase(o.candidatesPerStep(), 0, o.candidatesPerStep(), o.candidatesPerStep() * 0.9,
        Math.min(o.trajectorySize(), 1 + (long) o.candidatesPerStep() * (round - 1)) + o.exemplars(), o.exemplars(),
        trajectory * 0.5 + o.exemplars(), 0.5,
        o.candidatesPerStep() * (long) context.outputCap(AnswerSize.prompts(1)));
  }

  @Override
  public List<Proposal> propose(List<Candidate> parents, OptimizationContext context, int round) {
    Options o = options;
    Candidate best = parents.get(0);
    InstructionSlot slot = InstructionSlot.of(best.text(), context.options().frozen());
    String question = metaPrompt(context, slot);
    return context.collect("opro samples", 1, o.candidatesPerStep(), () -> {
      List<CompletableFuture<Yield>> samples = new ArrayList<>();
      for (int i = 0; i < o.candidatesPerStep(); i++) {
        String rationale = "step " + round + " sample " + (i + 1);
        // the same question, sampled again: each sample is its own call with its own recorded answer
        samples.add(context.ask(round, i, question, AnswerSize.prompts(1))
            .thenApply(answer -> slot.proposals(answer, best, "opro", 1, rationale, context.options().frozen(),
                round)));
      }
      return samples;
    });
  }

  /**
   * The trajectory shown to the optimizer: scored candidates above the floor, the best {@code trajectorySize},
   * ascending; when none is above the floor, the checked-in prompt with its score (a request never announces
   * earlier instructions and lists none).
   */
  public List<Candidate> trajectory(OptimizationContext context) {
    Options o = options;
    List<Candidate> scored = new ArrayList<>(context.candidates().stream()
        .filter(c -> context.selectionScore(c.id()) != null)
        .filter(c -> Math.round(context.selectionScore(c.id()) * 100) >= o.minTrajectoryScore())
        .toList());
    if (scored.isEmpty()) {
      context.candidates().stream().filter(c -> c.origin().equals("original"))
          .filter(c -> context.selectionScore(c.id()) != null).findFirst().ifPresent(scored::add);
    }
    scored.sort(Comparator.comparingDouble((Candidate c) -> context.selectionScore(c.id())).reversed());
    List<Candidate> kept = new ArrayList<>(scored.subList(0, Math.min(o.trajectorySize(), scored.size())));
    kept.sort(Comparator.comparingDouble((Candidate c) -> context.selectionScore(c.id())));
    return kept;
  }

  String metaPrompt(OptimizationContext context, InstructionSlot slot) {
    Options o = options;
    StringBuilder q = new StringBuilder();
    List<Candidate> trajectory = trajectory(context);
    q.append("Your task is to write an instruction for a language model. ").append(trajectoryIntroduction(trajectory));
    for (Candidate candidate : trajectory) {
      String instruction = InstructionSlot.of(candidate.text(), context.options().frozen()).instruction();
      q.append("text:\n").append(instruction.isEmpty() ? "(no instruction)" : instruction).append("\nscore:\n")
          .append(String.format(Locale.ROOT, "%d",
              Math.round(context.selectionScore(candidate.id()) * 100))).append("\n\n");
    }
    q.append("Below are examples of the task. ").append(SLOT)
        .append(" shows where the instruction goes; the output is the correct answer.\n\n");
    for (Example exemplar : context.sample(context.splits().train(), o.exemplars())) {
      String input = slot.with(SLOT);
      for (var variable : exemplar.variables().entrySet()) {
        input = input.replace("{{" + variable.getKey() + "}}", StrategyText.cut(variable.getValue().toString()));
      }
      q.append("input:\n").append(input).append("\noutput:\n")
          .append(StrategyText.cut(exemplar.expected())).append("\n\n");
    }
    q.append(StrategyText.labels(context));
    q.append(trajectory.isEmpty() ? "Write an instruction that makes the model give these outputs."
        : trajectory.size() == 1 ? "Write a new instruction that is different from the instruction above and scores"
            + " higher than it."
        : "Write a new instruction that is different from all the instructions above and scores higher than all of"
            + " them.");
    q.append(" Write only the instruction, inside <instruction></instruction>.");
    return q.toString();
  }

  /** What the request says of the instructions it shows: none, the one in use, or several from lowest to highest. */
  private static String trajectoryIntroduction(List<Candidate> trajectory) {
    if (trajectory.isEmpty()) {
      return "No instruction has been tried yet.\n\n";
    }
    if (trajectory.size() == 1) {
      return "Below is the instruction tried so far with its score (the percentage of examples answered correctly,"
          + " 0-100).\n\n";
    }
    return "Below are earlier instructions with their scores (the percentage of examples answered correctly, 0-100),"
        + " from lowest to highest.\n\n";
  }
}
