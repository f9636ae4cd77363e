package io.promptunit.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expected and actual output as HTML, word by word when they share most of their words; otherwise (a
 * long or unrelated answer) the whole expected value deleted and the whole actual value inserted, since
 * a word diff of texts with little in common interleaves them into something nobody can read.
 */
final class WordDiff {

  private static final Pattern TOKEN = Pattern.compile("\\s+|[^\\s]+");
  /** Beyond this many token pairs the diff would cost too much: the whole values are shown. */
  private static final long MAX_CELLS = 4_000_000L;

  private WordDiff() {}

  static String html(String expected, String actual) {
    List<String> a = tokens(expected);
    List<String> b = tokens(actual);
    if ((long) a.size() * b.size() > MAX_CELLS) {
      return whole(expected, actual);
    }
    List<Diff.Edit> edits = absorbSpaces(Diff.of(a, b));
    long shared = edits.stream().filter(e -> e.kind() == Diff.Kind.SAME && !e.token().isBlank()).count();
    long words = Math.max(words(a), words(b));
    if (shared * 2 < words) {
      return whole(expected, actual);
    }
    return grouped(edits);
  }

  /** The whole values: deleted, then inserted; as blocks on lines of their own when either is long or spans lines. */
  private static String whole(String expected, String actual) {
    boolean block = expected.contains("\n") || actual.contains("\n") || expected.length() + actual.length() > 80;
    if (!block) {
      // a label for a label ("billing" for "technical"): a space between, so the two never read as one word
      return "<del>" + HtmlReport.esc(expected) + "</del> <ins>" + HtmlReport.esc(actual) + "</ins>";
    }
    return "<span class=\"del\">" + HtmlReport.esc(expected) + "</span>\n<span class=\"ins\">"
        + HtmlReport.esc(actual) + "</span>";
  }

  /**
   * Each run of changes as one deletion followed by one insertion, so that replaced words read as
   * phrases ({@code <del>so open</del><ins>Store long opens</ins>}), not interleaved word by word.
   */
  private static String grouped(List<Diff.Edit> edits) {
    StringBuilder out = new StringBuilder();
    StringBuilder deleted = new StringBuilder();
    StringBuilder inserted = new StringBuilder();
    for (Diff.Edit edit : edits) {
      switch (edit.kind()) {
        case DELETED -> deleted.append(edit.token());
        case INSERTED -> inserted.append(edit.token());
        case SAME -> {
          flush(out, deleted, inserted);
          out.append(HtmlReport.esc(edit.token()));
        }
      }
    }
    flush(out, deleted, inserted);
    return out.toString();
  }

  private static void flush(StringBuilder out, StringBuilder deleted, StringBuilder inserted) {
    if (deleted.length() > 0) {
      out.append("<del>").append(HtmlReport.esc(deleted.toString())).append("</del>");
    }
    if (inserted.length() > 0) {
      out.append("<ins>").append(HtmlReport.esc(inserted.toString())).append("</ins>");
    }
    deleted.setLength(0);
    inserted.setLength(0);
  }

  /** Whitespace kept between two changes belongs to the change: it is deleted and inserted with it. */
  private static List<Diff.Edit> absorbSpaces(List<Diff.Edit> edits) {
    List<Diff.Edit> out = new ArrayList<>(edits.size());
    for (int i = 0; i < edits.size(); i++) {
      Diff.Edit edit = edits.get(i);
      boolean between = i > 0 && i < edits.size() - 1 && edit.kind() == Diff.Kind.SAME && edit.token().isBlank()
          && edits.get(i - 1).kind() != Diff.Kind.SAME && edits.get(i + 1).kind() != Diff.Kind.SAME;
      if (between) {
        out.add(new Diff.Edit(Diff.Kind.DELETED, edit.token()));
        out.add(new Diff.Edit(Diff.Kind.INSERTED, edit.token()));
      } else {
        out.add(edit);
      }
    }
    return out;
  }

  private static long words(List<String> tokens) {
    return tokens.stream().filter(token -> !token.isBlank()).count();
  }

  private static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher matcher = TOKEN.matcher(text);
    while (matcher.find()) {
      tokens.add(matcher.group());
    }
    return tokens;
  }
}
