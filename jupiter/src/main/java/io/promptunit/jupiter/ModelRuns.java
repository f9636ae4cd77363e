package io.promptunit.jupiter;

import io.promptunit.Example;
import io.promptunit.core.PromptUnit;
import io.promptunit.core.SuiteStart;
import io.promptunit.eval.ScoringSession;
import io.promptunit.eval.SuiteRun;
import io.promptunit.model.Budget;
import io.promptunit.report.ModelMatrix;
import io.promptunit.report.SuiteReport;
import io.promptunit.suite.Suite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An evaluation with several models: every model's session opened through the core (sharing the suite's cassette),
 * all their runs started before any result is collected so that the models run side by side, each under the same
 * caps; one {@link Evaluation} per model that could start, and why for one that could not.
 */
final class ModelRuns {

  private final PromptUnit core;
  private final Suite suite;
  private final SuiteReport report;
  private final Budget.Caps caps;

  ModelRuns(PromptUnit core, Suite suite, SuiteReport report, Budget.Caps caps) {
    this.core = core;
    this.suite = suite;
    this.report = report;
    this.caps = caps;
  }

  /** A model's session and its run of the selected examples. */
  private record Running(ScoringSession session, SuiteRun run) {}

  ModelEvaluations evaluate(List<Example> selected, String scope, String promptShown) {
    List<SuiteStart> starts = core.openAll(suite, name -> { });
    if (starts.isEmpty()) {
      throw new IllegalStateException("No models to evaluate side by side: name them with models(...) or the "
          + "promptunit.models setting.");
    }
    Map<String, String> skipped = new LinkedHashMap<>();
    List<Running> running = new ArrayList<>();
    try {
      for (SuiteStart start : starts) {
        if (start instanceof SuiteStart.Unusable unusable) {
          skipped.put(unusable.model(), unusable.why());
          report.run(unusable.model()).skipped(unusable.why());
          continue;
        }
        running.add(start(((SuiteStart.Ready) start).session(), selected));
      }
      List<Evaluation> evaluations = new ArrayList<>();
      for (Running model : running) {
        evaluations.add(collect(model, selected, scope, promptShown));
      }
      ModelMatrix matrix = ModelMatrix.of(report, core.prices());
      report.matrix(matrix);
      return new ModelEvaluations(evaluations, skipped, matrix);
    } finally {
      running.forEach(model -> {
        model.session().close();
        core.unpricedWarnings(model.session()).forEach(text -> System.out.println("[PromptUnit] " + text));
      });
    }
  }

  private Running start(ScoringSession session, List<Example> selected) {
    report.run(session.taskModel().name());
    if (core.configuration().batch()) {
      core.fillByBatch(session, selected, text -> System.out.println("[PromptUnit] " + text));
    }
    Budget budget = new Budget(caps);
    budget.start();
    boolean budgeted = caps.calls() != Long.MAX_VALUE || caps.cost() != Double.POSITIVE_INFINITY;
    SuiteRun run = new SuiteRun(budgeted ? session.budgeted(budget, session.outputCap()
        .orElse(PromptEvaluator.BUDGET_OUTPUT_CAP)) : session, selected);
    run.start();
    return new Running(session, run);
  }

  private Evaluation collect(Running model, List<Example> selected, String scope, String promptShown) {
    String name = model.session().taskModel().name();
    List<ScoredExample> scored = new ArrayList<>(selected.size());
    for (Example example : selected) {
      ScoredExample one = new ScoredExample(PromptEvaluator.await(model.run(), suite, example));
      scored.add(one);
      report.add(name, SuiteReport.Row.of(one.result(), false));
      report.run(name).tokens(one.result().inputTokens(), one.result().outputTokens());
    }
    report.run(name).spend(model.session().spend().total());
    long cached = scored.stream().filter(example -> example.result().cached()).count();
    return new Evaluation(promptShown, suite.examplesFile().displayPath(), scope, scored, name,
        model.session().spend().total(), cached);
  }
}
