package io.promptunit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promptunit.config.Settings;
import io.promptunit.fixtures.valid.BoundedSuite;
import io.promptunit.fixtures.valid.RouterSuite;
import io.promptunit.model.CacheMode;
import io.promptunit.model.RetryPolicy;
import io.promptunit.model.ModelClient;
import io.promptunit.model.ModelResolver;
import io.promptunit.model.ModelChoice;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.testing.ScriptedChatModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one way a suite's session is set up from settings, shared by the engine, the Jupiter integration and plain Java. */
class SessionSettingsTest {

  @TempDir
  Path cassettes;

  @Test
  void concurrencyComesFromTheSuiteThenTheSettingThenTheDefault() {
    Suite router = SuiteLoader.load(RouterSuite.class);
    Suite bounded = SuiteLoader.load(BoundedSuite.class);

    assertThat(SessionSettings.concurrency(router, Settings.of(Map.of()))).isEqualTo(8);
    assertThat(SessionSettings.concurrency(router, Settings.of(Map.of("promptunit.concurrency", "3")))).isEqualTo(3);
    assertThat(SessionSettings.concurrency(bounded, Settings.of(Map.of("promptunit.concurrency", "3"))))
        .isEqualTo(bounded.options().concurrency().orElseThrow());
    assertThatThrownBy(() -> SessionSettings.concurrency(router, Settings.of(Map.of("promptunit.concurrency", "0"))))
        .hasMessageContaining("promptunit.concurrency=0 must be at least 1");
  }

  @Test
  void theCassetteIsTheSuitesFileInTheCacheFolderReadWriteByDefault() {
    Suite router = SuiteLoader.load(RouterSuite.class);
    Settings settings = Settings.of(Map.of("promptunit.cache-dir", cassettes.toString()));

    assertThat(SessionSettings.cacheMode(settings)).isEqualTo(CacheMode.READ_WRITE);
    assertThat(SessionSettings.cassettePath(router, settings)).isEqualTo(cassettes.resolve(RouterSuite.class.getName() + ".jsonl"));
    assertThat(SessionSettings.cassette(router, Settings.of(Map.of("promptunit.cache", "off")), System.err)).isEmpty();
  }

  @Test
  void aSessionBuiltFromSettingsHasTheirConcurrencyCassetteAndOutputCapAndNamesItsModels() {
    Suite router = SuiteLoader.load(RouterSuite.class);
    Settings settings = Settings.of(Map.of("promptunit.cache-dir", cassettes.toString(), "promptunit.concurrency", "2",
        "promptunit.max-output-tokens", "64"));
    ModelChoice models = new ModelChoice(new ModelResolver(settings), settings, RetryPolicy.from(settings));
    ModelClient task = new ModelClient(ScriptedChatModel.answering(user -> "billing"), "scripted", RetryPolicy.from(settings));
    List<String> named = new ArrayList<>();

    try (ScoringSession session = SessionSettings.builder(router, task, models, settings, named::add).build()) {
      assertThat(session.concurrency()).isEqualTo(2);
      assertThat(session.outputCap()).isEqualTo(Optional.of(64));
      assertThat(session.cassette()).map(c -> c.file()).contains(cassettes.resolve(RouterSuite.class.getName() + ".jsonl"));
      assertThat(named).containsExactly("scripted");
    }
  }
}
