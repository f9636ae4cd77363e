package io.promptunit.junit;

import io.promptunit.eval.SuiteRun;
import io.promptunit.eval.ScoringSession;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A running suite: its session (models, cassette, checks, spend), the run of its selected examples,
 * and the ticker that prints progress while a long suite runs.
 */
record SuiteState(ScoringSession session, SuiteRun run, ScheduledExecutorService ticker) {}
