package io.promptunit.report;

import java.util.Arrays;
import java.util.List;

/** A line diff (longest common subsequence) in the familiar {@code -}/{@code +} form. */
final class LineDiff {

  private LineDiff() {}

  public static String of(String before, String after) {
    List<String> lines = Diff.of(Arrays.asList(before.split("\n", -1)), Arrays.asList(after.split("\n", -1))).stream()
        .map(edit -> switch (edit.kind()) {
          case SAME -> "  " + edit.token();
          case DELETED -> "- " + edit.token();
          case INSERTED -> "+ " + edit.token();
        }).toList();
    return String.join("\n", lines);
  }
}
