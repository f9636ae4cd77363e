package io.promptunit.optimize;

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
public record InstructionSlot(String instruction, String separator, String frame) {

  public static InstructionSlot of(String template, List<String> frozen) {
    String[] lines = template.split("\n", -1);
    int offset = 0;
    for (String line : lines) {
      boolean fixed = line.contains("{{") || frozen.stream().anyMatch(passage -> !passage.isBlank() && line.contains(firstLine(passage)));
      if (fixed) {
        String before = template.substring(0, offset);
        String instruction = before.strip();
        String separator = before.substring(before.indexOf(instruction) + instruction.length());
        return new InstructionSlot(instruction, separator.isEmpty() && !instruction.isEmpty() ? "\n" : separator, template.substring(offset));
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

  /** The template with {@code newInstruction} in the slot. */
  public String with(String newInstruction) {
    String text = newInstruction.strip();
    if (frame.isEmpty()) {
      return text;
    }
    return text + (separator.isEmpty() ? "\n\n" : separator) + frame;
  }
}
