package io.promptunit.optimize.ape;

import io.promptunit.Example;
import io.promptunit.optimize.AnswerSize;
import io.promptunit.optimize.Candidate;
import io.promptunit.optimize.InstructionSlot;
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
 * APE, Automatic Prompt Engineer (Zhou et al., ICLR 2023). Round 1 induces instructions from
 * demonstrations: for each of {@code subsamples} random sets of {@code demos} train examples, the
 * optimizer model states the instruction that turns those inputs into those outputs — after the
 * demonstrations (forward) or in a marked blank (insert; emulated with an instruction, since chat
 * models have no infill), or through the user's own generation template. Candidates are then
 * filtered in stages on growing disjoint subsets (the shared loop's successive halving on one
 * shared example order). Later rounds are iterative Monte Carlo resampling: semantic variations of
 * the best instructions. Only the instruction is written; the template's frame (variables, output
 * format, frozen passages) is kept.
 */
final class APE implements PromptStrategy {

  /**
   * APE's own parameters (see {@code @Optimize} for each one's meaning).
   *
   * @param customTemplate the text of a custom generation template (with {@code {{demos}}} and {@code [INSERT]}), or
   *     null
   */
  public record Options(String generation, String customTemplate, int subsamples, int demos,
      int promptsPerSubsample, String scoring,
      int proposals) {}

  private final Options options;

  public APE(Options options) {
    this.options = options;
  }

  /** Marks where the instruction goes in a generation template. */
  public static final String INSERT = "[INSERT]";

  @Override
  public String name() {
    return "ape";
  }

  @Override
  public boolean backtracks() {
    return false;
  }

  @Override
  public int maxNewPerParent() {
    return Math.max(options.subsamples() * options.promptsPerSubsample(), options.proposals());
  }

  @Override
  public WorstCase worstCase(int parents, int round, OptimizationContext context) {
    Options o = options;
    long calls = round == 1 ? o.subsamples() : parents;
    long fresh = round == 1 ? (long) o.subsamples() * o.promptsPerSubsample() : (long) parents * o.proposals();
    // an instruction is about half a prompt (the frame is not rewritten)
    int perAnswer = round == 1 ? o.promptsPerSubsample() : o.proposals();
    return new WorstCase(calls, 0, fresh, fresh * 0.75, 1, round == 1 ? o.demos() : 0, 0.5, 0.5 * perAnswer,
        calls * context.outputCap(AnswerSize.prompts(perAnswer)));
  }

  @Override
  public List<Proposal> propose(List<Candidate> parents, OptimizationContext context, int round) {
    Options o = options;
    if (round == 1 && o.scoring().equals("logprob")) {
      context.note("APE scoring = \"logprob\" was requested, "
          + "but langchain4j's ChatModel API returns no log-probabilities of a given"
          + " expected output for " + context.meta().name()
          + " or the task model; candidates were scored by execution accuracy instead.");
    }
    return round == 1 ? generate(parents.get(0), context, round) : resample(parents, context, round);
  }

  private List<Proposal> generate(Candidate original, OptimizationContext context, int round) {
    Options o = options;
    InstructionSlot slot = InstructionSlot.of(original.text(), context.options().frozen());
    String origin = "ape-" + o.generation();
    return context.collect("ape generation", 1, o.subsamples(), () -> {
      List<CompletableFuture<Yield>> asks = new ArrayList<>();
      for (int s = 0; s < o.subsamples(); s++) {
        List<Example> demos = context.sample(context.splits().train(), o.demos());
        String ids = demos.stream().map(Example::id).toList().toString();
        asks.add(context.ask(round, s, generationQuestion(demos, o, context),
            AnswerSize.prompts(o.promptsPerSubsample()))
            .thenApply(answer -> slot.proposals(answer, original, origin, o.promptsPerSubsample(),
                "induced from demonstrations " + ids, context.options().frozen(), round)));
      }
      return asks;
    });
  }

  private List<Proposal> resample(List<Candidate> parents, OptimizationContext context, int round) {
    Options o = options;
    return context.collect("ape resampling", 1, parents.size(), () -> {
      List<CompletableFuture<Yield>> asks = new ArrayList<>();
      for (Candidate parent : parents) {
        InstructionSlot slot = InstructionSlot.of(parent.text(), context.options().frozen());
        asks.add(context.ask(round, 0, "Generate " + o.proposals()
          + " variations of the following instruction. Keep its meaning"
          + " and every rule in it; vary the wording.\n\n<instruction>\n" + slot.instruction() + "\n</instruction>\n\n"
          + StrategyText.labels(context)
          + "Put each variation inside its own <instruction></instruction> block and write nothing else.",
          AnswerSize.prompts(o.proposals()))
            .thenApply(answer -> slot.proposals(answer, parent, "ape-resample", o.proposals(),
                "a variation of " + parent.id(), context.options().frozen(), round)));
      }
      return asks;
    });
  }

  String generationQuestion(List<Example> demos, Options o, OptimizationContext context) {
    String pairs = demonstrations(demos);
    int n = o.promptsPerSubsample();
    String labels = StrategyText.labels(context);
    String ask = (labels.isEmpty() ? "" : "\n" + labels.strip() + "\n") + "Give " + n
        + " different candidate instruction" + (n == 1 ? "" : "s") + ", each inside its own <instruction></instruction>"
        + " block.";
    if (o.customTemplate() != null) {
      return o.customTemplate().replace("{{demos}}", pairs)
          + "\n\nWrite the text that belongs where " + INSERT + " stands. " + ask;
    }
    if (o.generation().equals("insert")) {
      return "I gave a friend an instruction: " + INSERT
          + "\nBased on the instruction they produced the following input-output pairs:\n\n"
          + pairs + "\nWhat text belongs where " + INSERT + " stands? " + ask;
    }
    return "I gave a friend an instruction and some inputs. "
        + "The friend read the instruction and wrote an output for every one of"
        + " the inputs. Here are the input-output pairs:\n\n" + pairs
        + "\nThe instruction was: ...\nState the instruction completely, including any rule the outputs follow. " + ask;
  }

  static String demonstrations(List<Example> demos) {
    StringBuilder text = new StringBuilder();
    for (Example demo : demos) {
      text.append("Input:");
      if (demo.variables().size() == 1) {
        text.append(' ').append(StrategyText.cut(demo.variables().values().iterator().next().toString())).append('\n');
      } else {
        text.append('\n');
        demo.variables().forEach((name, value) -> text.append("  ").append(name).append(": ")
            .append(StrategyText.cut(value.toString())).append('\n'));
      }
      text.append("Output: ").append(StrategyText.cut(demo.expected())).append("\n\n");
    }
    return text.toString();
  }
}
