package io.promptunit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promptunit.core.PromptUnit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One typed configuration, read once: every key declared in one place, unknown keys and
 * look-alikes named with the closest valid key, bad values reported with key, source and the
 * values accepted — never a raw exception, never a silent default.
 */
class ConfigurationTest {

  @Nested
  class Values {

    @Test
    void typedValuesAndTheirDefaults() {
      Configuration configuration = Configuration.of(Map.of(Keys.CONCURRENCY, " 4 ", Keys.CACHE, "Replay", Keys.TIMEOUT_SECONDS, "5"));

      assertThat(configuration.concurrency()).isEqualTo(4);
      assertThat(configuration.cache()).isEqualTo(CacheMode.REPLAY);
      assertThat(configuration.timeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(configuration.retryBackoffMillis()).isEqualTo(Keys.DEFAULT_RETRY_BACKOFF_MILLIS);
      assertThat(configuration.baseline()).isEqualTo(BaselineMode.CHECK);
      assertThat(configuration.shard()).isEqualTo(Shard.ALL);
      assertThat(configuration.maxOutputTokens()).isEmpty();
      assertThat(problems(configuration)).isEmpty();
    }

    @Test
    void severalModelsAreReadAsAListAndAModelWithoutAProviderIsAProblem() {
      assertThat(Configuration.of(Map.of(Keys.MODELS, " openai:gpt-4o-mini , anthropic:claude-haiku-4-5,,"
          + "RouterPromptTest.large(), openai:gpt-4o-mini")).models())
          .containsExactly("openai:gpt-4o-mini", "anthropic:claude-haiku-4-5", "RouterPromptTest.large()");
      assertThat(Configuration.of(Map.of()).models()).isEmpty();

      assertThat(problems(Configuration.of(Map.of(Keys.MODELS, "openai:gpt-4o-mini,gpt-4o")))).containsExactly(
          "Setting promptunit.models=openai:gpt-4o-mini,gpt-4o (set in the given settings) is not accepted: it names"
              + " no provider; use models separated by commas, e.g. openai:gpt-4o-mini,anthropic:claude-haiku-4-5.");
    }

    @Test
    void eachBadValueIsOneProblemNamingKeySourceAndAcceptedValues() {
      Configuration configuration = Configuration.of(Map.of(
          Keys.CONCURRENCY, String.valueOf(Integer.MAX_VALUE),
          Keys.TIMEOUT_SECONDS, "0",
          Keys.RETRY_BACKOFF_MILLIS, "-5",
          Keys.MAX_RETRIES, "three",
          Keys.CACHE, "sometimes",
          Keys.OPTIMIZE, "yes"));

      assertThat(problems(configuration)).containsExactlyInAnyOrder(
          "Setting promptunit.concurrency=2147483647 (set in the given settings) is not accepted: it is out of range;"
              + " use a whole number from 1 to 1024.",
          "Setting promptunit.timeout-seconds=0 (set in the given settings) is not accepted: it is out of range;"
              + " use a whole number from 1 to 86400.",
          "Setting promptunit.retry-backoff-millis=-5 (set in the given settings) is not accepted: it is out of range;"
              + " use a whole number from 0 to 600000.",
          "Setting promptunit.max-retries=three (set in the given settings) is not accepted: it is not a number;"
              + " use a whole number from 0 to 100.",
          "Setting promptunit.cache=sometimes (set in the given settings) is not accepted: it is not one of them;"
              + " use one of off, read-write, replay, record.",
          "Setting promptunit.optimize=yes (set in the given settings) is not accepted: it is not a boolean; use true or false.");
    }

    @Test
    void readingABadValueIsAnErrorWithTheSameMessageNotARawException() {
      Configuration configuration = Configuration.of(Map.of(Keys.CONCURRENCY, "0"));

      assertThatThrownBy(configuration::concurrency).isInstanceOf(InvalidConfigurationException.class)
          .hasMessage("Setting promptunit.concurrency=0 (set in the given settings) is not accepted: it is out of range;"
              + " use a whole number from 1 to 1024.");
    }

    @Test
    void familyValuesAreCheckedToo() {
      assertThat(problems(Configuration.of(Map.of("promptunit.price.gpt-x", "cheap"))))
          .containsExactly("Setting promptunit.price.gpt-x=cheap (set in the given settings) is not accepted:"
              + " use <input>,<output> in dollars per million tokens, e.g. 0.15,0.60");
      assertThat(problems(Configuration.of(Map.of("promptunit.price.gpt-x", "0.1,0.4", "promptunit.optimize.rounds", "3",
          "promptunit.optimize.gradients", "2", "promptunit.gemini.base-url", "http://127.0.0.1:1")))).isEmpty();
    }
  }

