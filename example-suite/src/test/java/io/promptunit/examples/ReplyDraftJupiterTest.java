package io.promptunit.examples;

import static io.promptunit.jupiter.PromptAssertions.assertThat;
import static io.promptunit.jupiter.PromptAssertions.assertThatOutput;

import dev.langchain4j.model.chat.ChatModel;
import io.promptunit.ExpectSimilar;
import io.promptunit.ModelFactory;
import io.promptunit.jupiter.Evaluation;
import io.promptunit.jupiter.PromptEvaluator;
import io.promptunit.jupiter.PromptUnitExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Free-text replies have no single right wording, so they are judged by meaning: {@link ExpectSimilar}
 * on the test class makes every evaluation of the class compare each reply with the example's
 * reference reply through all-MiniLM-L6-v2 sentence embeddings, computed in-process (no download,
 * no key). The paraphrases {@link ReplyDeskModel} writes score 0.68 to 0.91 against their references;
 * its off-topic answer to the volume-discount question scores 0.14.
 *
 * <p>Answers come from {@code src/test/cassettes/io.promptunit.examples.ReplyDraftJupiterTest.jsonl}.
 */
@ExtendWith(PromptUnitExtension.class)
@ExpectSimilar(threshold = 0.65)
class ReplyDraftJupiterTest {

  @ModelFactory
  static ChatModel model() {
    return new ReplyDeskModel();
  }

  @Test
  void repliesMeanWhatTheReferenceRepliesSay(PromptEvaluator evaluator) {
    Evaluation evaluation = evaluator.evaluate("prompts/reply-drafts.prompt", "prompts/reply-drafts.jsonl");

    assertThat(evaluation).hasPassRateAtLeast(0.85);
    assertThat(evaluation).onTag("account").allExamplesPass();
    assertThat(evaluation).example("volume-discount").fails();
    assertThat(evaluation).failures().extracting(failure -> failure.id()).containsExactly("volume-discount");
  }

  @Test
  void aReplyIsAssertedByMeaningWithAssertJ() {
    assertThatOutput("We do deliver to Canada, and it usually takes between 7 and 10 days.")
        .isSimilarTo("Yes, we ship to Canada; delivery takes 7 to 10 days.", 0.8)
        .isNotSimilarTo("Our new doorbell comes in three colours.", 0.3);
  }
}
