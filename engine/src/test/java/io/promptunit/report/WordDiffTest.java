package io.promptunit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.model.Spend;
import java.time.ZonedDateTime;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The diff under a failing example, as the report shows it: readable for close and for unrelated answers. */
class WordDiffTest {

  private static Element diff(String expected, String actual) {
    SuiteReport suite = new SuiteReport("com.acme.ReplyTest", "prompts/reply.prompt", "prompts/reply.jsonl", 1.0);
    suite.add(new SuiteReport.Row("hours", "failed", "", List.of(), "prompts/reply.jsonl:1", 120, "When do you open?",
        expected, actual, "similarity: too low"));
    return Jsoup.parse(HtmlReport.render(List.of(suite), Spend.NONE, ZonedDateTime.now())).selectFirst("pre.diff");
  }

  @Test
  void unrelatedAnswersAreShownWholeNotInterleavedWordByWord() {
    String expected = "The store opens at 9 am and closes at 6 pm from Monday to Saturday.";
    String actual = "So sorry to hear that! Long story short: our bakery opens and we ship worldwide.";

    Element diff = diff(expected, actual);

    assertThat(diff.select("span.del").text()).isEqualTo(expected);
    assertThat(diff.select("span.ins").text()).isEqualTo(actual);
    assertThat(diff.select("del, ins")).as("no word-level interleaving").isEmpty();
  }

  @Test
  void closeAnswersDifferByPhrasesNotByInterleavedWords() {
    Element diff = diff("Your refund is on its way and arrives within 5 business days.",
        "Your refund is already on its way and should arrive in about 5 business days.");

    assertThat(diff.select("del").eachText()).containsExactly("arrives within");
    assertThat(diff.select("ins").eachText()).containsExactly("already", "should arrive in about");
    assertThat(diff.text()).startsWith("Your refund is");
  }

  @Test
  void aShortWrongAnswerIsSetApartFromTheExpectedOneNotGluedToIt() {
    Element diff = diff("account", "I am not sure.");

    assertThat(diff.text()).as("read as two values, not 'accountI am not sure.'").isEqualTo("account I am not sure.");
    assertThat(diff.select("del").text()).isEqualTo("account");
    assertThat(diff.select("ins").text()).isEqualTo("I am not sure.");
  }
}
