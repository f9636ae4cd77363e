package io.promptunit.report;

import java.util.ArrayList;
import java.util.List;

/** The shortest edit from one token list to another (longest common subsequence), for line and word diffs. */
final class Diff {

  enum Kind { SAME, DELETED, INSERTED }

  record Edit(Kind kind, String token) {}

  private Diff() {}

  static List<Edit> of(List<String> a, List<String> b) {
    int[][] lcs = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<Edit> edits = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      if (a.get(i).equals(b.get(j))) {
        edits.add(new Edit(Kind.SAME, a.get(i)));
        i++;
        j++;
      } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
        edits.add(new Edit(Kind.DELETED, a.get(i++)));
      } else {
        edits.add(new Edit(Kind.INSERTED, b.get(j++)));
      }
    }
    while (i < a.size()) {
      edits.add(new Edit(Kind.DELETED, a.get(i++)));
    }
    while (j < b.size()) {
      edits.add(new Edit(Kind.INSERTED, b.get(j++)));
    }
    return edits;
  }
}
