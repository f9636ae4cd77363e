package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.List;

/**
 * Where an instruction goes in a template, for strategies that write instructions rather than
 * whole prompts (APE, OPRO): the instruction is the text before the first line that holds a
 * {@code {{variable}}} or a frozen passage; the rest is the frame that every candidate keeps.
 *
 * @param instruction the original instruction (may be empty)
 * @param separator the text between instruction and frame
 * @param frame the fixed rest of the template
 */
@API(status = INTERNAL, since = "0.1")
public record InstructionSlot(String instruction, String separator, String frame) {

  public static InstructionSlot of(String template, List<String> frozen) {
    String[] lines = template.split("\n", -1);
    int offset = 0;
    for (String line : lines) {
      boolean fixed = line.contains("{{") || frozen.stream()
          .anyMatch(passage -> !passage.isBlank() && line.contains(firstLine(passage)));
      if (fixed) {
        String before = template.substring(0, offset);
        String instruction = before.strip();
        String separator = before.substring(before.indexOf(instruction) + instruction.length());
        return new InstructionSlot(instruction, separator.isEmpty() && !instruction.isEmpty() ? "\n" : separator,
            template.substring(offset));
      }
      offset += line.length() + 1;
    }
    // no variable at all: the whole template is the instruction
    return new InstructionSlot(template.strip(), "", "");
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    return newline < 0 ? stripped : stripped.substring(0, newline);
  }

  /**
   * {@code generated} without what the frame already says: a frozen passage or a line of the frame
   * (the output-format line, the line holding the input) that the optimizer copied into the
   * instruction would otherwise reach the model twice. Empty when nothing else is left.
   */
  public String withoutFrame(String generated, List<String> frozen) {
    String text = generated;
    for (String passage : frozen) {
      if (!passage.isBlank()) {
        text = text.replace(passage.strip(), "");
      }
    }
    for (String line : frame.split("\n")) {
      String fixed = line.strip();
      if (!fixed.isEmpty()) {
        text = text.replace(fixed, "");
      }
    }
    // what the removals left behind: blank lines in a row, spaces before punctuation or at line ends
    return text.replaceAll("[ \t]+\n", "\n").replaceAll("\n{3,}", "\n\n").replaceAll(" {2,}", " ").strip();
  }

  /**
   * The instructions of an optimizer's answer (at most {@code most}), each put into this frame
   * without what the frame already says; an instruction that only repeated the frame is rejected.
   */
  public Yield proposals(Answer answer, Candidate parent, String origin, int most, String rationale,
      List<String> frozen, int round) {
    if (answer.failed()) {
      return answer.rejection(round, parent.id(), origin);
    }
    List<String> instructions = Tagged.all(answer.text().get(), "instruction");
    if (instructions.isEmpty()) {
      return answer.missing("instruction", round, parent.id(), origin);
    }
    Yield yield = answer.truncationNote(round, origin, instructions.size(), most).map(Yield.NONE::withNote)
        .orElse(Yield.NONE);
    for (String instruction : instructions.subList(0, Math.min(instructions.size(), most))) {
      String own = withoutFrame(instruction, frozen);
      yield = yield.plus(own.isEmpty()
          ? Yield.rejected(round, parent.id(), origin,
              "the instruction only repeats the prompt's fixed frame", instruction)
          : Yield.of(new Proposal(with(own), parent.id(), origin, rationale)));
    }
    return yield;
  }

  /** The template with {@code newInstruction} in the slot. */
  public String with(String newInstruction) {
    String text = newInstruction.strip();
    if (frame.isEmpty()) {
      return text;
    }
    return text + (separator.isEmpty() ? "\n\n" : separator) + frame;
  }
}
