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
  /** As {@link #VARIABLE}, and also {@code {{}}}, which langchain4j sends as it is. */
  private static final Pattern ANY_VARIABLE = Pattern.compile("\\{\\{(.*?)}}");

  /** Variables langchain4j fills in by itself. */
  private static final Set<String> BUILT_IN = Set.of("current_date", "current_time", "current_date_time");

  private final String path;
  private final String text;
  private final PromptTemplate compiled;
  private final Set<String> variables;
  /** The template with a character after it, made when {@link #rendersBlank} is first asked. */
  private volatile PromptTemplate probe;
  /** Whether the template has text outside its variables: then no values can make it blank. */
  private final boolean ownText;

  /**
   * @param path where the template came from (for messages)
   * @param text the template text
   */
  public Template(String path, String text) {
    this.path = path;
    this.text = text;
    this.compiled = text.contains("{{") ? PromptTemplate.from(text) : null;
    this.variables = findVariables(text);
    this.ownText = !ANY_VARIABLE.matcher(text).replaceAll("").isBlank();
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

  /**
   * Everything that keeps a template from being sent as its author meant, each at its line: no text
   * at all, variables never closed ({@link #unclosedVariables}), and variables without a name
   * ({@code {{ }}}) or with a brace too many ({@code {{{input}}}}), which langchain4j would take for
   * variables named {@code ""} or {@code {input}} that no example provides.
   *
   * @param file the template as the user knows it, for messages
   * @param kind {@code "template"} or {@code "system template"}, for messages
   */
  public static List<SuiteProblem> problems(String file, String kind, String text) {
    if (text.isBlank()) {
      return List.of(new SuiteProblem(file, 1, "the " + kind + " is empty"
          + (text.isEmpty() ? "" : " (it holds only whitespace)"),
          kind.equals("template") ? "write the prompt the model gets for each example, e.g. Ticket: {{input}}"
              : "write the system message, or declare no system template"));
    }
    List<SuiteProblem> problems = new java.util.ArrayList<>(unclosedVariables(file, text));
    if (problems.isEmpty()) {
      problems.addAll(unnamedVariables(file, text));
    }
    return problems;
  }

  /** Variables without a name, and variables with more than two braces on a side. */
  private static List<SuiteProblem> unnamedVariables(String file, String text) {
    List<SuiteProblem> problems = new java.util.ArrayList<>();
    Matcher matcher = ANY_VARIABLE.matcher(text);
    while (matcher.find()) {
      String name = matcher.group(1).strip();
      if (!name.isEmpty() && name.indexOf('{') < 0 && name.indexOf('}') < 0) {
        continue;
      }
      int end = matcher.end();
      while (end < text.length() && text.charAt(end) == '}') {
        end++;
      }
      String written = text.substring(matcher.start(), Math.min(end, matcher.start() + 40));
      int line = 1 + (int) text.substring(0, matcher.start()).chars().filter(c -> c == '\n').count();
      problems.add(name.isEmpty()
          ? new SuiteProblem(file, line, "the variable \"" + written + "\" has no name",
              "write a variable as {{name}}, e.g. {{input}}, or remove the braces")
          : new SuiteProblem(file, line, "the variable \"" + written + "\" has a brace too many",
              "write a variable with two braces on each side, e.g. {{input}}; for a brace of your own next to a "
                  + "variable, put a space between them: { {{input}} }"));
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

  /**
   * Whether {@code variables} leave this template without text. (langchain4j refuses to render such a
   * message, so the check renders the template with a character of its own after it.)
   *
   * A template with text of its own around its variables never does, and is not rendered for the question.
   *
   * @throws IllegalArgumentException when a variable of a template without text of its own has no value
   */
  public boolean rendersBlank(Map<String, Object> variables) {
    if (compiled == null) {
      return text.isBlank();
    }
    if (ownText) {
      return false;
    }
    if (probe == null) {
      probe = PromptTemplate.from(text + "#");
    }
    String rendered = probe.apply(variables).text();
    return rendered.substring(0, rendered.length() - 1).isBlank();
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
