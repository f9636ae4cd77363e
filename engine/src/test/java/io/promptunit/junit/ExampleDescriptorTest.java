package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ExampleDescriptorTest {

  /** What the display name showed before the preview stopped reading at its length: the whole text, collapsed by regex. */
  private static String reference(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() > 60 ? oneLine.substring(0, 59) + "…" : oneLine;
  }

  @Test
  void previewIsOneLineCutToSixtyCharacters() {
    assertThat(ExampleDescriptor.oneLinePreview("  I cannot\n\n reset   my\tpassword ")).isEqualTo("I cannot reset my password");
    assertThat(ExampleDescriptor.oneLinePreview("x".repeat(60))).isEqualTo("x".repeat(60));
    assertThat(ExampleDescriptor.oneLinePreview("x".repeat(61))).isEqualTo("x".repeat(59) + "…");
    assertThat(ExampleDescriptor.oneLinePreview(" \n\t ")).isEmpty();
  }

  @Test
  void previewMatchesCollapsingTheWholeText() {
    Random random = new Random(7);
    char[] alphabet = {'a', 'b', ' ', ' ', '\t', '\n', '\r', '\f', '\u000B', '\u00A0', '\u2003', 'é', '.'};
    for (int round = 0; round < 20_000; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(140);
      for (int i = 0; i < length; i++) {
        text.append(alphabet[random.nextInt(alphabet.length)]);
      }
      assertThat(ExampleDescriptor.oneLinePreview(text.toString())).as("preview of %s", text).isEqualTo(reference(text.toString()));
    }
  }
}
