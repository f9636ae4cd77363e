package io.promptunit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.config.Keys;
import io.promptunit.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's settings table lists every setting PromptUnit reads: an unknown key's message sends
 * the user there, so a setting missing from it would be one nobody can find.
 */
class ReadmeSettingsTest {

  private static final Path README = Path.of("../README.md");

  @Test
  void everyDeclaredSettingAndKeyFamilyHasARowInTheSettingsTable() throws IOException {
    String readme = Files.readString(README);
    List<String> keys = Keys.SETTINGS.stream().map(Setting::key).toList();

    assertThat(keys).hasSizeGreaterThan(30);
    assertThat(keys).allSatisfy(key -> assertThat(readme).as("a row for %s", key).contains("| `" + key + "` |"));
    assertThat(readme).contains("| `" + Keys.PRICE_PREFIX + "<model>` |", "| `" + Keys.OPTIMIZE_PREFIX + "<attribute>` |",
        "| `promptunit.openai" + Keys.BASE_URL_SUFFIX + "` |", "| `promptunit.<provider>" + Keys.API_KEY_ENV_SUFFIX + "` |");
  }
}