  @Nested
  class Sources {

    @Test
    void theEnvironmentNameIsTheKeyInUpperCaseWithDotsAndDashesAsUnderscores() {
      Configuration configuration = Configuration.of(Map.of(), Map.of("PROMPTUNIT_CONCURRENCY", "3"));

      assertThat(configuration.concurrency()).isEqualTo(3);
      assertThat(configuration.where(Keys.CONCURRENCY)).isEqualTo("set by the environment variable PROMPTUNIT_CONCURRENCY");
    }

    @Test
    void thePrimarySourceWinsOverTheEnvironmentAndABlankValueHidesIt() {
      assertThat(Configuration.of(Map.of(Keys.MODEL, "openai:gpt-4o"), Map.of("PROMPTUNIT_MODEL", "anthropic:claude")).model())
          .contains("openai:gpt-4o");
      assertThat(Configuration.of(Map.of(Keys.MODEL, "  "), Map.of("PROMPTUNIT_MODEL", "openai:gpt-4o")).model()).isEmpty();
    }

    @Test
    void aBadEnvironmentValueNamesTheVariable() {
      assertThat(problems(Configuration.of(Map.of(), Map.of("PROMPTUNIT_CONCURRENCY", "many"))))
          .containsExactly("Setting promptunit.concurrency=many (set by the environment variable PROMPTUNIT_CONCURRENCY) is not accepted:"
              + " it is not a number; use a whole number from 1 to 1024.");
    }
  }

  @Nested
  class UnknownKeys {

    @Test
    void aMisspeltKeyNamesTheClosestValidKey() {
      assertThat(problems(Configuration.of(Map.of("promptunit.concurency", "4")))).singleElement().asString()
          .startsWith("Unknown setting promptunit.concurency (set in the given settings): did you mean promptunit.concurrency?");
      assertThat(problems(Configuration.of(Map.of("promptunit.modle", "openai:gpt-4o-mini")))).singleElement().asString()
          .contains("did you mean promptunit.model?");
    }

    @Test
    void aLookAlikeLetterIsNamed() {
      assertThat(problems(Configuration.of(Map.of("promptunit.m\u043Edel", "openai:gpt-4o-mini")))).singleElement().asString()
          .contains("it contains '\u043E', U+043E CYRILLIC SMALL LETTER O, which looks like 'o'")
          .contains("did you mean promptunit.model?");
    }

    @Test
    void aLookAlikeReadFromAnIso88591PropertiesFileIsShownAsWritten() {
      String asJUnitReadsIt = new String("promptunit.m\u043Edel".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          java.nio.charset.StandardCharsets.ISO_8859_1);

      assertThat(problems(Configuration.of(Map.of(asJUnitReadsIt, "openai:gpt-4o-mini")))).singleElement().asString()
          .startsWith("Unknown setting promptunit.m\u043Edel (set in the given settings) (it contains '\u043E', U+043E CYRILLIC SMALL LETTER O")
          .contains("did you mean promptunit.model?");
    }

    @Test
    void aMisspeltPrefixIsCaughtToo() {
      assertThat(problems(Configuration.of(Map.of("promtunit.model", "openai:gpt-4o-mini")))).singleElement().asString()
          .contains("Unknown setting promtunit.model").contains("did you mean promptunit.model?");
      assertThat(problems(Configuration.of(Map.of("junit.jupiter.execution.parallel.enabled", "true", "project.name", "x")))).isEmpty();
    }

    @Test
    void unknownOptimizerAttributesAndEnvironmentVariablesAreNamed() {
      assertThat(problems(Configuration.of(Map.of("promptunit.optimize.rouns", "3")))).singleElement().asString()
          .contains("did you mean promptunit.optimize.rounds?");
      assertThat(problems(Configuration.of(Map.of(), Map.of("PROMPTUNIT_CONCURENCY", "4", "PROMPTUNIT_OPENAI_BASE_URL", "http://x",
          "PROMPTUNIT_PRICE_GPT_X", "1,2", "PATH", "/bin")))).singleElement().asString()
          .startsWith("Unknown environment variable PROMPTUNIT_CONCURENCY: did you mean PROMPTUNIT_CONCURRENCY (promptunit.concurrency)?");
    }

