package io.promptunit.engine;

import io.promptunit.eval.JudgeModels;
import io.promptunit.eval.SuiteRun;
import io.promptunit.model.Cassette;
import io.promptunit.model.ModelClient;
import io.promptunit.model.SpendMeter;
import java.util.Optional;

/**
 * A running suite: its concurrent example run, its task and judge models (metered, through the
 * cassette when caching is on), what its calls cost, and its cassette.
 */
record SuiteState(SuiteRun run, ModelClient taskModel, JudgeModels judges, SpendMeter spend, Optional<Cassette> cassette) {}
