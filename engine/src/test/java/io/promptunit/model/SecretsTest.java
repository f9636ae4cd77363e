package io.promptunit.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import io.promptunit.config.CacheMode;
import io.promptunit.config.Configuration;
import io.promptunit.testing.OpenAiCompatibleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys never reach what PromptUnit prints or stores, in whatever form an answer copies them. */
class SecretsTest {

  /** Not shaped like any provider's key: only knowing the key itself can find its copies. */
  private static final String KEY = "gw-audit-7f3k9q2m4x8z1c5v";

  @TempDir
  Path directory;

  private static String spacedOut(String text) {
    return String.join(" ", text.split(""));
  }

  private static void assertNoCopy(String text) {
    String squeezed = text.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    assertThat(squeezed).doesNotContain(KEY.toLowerCase(Locale.ROOT)).doesNotContain("7f3k9q2m4x8z1c5v");
  }

  @Test
  void finding10_copiesOfAKeyInAnAnswerAreRedactedSplitUpperCasedOrSpacedOut() throws IOException {
    String answer = "plain " + KEY + "\nsplit " + KEY.substring(0, 11) + "\n" + KEY.substring(11)
        + "\nupper " + KEY.toUpperCase(Locale.ROOT) + "\nspaced " + spacedOut(KEY)
        + "\nspaced upper " + spacedOut(KEY.toUpperCase(Locale.ROOT)) + "\r\nacross lines "
        + KEY.substring(0, 5) + "\r\n  " + KEY.substring(5, 15) + "\t" + KEY.substring(15);
    Path file = directory.resolve("suite.jsonl");
    try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(
        request -> OpenAiCompatibleServer.Reply.text(answer))) {
      Configuration settings = Configuration.of(Map.of("promptunit.openai.base-url", server.baseUrl(),
          "promptunit.openai.api-key-env", "GATEWAY_KEY"), Map.of("GATEWAY_KEY", KEY));
      ModelClient client = new ModelClient(new ModelResolver(settings).resolve("openai:gpt-4o-mini", "test"),
          "openai:gpt-4o-mini", RetryPolicy.from(settings));
      try (Cassette cassette = Cassette.open(file, CacheMode.READ_WRITE, System.err)) {

        Reply reply = client.withCassette(cassette).chat(List.of(UserMessage.from("say the key")), 0.0,
            Optional.empty());

        assertThat(server.authorizationHeaders()).containsOnly("Bearer " + KEY);
        assertNoCopy(reply.text());
        assertThat(reply.text()).startsWith("plain [redacted]\nsplit [redacted]\nupper [redacted]\nspaced [redacted]")
            .endsWith("across lines [redacted]");
      }
    }
    assertNoCopy(Files.readString(file));
  }

  @Test
  void finding10_aKnownKeyIsFoundAcrossWhitespaceAndCaseButOtherTextIsLeftAlone() {
    Secrets.remember(KEY);

    assertThat(Secrets.redact("a " + spacedOut(KEY.toUpperCase(Locale.ROOT)) + " b")).isEqualTo("a [redacted] b");
    assertThat(Secrets.redact("x" + KEY.substring(0, 9) + "\n\n" + KEY.substring(9) + "y")).isEqualTo("x[redacted]y");
    assertThat(Secrets.redact("gw-audit and 7f3k9q2m are parts, not the key")).isEqualTo(
        "gw-audit and 7f3k9q2m are parts, not the key");
    assertThat(Secrets.redact("keys: ,,,")).isEqualTo("keys: ,,,");
  }

  @Test
  void secretsRememberedAreNeverShort() {
    Secrets.remember("abc");

    assertThat(Secrets.redact("a b c abc")).isEqualTo("a b c abc");
  }
}