    @Test
    void aKeyWrittenAsItsEnvironmentVariableOrWithAnotherSeparatorIsCaught() {
      assertThat(problems(Configuration.of(Map.of("PROMPTUNIT_MODEL", "openai:gpt-4o-mini")))).singleElement().asString()
          .contains("Unknown setting PROMPTUNIT_MODEL").contains("did you mean promptunit.model?");
      assertThat(problems(Configuration.of(Map.of("promptunit_concurrency", "4")))).singleElement().asString()
          .contains("did you mean promptunit.concurrency?");
    }

    @Test
    void neighboursOfThePrefixAreNotOurs() {
      assertThat(problems(Configuration.of(Map.of("promptui.theme", "dark", "prompt.unit", "x", "promptunits", "x")))).isEmpty();
    }

    @Test
    void anUnrelatedVariableSharingThePrefixIsAWarningATypoAnError() {
      List<ConfigurationProblem> problems = PromptUnit.problems(Configuration.of(Map.of(),
          Map.of("PROMPTUNIT_HOME", "/opt/promptunit", "promptunit_concurency", "4")));

      assertThat(problems).filteredOn(ConfigurationProblem::error).singleElement()
          .satisfies(p -> assertThat(p.message()).contains("did you mean PROMPTUNIT_CONCURRENCY (promptunit.concurrency)?"));
      assertThat(problems).filteredOn(p -> !p.error()).singleElement()
          .satisfies(p -> assertThat(p.message()).startsWith("Ignored environment variable PROMPTUNIT_HOME"));
    }

    @Test
    void familyValuesFromTheEnvironmentAndOptimizerAttributesAreCheckedAtStart() {
      assertThat(problems(Configuration.of(Map.of("promptunit.optimize.rounds", "abc", "promptunit.optimize.selection", "best"),
          Map.of("PROMPTUNIT_PRICE_GPT_4O_MINI", "cheap", "PROMPTUNIT_OPTIMIZE_PATIENCE", "many"))))
          .anySatisfy(p -> assertThat(p).startsWith("Setting promptunit.optimize.rounds=abc (set in the given settings) is not accepted:"
              + " it is not a number"))
          .anySatisfy(p -> assertThat(p).contains("promptunit.optimize.selection=best").contains("use one of"))
          .anySatisfy(p -> assertThat(p).contains("(set by the environment variable PROMPTUNIT_PRICE_GPT_4O_MINI)")
              .contains("use <input>,<output>"))
          .anySatisfy(p -> assertThat(p).contains("promptunit.optimize.patience=many (set by the environment variable"
              + " PROMPTUNIT_OPTIMIZE_PATIENCE)"))
          .hasSize(4);
    }

    @Test
    void anOptimizeAttributeThatConfigurationDoesNotSetNamesTheSettingThatDoes() {
      assertThat(problems(Configuration.of(Map.of("promptunit.optimize.optimizerModel", "openai:gpt-4o")))).singleElement().asString()
          .contains("it is not read from configuration; set promptunit.optimizer.model instead");
    }

    @Test
    void aModelWithoutProviderAndAMirrorThatIsNoUrlAreProblems() {
      assertThat(problems(Configuration.of(Map.of(Keys.MODEL, "gpt-4o", Keys.EMBEDDED_MIRROR, "not a url"))))
          .anySatisfy(p -> assertThat(p).contains("promptunit.model=gpt-4o").contains("it names no provider"))
          .anySatisfy(p -> assertThat(p).contains("promptunit.embedded.mirror=not a url"))
          .hasSize(2);
    }

    @Test
    void everyDeclaredKeyIsKnown() {
      Map<String, String> all = new java.util.HashMap<>();
      Keys.SETTINGS.forEach(setting -> all.put(setting.key(), setting.defaultValue() == null ? "x" : Setting.class.cast(setting)
          .defaultValue().toString().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
      all.put(Keys.SHARD, "1/1");
      all.put(Keys.MODEL, "openai:gpt-4o-mini");
      all.put(Keys.MODELS, "openai:gpt-4o-mini, anthropic:claude-haiku-4-5,Suite.model()");
      all.put(Keys.JUDGE_MODEL, "anthropic:claude-haiku-4-5");
      all.put(Keys.OPTIMIZER_MODEL, "gguf:/models/qwen.gguf");
      all.put(Keys.EMBEDDED_MIRROR, "https://mirror.example.com/hf");
      all.put(Keys.MAX_OUTPUT_TOKENS, "10");
      assertThat(problems(Configuration.of(all))).isEmpty();
    }
  }

  private static List<String> problems(Configuration configuration) {
    return PromptUnit.problems(configuration).stream().map(ConfigurationProblem::message).toList();
  }
}
