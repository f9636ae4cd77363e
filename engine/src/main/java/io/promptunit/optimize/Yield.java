package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.ArrayList;
import java.util.List;

/**
 * What one chain of optimizer calls produced: new prompts, answers that could not be used, and
 * notes for the user. Chains run concurrently; their yields are merged in the order the chains were
 * started, so the history reads the same whatever the thread timing.
 */
@API(status = INTERNAL, since = "0.1")
public record Yield(List<Proposal> proposals, List<History.Rejection> rejections, List<String> notes) {

  public static final Yield NONE = new Yield(List.of(), List.of(), List.of());

  public Yield {
    proposals = List.copyOf(proposals);
    rejections = List.copyOf(rejections);
    notes = List.copyOf(notes);
  }

  public static Yield of(Proposal proposal) {
    return new Yield(List.of(proposal), List.of(), List.of());
  }

  public static Yield rejected(int round, String parent, String origin, String reason, String text) {
    return new Yield(List.of(), List.of(new History.Rejection(round, parent, origin, reason, text)), List.of());
  }

  public Yield plus(Yield other) {
    List<Proposal> p = new ArrayList<>(proposals);
    p.addAll(other.proposals);
    List<History.Rejection> r = new ArrayList<>(rejections);
    r.addAll(other.rejections);
    List<String> n = new ArrayList<>(notes);
    n.addAll(other.notes);
    return new Yield(p, r, n);
  }

  public Yield withNote(String note) {
    return plus(new Yield(List.of(), List.of(), List.of(note)));
  }

  static Yield concat(List<Yield> yields) {
    return yields.stream().reduce(NONE, Yield::plus);
  }
}
