package io.promptunit.suite;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import java.util.List;
import java.util.stream.Collectors;

/** A suite cannot run because its files or declaration are broken; the message lists every problem found. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class InvalidSuiteException extends RuntimeException {

  private static final int MAX_LISTED = 20;

  private final List<SuiteProblem> problems;

  public InvalidSuiteException(List<SuiteProblem> problems) {
    super(render(problems), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public InvalidSuiteException(SuiteProblem problem) {
    this(List.of(problem));
  }

  /** One problem found because loading threw {@code cause}, which is kept for the stack trace. */
  public InvalidSuiteException(SuiteProblem problem, Throwable cause) {
    super(render(List.of(problem)), cause, false, false);
    this.problems = List.of(problem);
  }

  public List<SuiteProblem> problems() {
    return problems;
  }

  private static String render(List<SuiteProblem> problems) {
    if (problems.size() == 1) {
      return problems.get(0).describe();
    }
    String listed = problems.stream().limit(MAX_LISTED).map(p -> "  - " + p.describe())
        .collect(Collectors.joining("\n"));
    String more = problems.size() > MAX_LISTED ? "\n  ... and " + (problems.size() - MAX_LISTED) + " more" : "";
    return problems.size() + " problems in this suite:\n" + listed + more;
  }
}
