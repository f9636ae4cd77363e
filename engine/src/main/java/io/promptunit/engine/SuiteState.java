package io.promptunit.engine;

import io.promptunit.eval.SuiteRun;
import io.promptunit.eval.SuiteSession;

/** A running suite: its session (models, cassette, checks, spend) and the run of its selected examples. */
record SuiteState(SuiteSession session, SuiteRun run) {}
