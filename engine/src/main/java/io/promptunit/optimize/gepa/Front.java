package io.promptunit.optimize.gepa;

import io.promptunit.Example;
import io.promptunit.eval.ExampleResult;
import io.promptunit.optimize.Candidate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * The Pareto front of the candidates over the selection examples (GEPA's candidate selection): on each example the
 * best candidates are those that pass it; a candidate is on the front when it is best on at least one example and no
 * other candidate is best on all of those (and more, or as many and made earlier). So a candidate that alone passes
 * some examples stays, however low its average. Examples no candidate passes tell the candidates apart on nothing
 * and are left out.
 *
 * @param members the front, in the order the candidates were made
 * @param unsolved the ids of the examples no candidate passes
 */
record Front(List<Member> members, List<String> unsolved) {

  /** A candidate on the front and the ids of the examples it is best on. */
  record Member(Candidate candidate, List<String> wins) {}

  /** Two front members of different lineages, each best on examples the other fails. */
  record Pair(Member first, Member second, List<String> onlyFirst, List<String> onlySecond) {}

  /**
   * @param candidates the candidates, in the order they were made; the first is the fallback when none passes anything
   * @param results each candidate's results on {@code examples}, in candidate order
   */
  static Front of(List<Candidate> candidates, List<Example> examples, List<List<ExampleResult>> results) {
    return ofPasses(candidates, examples, results.stream()
        .map(row -> row.stream().map(r -> r.status() == ExampleResult.Status.PASSED).toList()).toList());
  }

  /**
   * @param candidates the candidates, in the order they were made; the first is the fallback when none passes anything
   * @param passes whether each candidate passes each of {@code examples}, in candidate order
   */
  static Front ofPasses(List<Candidate> candidates, List<Example> examples, List<List<Boolean>> passes) {
    Map<Candidate, Set<String>> wins = new LinkedHashMap<>();
    List<String> unsolved = new ArrayList<>();
    for (Candidate candidate : candidates) {
      wins.put(candidate, new LinkedHashSet<>());
    }
    for (int e = 0; e < examples.size(); e++) {
      boolean solved = false;
      for (int c = 0; c < candidates.size(); c++) {
        if (passes.get(c).get(e)) {
          wins.get(candidates.get(c)).add(examples.get(e).id());
          solved = true;
        }
      }
      if (!solved) {
        unsolved.add(examples.get(e).id());
      }
    }
    List<Member> members = new ArrayList<>();
    for (Candidate candidate : candidates) {
      Set<String> own = wins.get(candidate);
      if (!own.isEmpty() && !dominated(candidate, own, wins)) {
        members.add(new Member(candidate, List.copyOf(own)));
      }
    }
    if (members.isEmpty() && !candidates.isEmpty()) {
      members.add(new Member(candidates.get(0), List.of()));
    }
    return new Front(List.copyOf(members), List.copyOf(unsolved));
  }

  /** Whether another candidate is best on every example {@code candidate} is best on, and on more (or made earlier). */
  private static boolean dominated(Candidate candidate, Set<String> own, Map<Candidate, Set<String>> wins) {
    for (Map.Entry<Candidate, Set<String>> other : wins.entrySet()) {
      Set<String> theirs = other.getValue();
      if (other.getKey() != candidate && theirs.containsAll(own)
          && (theirs.size() > own.size() || other.getKey().ordinal() < candidate.ordinal())) {
        return true;
      }
    }
    return false;
  }

  /** A member drawn with probability proportional to how many examples it is best on (at least 1). */
  Member sample(Random random) {
    int total = members.stream().mapToInt(Front::weight).sum();
    int draw = random.nextInt(total);
    for (Member member : members) {
      draw -= weight(member);
      if (draw < 0) {
        return member;
      }
    }
    return members.get(members.size() - 1);
  }

  static int weight(Member member) {
    return Math.max(1, member.wins().size());
  }

  int totalWeight() {
    return members.stream().mapToInt(Front::weight).sum();
  }

  /**
   * The pair to merge: two members where neither descends from the other and each is best on examples the other
   * fails, covering the most examples together; pairs in {@code done} are skipped. Empty when there is none.
   *
   * @param byId every candidate by id, to follow lineages
   * @param parents the ids of a candidate's parents (a merge has two)
   */
  Optional<Pair> mergePair(Function<String, Optional<Candidate>> byId, Function<Candidate, List<String>> parents,
      Set<String> done) {
    Pair best = null;
    int bestCover = -1;
    for (int i = 0; i < members.size(); i++) {
      for (int j = i + 1; j < members.size(); j++) {
        Member a = members.get(i);
        Member b = members.get(j);
        List<String> onlyA = a.wins().stream().filter(id -> !b.wins().contains(id)).toList();
        List<String> onlyB = b.wins().stream().filter(id -> !a.wins().contains(id)).toList();
        if (onlyA.isEmpty() || onlyB.isEmpty() || done.contains(key(a.candidate(), b.candidate()))
            || descends(a.candidate(), b.candidate(), byId, parents)
            || descends(b.candidate(), a.candidate(), byId, parents)) {
          continue;
        }
        int cover = a.wins().size() + onlyB.size();
        if (cover > bestCover) {
          best = new Pair(a, b, onlyA, onlyB);
          bestCover = cover;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  static String key(Candidate a, Candidate b) {
    return a.id() + "+" + b.id();
  }

  /** Whether {@code child} has {@code ancestor} among its parents, grandparents, ... (through every parent). */
  static boolean descends(Candidate child, Candidate ancestor, Function<String, Optional<Candidate>> byId,
      Function<Candidate, List<String>> parents) {
    java.util.Deque<Candidate> open = new java.util.ArrayDeque<>(List.of(child));
    Set<String> seen = new java.util.HashSet<>();
    while (!open.isEmpty()) {
      for (String parent : parents.apply(open.pop())) {
        if (parent.equals(ancestor.id())) {
          return true;
        }
        if (seen.add(parent)) {
          byId.apply(parent).ifPresent(open::push);
        }
      }
    }
    return false;
  }

  /** The front for history.json: each member's id and the examples it is best on. */
  Map<String, Object> json() {
    Map<String, Object> data = new LinkedHashMap<>();
    List<Map<String, Object>> list = new ArrayList<>();
    for (Member member : members) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("candidate", member.candidate().id());
      m.put("bestOn", member.wins());
      list.add(m);
    }
    data.put("members", list);
    data.put("unsolved", unsolved);
    return data;
  }

  /** The front in words: {@code c2 best on 5 (dev-1, dev-3, …); c4 best on 2 (…)}. */
  String describe() {
    List<String> parts = new ArrayList<>();
    for (Member member : members) {
      parts.add(member.candidate().id() + " best on " + member.wins().size() + (member.wins().isEmpty() ? ""
          : " (" + String.join(", ", member.wins()) + ")"));
    }
    return String.join("; ", parts) + (unsolved.isEmpty() ? "" : "; passed by none: " + String.join(", ", unsolved));
  }
}
