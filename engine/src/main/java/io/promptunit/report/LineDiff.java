package io.promptunit.report;

import java.util.ArrayList;
import java.util.List;

/** A line diff (longest common subsequence) in the familiar {@code -}/{@code +} form. */
public final class LineDiff {

  private LineDiff() {}

  public static String of(String before, String after) {
    String[] a = before.split("\n", -1);
    String[] b = after.split("\n", -1);
    int[][] lcs = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> lines = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length && j < b.length) {
      if (a[i].equals(b[j])) {
        lines.add("  " + a[i]);
        i++;
        j++;
      } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
        lines.add("- " + a[i++]);
      } else {
        lines.add("+ " + b[j++]);
      }
    }
    while (i < a.length) {
      lines.add("- " + a[i++]);
    }
    while (j < b.length) {
      lines.add("+ " + b[j++]);
    }
    return String.join("\n", lines);
  }
}
