package io.promptunit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.Example;
import io.promptunit.optimize.Demonstrations;
import io.promptunit.optimize.StrategyText;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which examples a prompt quotes, including long inputs that a demonstrations section shows cut short. */
class QuotesTest {

  /** An input of 800 characters, a different sentence each time, so no short part stands for the whole. */
  private static final String LONG = IntStream.range(0, 40)
      .mapToObj(i -> String.format("Log line %02d: disk io stalls.", i)).collect(Collectors.joining(" "))
      .substring(0, 800);

  private static Example example(String id, String input) {
    return new Example(id, Map.of("input", input), "P1", false, Optional.empty(), List.of(), Map.of(),
        "tickets.jsonl", 1);
  }

  @Test
  void aLongInputQuotedCutShortInADemonstrationsSectionIsCounted() {
    assertThat(LONG).hasSize(800);
    Example longOne = example("long", LONG);
    Example other = example("other", "Where is my receipt for May");
    // the section as Demonstrations writes it: each value through StrategyText.cut (600 characters and an ellipsis)
    String prompt = "Classify the urgency.\n" + Demonstrations.HEADING + "\n\ninput: " + StrategyText.cut(LONG)
        + "\noutput: P1\n\nTicket: {{input}}";

    assertThat(prompt).doesNotContain(LONG);
    assertThat(Quotes.quoted(prompt, List.of(longOne, other))).containsExactly("long");
  }

  @Test
  void aLongInputPastedWholeIsCountedAndOneMerelyMentionedIsNot() {
    Example longOne = example("long", LONG);

    assertThat(Quotes.quoted("Classify.\nLike this one: " + LONG.replace(" ", "\n ") + "\n{{input}}",
        List.of(longOne))).containsExactly("long");
    assertThat(Quotes.quoted("Classify. Watch for " + LONG.substring(0, 40) + "\n{{input}}", List.of(longOne)))
        .isEmpty();
  }
}
