package io.promptunit.junit;

/**
 * The keys of the report entries PromptUnit publishes (Surefire writes them as {@code <property>}s
 * of a testcase, IDEs show them): their own namespace, apart from the settings in
 * {@link io.promptunit.config.Keys} even where a name is the same ({@code promptunit.model} is the
 * model setting there, the model a suite used here).
 */
final class ReportEntryKeys {

  private ReportEntryKeys() {}

  public static final String ACCEPTED = "promptunit.accepted";
  public static final String BASELINE = "promptunit.baseline";
  public static final String BEAM = "promptunit.beam";
  public static final String BEST = "promptunit.best";
  public static final String BEST_PROMPT = "promptunit.bestPrompt";
  public static final String CACHE = "promptunit.cache";
  public static final String CACHED_ANSWERS = "promptunit.cachedAnswers";
  public static final String CALLS = "promptunit.calls";
  public static final String CASSETTE = "promptunit.cassette";
  public static final String COMPARISON = "promptunit.comparison";
  public static final String COMPARISON_TABLE = "promptunit.comparisonTable";
  public static final String CONCURRENCY = "promptunit.concurrency";
  public static final String COST = "promptunit.cost";
  public static final String ERRORS = "promptunit.errors";
  public static final String ESTIMATE = "promptunit.estimate";
  public static final String ESTIMATE_EXPECTED_CALLS = "promptunit.estimate.expectedCalls";
  public static final String ESTIMATE_EXPECTED_TOKENS = "promptunit.estimate.expectedTokens";
  public static final String ESTIMATE_WORST_CALLS = "promptunit.estimate.worstCalls";
  public static final String ESTIMATE_WORST_TOKENS = "promptunit.estimate.worstTokens";
  public static final String FAILED = "promptunit.failed";
  public static final String HISTORY = "promptunit.history";
  public static final String INPUT_TOKENS = "promptunit.inputTokens";
  public static final String LATENCY_MS = "promptunit.latencyMs";
  public static final String MODEL = "promptunit.model";
  public static final String MODEL_CALLS = "promptunit.modelCalls";
  public static final String OUTPUT_TOKENS = "promptunit.outputTokens";
  public static final String PASS_RATE = "promptunit.passRate";
  public static final String PASSED = "promptunit.passed";
  public static final String PROPOSED = "promptunit.proposed";
  public static final String ROUND = "promptunit.round";
  public static final String ROUND_CALLS = "promptunit.roundCalls";
  public static final String ROUND_COST = "promptunit.roundCost";
  public static final String ROUND_TOKENS = "promptunit.roundTokens";
  public static final String ROUND_SUMMARY = "promptunit.roundSummary";
  public static final String ROUND_TRAIN = "promptunit.roundTrain";
  public static final String ROUND_SELECTION = "promptunit.roundSelection";
  public static final String ROUND_HELD_OUT = "promptunit.roundHeldOut";
  public static final String RUNS_PASSED = "promptunit.runsPassed";
  public static final String SPEND = "promptunit.spend";
  public static final String SUMMARY = "promptunit.summary";
  public static final String VERDICT = "promptunit.verdict";
}
