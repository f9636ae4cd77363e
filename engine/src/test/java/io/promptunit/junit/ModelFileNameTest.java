package io.promptunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a model id is written in the name of its baseline file and optimization folder: never two models in one. */
class ModelFileNameTest {

  @Test
  void anIdOfSafeLowerCaseCharactersKeepsItsName() {
    assertThat(ModelFileName.of("gpt-4o-mini")).isEqualTo("gpt-4o-mini");
    assertThat(ModelFileName.of("a_b")).isEqualTo("a_b");
    assertThat(ModelFileName.of("qwen2.5_0.5b")).isEqualTo("qwen2.5_0.5b");
  }

  @Test
  void anIdWithOtherCharactersIsWrittenReadablyWithAStableHashOfTheExactId() {
    // pinned: a committed baseline keeps its name from one version to the next
    assertThat(ModelFileName.of("openai:gpt-4o-mini")).isEqualTo("openai_gpt-4o-mini~e5e557aa");
    assertThat(ModelFileName.of("MatrixSuite.cheapWrong()")).isEqualTo("MatrixSuite.cheapWrong__~8dc96978");
    assertThat(ModelFileName.of("a b")).isEqualTo("a_b~c8687a08");
  }

  @Test
  void idsWrittenAlikeOnceReplacedGetNamesOfTheirOwn() {
    assertThat(List.of("a b", "a_b", "a:b", "a/b", "a\\b", "a*b", "a?b", "a|b", "aéb", "a\u0000b").stream()
        .map(ModelFileName::of)).doesNotHaveDuplicates();
    assertThat(ModelFileName.of("openai:qwen2.5:0.5b")).isNotEqualTo(ModelFileName.of("openai:qwen2.5_0.5b"))
        .isNotEqualTo(ModelFileName.of("openai_qwen2.5_0.5b"));
  }

  @Test
  void idsDifferingOnlyInCaseGetNamesThatDifferIgnoringCase() {
    List<String> ids = List.of("model", "Model", "MODEL", "openai:gpt-4o", "openai:GPT-4o", "OpenAI:gpt-4o");

    assertThat(ids.stream().map(id -> ModelFileName.of(id).toLowerCase(Locale.ROOT))).doesNotHaveDuplicates();
    assertThat(ModelFileName.of("model")).isEqualTo("model");
  }

  @Test
  void everyNameIsOnePlainFileNameOfSafeCharacters() {
    List<String> ids = new ArrayList<>(List.of(".", "..", ".hidden", "trailing.", "", "x".repeat(300),
        "../../etc/passwd", "C:\\models\\m", "con", "a b ".repeat(80)));
    for (String id : ids) {
      String name = ModelFileName.of(id);
      assertThat(name).as(id).matches("[A-Za-z0-9._~-]+").doesNotStartWith(".").hasSizeLessThanOrEqualTo(
          ModelFileName.MOST + 9);
      assertThat(Path.of("base").resolve(name).normalize().getParent()).as(id).isEqualTo(Path.of("base"));
    }
  }

  @Test
  void noTwoOfManyLookAlikeIdsShareANameEvenIgnoringCase() {
    Set<String> names = new HashSet<>();
    String[] parts = {"a", "A", "b", "_", " ", ":", "/", "(", ")", ".", "-", "~"};
    int ids = 0;
    for (String first : parts) {
      for (String second : parts) {
        for (String third : parts) {
          ids++;
          names.add(ModelFileName.of(first + second + third).toLowerCase(Locale.ROOT));
        }
      }
    }
    assertThat(names).hasSize(ids);
  }
}
