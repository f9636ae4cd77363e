package io.promptunit.config;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The configuration has problems; the message lists every one, each naming its key, where it was set and what is
 * accepted.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class InvalidConfigurationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient List<ConfigurationProblem> problems;

  public InvalidConfigurationException(List<ConfigurationProblem> problems) {
    super(problems.size() == 1 ? problems.get(0).message()
        : "The configuration has " + problems.size() + " problems:\n"
            + problems.stream().map(p -> "  - " + p.message()).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigurationProblem> problems() {
    return problems;
  }
}
