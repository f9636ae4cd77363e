package io.promptunit.config;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Every configuration key PromptUnit reads: the fixed keys, each declared with its default and
 * accepted values in {@link #SETTINGS}, and the key families ({@link #PRICE_PREFIX},
 * {@link #OPTIMIZE_PREFIX}, {@link #BASE_URL_SUFFIX}, {@link #API_KEY_ENV_SUFFIX}), whose members the
 * layers that know them declare. Each may be set in {@code junit-platform.properties}, as a system property
 * ({@code -Dpromptunit.model=...}) or as an environment variable named like the key in upper case
 * with dots and dashes turned into underscores ({@code PROMPTUNIT_MODEL}). Explicit launcher
 * parameters and system properties win over the properties file, which wins over the environment.
 * {@link Configuration} reads and checks them.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Keys {

  /**
   * The task model, {@code provider:model}: {@code openai:gpt-4o-mini} (any OpenAI-compatible
   * server with {@link #OPENAI_BASE_URL}) or {@code anthropic:claude-3-5-haiku-latest}. No default:
   * without a model every example is reported aborted with instructions.
   */
  public static final String MODEL = "promptunit.model";

  /**
   * Several task models, comma-separated ({@code openai:gpt-4o-mini,anthropic:claude-haiku-4-5}): every suite runs
   * against each, side by side, and the run names the cheapest that passes. Wins over {@code @PromptTest(models)}. One
   * model is the same as {@link #MODEL}.
   */
  public static final String MODELS = "promptunit.models";

  /**
   * With several models and {@code promptunit.optimize.apply=true}: the model whose optimized prompt is written over
   * the prompt file. Without it, nothing is applied in a run of several models.
   */
  public static final String OPTIMIZE_APPLY_MODEL = "promptunit.optimize.apply-model";

  /** The model of {@code @ExpectJudge} checks that name none. Default: the suite's task model. */
  public static final String JUDGE_MODEL = "promptunit.judge.model";

  /**
   * Base URL of an OpenAI-compatible server, e.g. {@code http://localhost:11434/v1} for Ollama.
   * Falls back to the {@code OPENAI_BASE_URL} environment variable, then OpenAI itself.
   */
  public static final String OPENAI_BASE_URL = "promptunit.openai.base-url";

  // Every hosted provider has promptunit.<provider>.base-url (falling back to <PROVIDER>_BASE_URL, then the
  // provider's API): see io.promptunit.model.Providers, the one table of providers.

  /** Maximum concurrent model calls per suite. Default {@value #DEFAULT_CONCURRENCY}. */
  public static final String CONCURRENCY = "promptunit.concurrency";

  public static final int DEFAULT_CONCURRENCY = 8;

  /** The most concurrent calls a suite may ask for (its workers are threads). */
  public static final int MAX_CONCURRENCY = 1024;

  /** Timeout of one model call, in seconds. Default {@value #DEFAULT_TIMEOUT_SECONDS}. */
  public static final String TIMEOUT_SECONDS = "promptunit.timeout-seconds";

  public static final int DEFAULT_TIMEOUT_SECONDS = 60;

  /**
   * How many times a call that failed transiently (rate limit, server error, timeout) is retried.
   * PromptUnit retries in exactly one place — its own call loop — and turns langchain4j's
   * provider retries off. Default {@value #DEFAULT_MAX_RETRIES}.
   */
  public static final String MAX_RETRIES = "promptunit.max-retries";

  public static final int DEFAULT_MAX_RETRIES = 3;

  /**
   * First retry delay in milliseconds; doubles per retry, with jitter. Default {@value #DEFAULT_RETRY_BACKOFF_MILLIS}.
   */
  public static final String RETRY_BACKOFF_MILLIS = "promptunit.retry-backoff-millis";

  public static final long DEFAULT_RETRY_BACKOFF_MILLIS = 1000;

  /** Upper bound of the output length of scoring calls, in tokens. Default: the provider's. */
  public static final String MAX_OUTPUT_TOKENS = "promptunit.max-output-tokens";

  private Keys() {}

  /**
   * Set to {@code false} to turn every {@code @Optimize} off (e.g. in CI); their containers are reported skipped.
   * Default true.
   */
  public static final String OPTIMIZE = "promptunit.optimize";

  /** Print each optimization's worst-case spend and stop before spending anything. Default false. */
  public static final String OPTIMIZE_DRY_RUN = "promptunit.optimize.dry-run";

  /**
   * Write the optimized prompt over the checked-in prompt file when it passes the held-out examples
   * (atomically, keeping the previous version as a {@code .bak} file). Default false.
   */
  public static final String OPTIMIZE_APPLY = "promptunit.optimize.apply";

  /** The optimizer model of {@code @Optimize} suites that name none. Default: the task model. */
  public static final String OPTIMIZER_MODEL = "promptunit.optimizer.model";

  /**
   * Optimizer-model calls an optimization makes at once (critiques, edits, paraphrases, proposals,
   * samples). Default: the suite's {@link #CONCURRENCY}.
   */
  public static final String OPTIMIZER_CONCURRENCY = "promptunit.optimizer.concurrency";

  /**
   * Seconds between progress lines while a long optimization phase runs; 0 for none. Default {@value
   * #DEFAULT_PROGRESS_SECONDS}.
   */
  public static final String PROGRESS_SECONDS = "promptunit.progress-seconds";

  public static final int DEFAULT_PROGRESS_SECONDS = 10;

  /**
   * Where the HTML report ({@code report.html}) and optimization outputs go, relative to the working
   * directory (the module's). Default {@value #DEFAULT_OUTPUT_DIR}.
   */
  public static final String OUTPUT_DIR = "promptunit.output-dir";

  public static final String DEFAULT_OUTPUT_DIR = "target/promptunit";

  /** Whether a run writes {@code report.html} into {@link #OUTPUT_DIR}. Default true. */
  public static final String REPORT = "promptunit.report";

  /**
   * Response cache mode: {@code read-write} (default: answer from the suite's cassette when
   * recorded, else call and record), {@code replay} (only recorded answers; an unrecorded request
   * fails its example and no model is called — for CI), {@code record} (always call and record) or {@code off}.
   */
  public static final String CACHE = "promptunit.cache";

  /**
   * Folder of the cassettes, one {@code <suite class>.jsonl} per suite, relative to the module. Default {@value
   * #DEFAULT_CACHE_DIR}.
   */
  public static final String CACHE_DIR = "promptunit.cache-dir";

  public static final String DEFAULT_CACHE_DIR = "src/test/cassettes";

  /**
   * {@code true}: at the end of a run of a whole suite, drop the cassette entries the run did not ask
   * for (stale requests of an older prompt or examples), without re-recording anything. {@code record}
   * mode always prunes so. Default false.
   */
  public static final String CACHE_PRUNE = "promptunit.cache-prune";

  /**
   * The regression gate: {@code check} (default) compares each suite's outcomes with its committed
   * baseline, {@code <cache-dir>/<suite class>.baseline.json}, when there is one; {@code update}
   * writes the baseline from this run; {@code off} neither reads nor writes.
   */
  public static final String BASELINE = "promptunit.baseline";

  /**
   * Runs one part of every suite: {@code i/n} (e.g. {@code 2/4} in the second of four CI jobs) runs
   * the examples whose stable id hash falls in part i; every example is in exactly one part. An
   * optimization runs in shard 1 only. Default: the whole suite.
   */
  public static final String SHARD = "promptunit.shard";

  /**
   * Significance level of the baseline gate's exact paired (McNemar) test. Default {@value
   * #DEFAULT_BASELINE_SIGNIFICANCE}.
   */
  public static final String BASELINE_SIGNIFICANCE = "promptunit.baseline.significance";

  public static final double DEFAULT_BASELINE_SIGNIFICANCE = 0.05;

  /** Requests per minute allowed to each model; 0 (default) for no limit. Callers wait rather than fail. */
  public static final String REQUESTS_PER_MINUTE = "promptunit.rate.requests-per-minute";

  /**
   * Tokens per minute (estimated: request bytes / 4 plus the output cap) allowed to each model; 0 (default) for no
   * limit.
   */
  public static final String TOKENS_PER_MINUTE = "promptunit.rate.tokens-per-minute";

  /** The longest a provider's Retry-After is honoured, in seconds. Default {@value #DEFAULT_MAX_RETRY_WAIT_SECONDS}. */
  public static final String MAX_RETRY_WAIT_SECONDS = "promptunit.max-retry-wait-seconds";

  public static final int DEFAULT_MAX_RETRY_WAIT_SECONDS = 120;

  /**
   * Whether a suite with no model configured uses the embedded local model (Qwen2.5-0.5B-Instruct
   * through llama.cpp, downloaded once into {@link #MODEL_CACHE}). Default true; false reports such
   * examples aborted with instructions instead.
   */
  public static final String EMBEDDED = "promptunit.embedded";

  /**
   * For CI: {@code true} turns "no usable model" into a failing test per suite ("suite: cannot start")
   * instead of examples reported aborted, so a run without a model is never green. Default false.
   */
  public static final String REQUIRE_MODEL = "promptunit.require-model";

  /** Folder of downloaded local models. Default {@code ~/.cache/promptunit/models}. */
  public static final String MODEL_CACHE = "promptunit.model-cache";

  /**
   * A mirror of huggingface.co for the embedded model's download (same paths), e.g. a company's
   * artifact proxy. The pinned size and SHA-256 are checked all the same.
   */
  public static final String EMBEDDED_MIRROR = "promptunit.embedded.mirror";

  /**
   * {@code true}: every request of the run that the cassette has no answer for is sent through the
   * provider's batch API (OpenAI; about half the price, answered within hours), the answers are
   * recorded in the cassette, then the suite runs from the cassette exactly as an interactive run.
   * Needs the cassette ({@code promptunit.cache=read-write}, the default). Default false.
   */
  public static final String BATCH = "promptunit.batch";

  /**
   * How long a batch-mode run waits for its batches, in seconds; 0 submits (or looks at a running
   * batch once) and reports the examples without answers as errors, to be picked up by a later run.
   * Default {@value #DEFAULT_BATCH_MAX_WAIT_SECONDS} (a day: the providers' completion window).
   */
  public static final String BATCH_MAX_WAIT_SECONDS = "promptunit.batch.max-wait-seconds";

  public static final long DEFAULT_BATCH_MAX_WAIT_SECONDS = 24 * 60 * 60;

  /**
   * The first pause between batch status checks, in milliseconds; it doubles up to a minute. Default {@value
   * #DEFAULT_BATCH_POLL_MILLIS}.
   */
  public static final String BATCH_POLL_MILLIS = "promptunit.batch.poll-millis";

  public static final long DEFAULT_BATCH_POLL_MILLIS = 5000;

  /**
   * Requests per batch at most (OpenAI takes 50,000); more make several batches. Default {@value
   * #DEFAULT_BATCH_MAX_REQUESTS}.
   */
  public static final String BATCH_MAX_REQUESTS = "promptunit.batch.max-requests";

  public static final int DEFAULT_BATCH_MAX_REQUESTS = 50_000;

  /**
   * The family of per-model prices: {@code promptunit.price.<model>=<input>,<output>} in dollars per million tokens.
   */
  public static final String PRICE_PREFIX = "promptunit.price.";

  /**
   * The family of {@code @Optimize} attributes and strategy parameters set from configuration: {@code
   * promptunit.optimize.<name>}.
   */
  public static final String OPTIMIZE_PREFIX = "promptunit.optimize.";

  /** The family of provider endpoints: {@code promptunit.<provider>.base-url}. */
  public static final String BASE_URL_SUFFIX = ".base-url";

  /**
   * The family of key variables for custom endpoints: {@code promptunit.<provider>.api-key-env=NAME}, the
   * environment variable whose key that provider's calls carry. Without it, a provider's own key variable
   * ({@code OPENAI_API_KEY}, ...) is sent only to the provider's own API, never to a
   * {@code promptunit.<provider>.base-url} elsewhere.
   */
  public static final String API_KEY_ENV_SUFFIX = ".api-key-env";

  /**
   * Every setting with a fixed key: its default and the values it accepts. The families above
   * ({@link #PRICE_PREFIX}, {@link #OPTIMIZE_PREFIX}, {@link #BASE_URL_SUFFIX}, {@link #API_KEY_ENV_SUFFIX}) are
   * checked by the layers that know their members (the price table, the optimizer, the provider table).
   */
  public static final List<Setting<?>> SETTINGS = List.of(
      Setting.model(MODEL),
      Setting.models(MODELS),
      new Setting<>(OPTIMIZE_APPLY_MODEL, null, "one of the run's models, e.g. openai:gpt-4o-mini", text -> text),
      Setting.model(JUDGE_MODEL),
      Setting.model(OPTIMIZER_MODEL),
      Setting.wholeNumber(CONCURRENCY, DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY),
      Setting.wholeNumber(TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS, 1, 86_400),
      Setting.wholeNumber(MAX_RETRIES, DEFAULT_MAX_RETRIES, 0, 100),
      Setting.longNumber(RETRY_BACKOFF_MILLIS, DEFAULT_RETRY_BACKOFF_MILLIS, 0, 600_000),
      Setting.wholeNumber(MAX_OUTPUT_TOKENS, null, 1, 1_000_000),
      Setting.bool(OPTIMIZE, true),
      Setting.bool(OPTIMIZE_DRY_RUN, false),
      Setting.bool(OPTIMIZE_APPLY, false),
      Setting.wholeNumber(OPTIMIZER_CONCURRENCY, 0, 0, MAX_CONCURRENCY),
      Setting.wholeNumber(PROGRESS_SECONDS, DEFAULT_PROGRESS_SECONDS, 0, 86_400),
      Setting.path(OUTPUT_DIR, DEFAULT_OUTPUT_DIR),
      Setting.bool(REPORT, true),
      Setting.choice(CACHE, CacheMode.class, CacheMode.READ_WRITE),
      Setting.path(CACHE_DIR, DEFAULT_CACHE_DIR),
      Setting.bool(CACHE_PRUNE, false),
      Setting.choice(BASELINE, BaselineMode.class, BaselineMode.CHECK),
      new Setting<>(SHARD, Shard.ALL, "i/n with 1 <= i <= n, e.g. 2/4", Shard::parse),
      Setting.fraction(BASELINE_SIGNIFICANCE, DEFAULT_BASELINE_SIGNIFICANCE, 0, 1),
      Setting.wholeNumber(REQUESTS_PER_MINUTE, 0, 0, 100_000_000),
      Setting.longNumber(TOKENS_PER_MINUTE, 0L, 0, 1_000_000_000_000L),
      Setting.wholeNumber(MAX_RETRY_WAIT_SECONDS, DEFAULT_MAX_RETRY_WAIT_SECONDS, 0, 86_400),
      Setting.bool(EMBEDDED, true),
      Setting.bool(REQUIRE_MODEL, false),
      Setting.path(MODEL_CACHE, null),
      Setting.url(EMBEDDED_MIRROR, "https://artifacts.example.com/huggingface"),
      Setting.bool(BATCH, false),
      Setting.longNumber(BATCH_MAX_WAIT_SECONDS, DEFAULT_BATCH_MAX_WAIT_SECONDS, 0, 7 * 24 * 60 * 60L),
      Setting.longNumber(BATCH_POLL_MILLIS, DEFAULT_BATCH_POLL_MILLIS, 1, 3_600_000),
      Setting.wholeNumber(BATCH_MAX_REQUESTS, DEFAULT_BATCH_MAX_REQUESTS, 1, 50_000));
}
