package io.promptunit.suite;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import dev.langchain4j.model.input.PromptTemplate;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template in langchain4j syntax ({@code {{variable}}}), rendered with langchain4j's own
 * {@link PromptTemplate} so that a suite sees exactly what an application using langchain4j sees.
 *
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Template {

  private static final Pattern VARIABLE = Pattern.compile("\\{\\{(.+?)}}");

  /** Variables langchain4j fills in by itself. */
  private static final Set<String> BUILT_IN = Set.of("current_date", "current_time", "current_date_time");

  private final String path;
  private final String text;
  private final PromptTemplate compiled;
  private final Set<String> variables;

  /**
   * @param path where the template came from (for messages)
   * @param text the template text
   */
  public Template(String path, String text) {
    this.path = path;
    this.text = text;
    this.compiled = text.contains("{{") ? PromptTemplate.from(text) : null;
    this.variables = findVariables(text);
  }

  public String path() {
    return path;
  }

  public String text() {
    return text;
  }

  /** The variables an example must provide, in order of first appearance. */
  public Set<String> variables() {
    return variables;
  }

  private static Set<String> findVariables(String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher matcher = VARIABLE.matcher(text);
    while (matcher.find()) {
      String name = matcher.group(1).strip();
      if (!BUILT_IN.contains(name)) {
        names.add(name);
      }
    }
    return Collections.unmodifiableSet(names);
  }

  /**
   * Variables opened with <code>{{</code> and never closed with <code>}}</code> on the same line
   * (e.g. <code>{{input</code>): langchain4j would send them as plain text, so the example's value
   * would never reach the model.
   */
  public static List<SuiteProblem> unclosedVariables(String file, String text) {
    List<SuiteProblem> problems = new java.util.ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String rest = lines[i];
      int open;
      while ((open = rest.indexOf("{{")) >= 0) {
        int close = rest.indexOf("}}", open + 2);
        int reopen = rest.indexOf("{{", open + 2);
        if (close < 0 || (reopen >= 0 && reopen < close)) {
          String fragment = rest.substring(open, Math.min(rest.length(), open + 30)).strip();
          problems.add(new SuiteProblem(file, i + 1,
              "the variable \"" + fragment + "\" is opened with {{ but not closed with }} on this line",
              "write it as {{name}}, e.g. {{input}}"));
          break;
        }
        rest = rest.substring(close + 2);
      }
    }
    return problems;
  }

  /** Line of the first occurrence of {@code variable} (1-based), for messages. */
  public int lineOf(String variable) {
    Matcher matcher = VARIABLE.matcher(text);
    while (matcher.find()) {
      if (matcher.group(1).strip().equals(variable)) {
        return 1 + (int) text.substring(0, matcher.start()).chars().filter(c -> c == '\n').count();
      }
    }
    return 0;
  }

  public String render(Map<String, Object> variables) {
    return compiled == null ? text : compiled.apply(variables).text();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Template that && path.equals(that.path) && text.equals(that.text);
  }

  @Override
  public int hashCode() {
    return 31 * path.hashCode() + text.hashCode();
  }
}
