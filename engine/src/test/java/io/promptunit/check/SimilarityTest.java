package io.promptunit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.EventConditions.uniqueIdSubstring;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.promptunit.EmbeddingModelFactory;
import io.promptunit.ExpectSimilar;
import io.promptunit.PromptTest;
import io.promptunit.fixtures.valid.SimilarRepliesSuite;
import io.promptunit.model.EmbeddingModels;
import io.promptunit.suite.InvalidSuiteException;
import io.promptunit.suite.Suite;
import io.promptunit.suite.SuiteLoader;
import io.promptunit.testing.Models;
import io.promptunit.testing.ScriptedChatModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@code @ExpectSimilar} with the real, bundled all-MiniLM-L6-v2 model (no mock): meaning, not wording. */
class SimilarityTest {

  @AfterEach
  void clear() {
    Models.clear();
  }

  @Test
  void paraphrasesScoreAboveTheDefaultThresholdAndUnrelatedAnswersFarBelow() {
    EmbeddingModel model = EmbeddingModels.bundled();

    assertThat(Similarity.between(model, "Restart the router and re-add the camera in the app.",
        "Power-cycle your router, then add the camera again from the app.")).isGreaterThan(ExpectSimilar.DEFAULT_THRESHOLD);
    assertThat(Similarity.between(model, "I cannot log in to my account.", "Logging into my account doesn't work."))
        .isGreaterThan(ExpectSimilar.DEFAULT_THRESHOLD);
    assertThat(Similarity.between(model, "Your refund has been issued and should arrive within 5 business days.",
        "The capital of France is Paris.")).isLessThan(0.2);
    assertThat(Similarity.between(model, "same words", "same words")).isGreaterThan(0.999);
    assertThat(EmbeddingModels.bundled()).as("loaded once per JVM").isSameAs(model);
  }

  @Test
  void blankTextsAreIdenticalToEachOtherAndUnrelatedToAnythingElse() {
    assertThat(Similarity.between(EmbeddingModels.bundled(), " ", "")).isEqualTo(1.0);
    assertThat(Similarity.between(EmbeddingModels.bundled(), "", "Anything")).isEqualTo(0.0);
  }

  @Test
  void aSuiteWithExpectSimilarPassesParaphrasesAndFailsUnrelatedAnswersSayingTheScore() {
    Map<String, String> answers = Map.of(
        "Where is my refund?", "We've issued your refund; it should reach you in about five working days.",
        "My camera is offline after I changed my router.", "Power-cycle your router, then add the camera again from the app.",
        "Describe the customer's problem in one sentence: I type my password and nothing happens.", "Our bakery opens at 7 am on weekdays.",
        "When is the meeting now?", "Photosynthesis converts light into chemical energy.");
    Models.use(ScriptedChatModel.answering(user -> answers.entrySet().stream().filter(e -> user.contains(e.getKey())).findFirst()
        .orElseThrow().getValue()));

    var results = EngineTestKit.engine("promptunit").selectors(selectClass(SimilarRepliesSuite.class))
        .configurationParameters(Map.of("promptunit.cache", "off", "promptunit.embedded", "false", "promptunit.report", "false"))
        .execute();

    results.testEvents().assertThatEvents()
        .haveExactly(1, event(test(), displayName("refund-issued: Where is my refund?"), finishedSuccessfully()))
        .haveExactly(1, event(test(), displayName("router-restart: My camera is offline after I changed my router."), finishedSuccessfully()))
        .haveExactly(1, event(test(), displayName("meeting-moved: When is the meeting now?"),
            finishedWithFailure(message(m -> m.contains("failed similarity of at least 0.70 at ") && m.contains("fixtures/replies.jsonl:4")
                && m.contains("below the threshold 0.70 (cosine of all-MiniLM-L6-v2 embeddings)")))))
        .haveExactly(1, event(test(), uniqueIdSubstring("login-broken"), finishedWithFailure(message(m -> m.contains("similarity 0.")))));
  }

  @ExpectSimilar(threshold = 1.5)
  @PromptTest(prompt = "fixtures/replies.prompt", examples = "fixtures/replies.jsonl")
  static class ImpossibleThreshold {}

  @Test
  void aThresholdOutsideTheCosineRangeIsASuiteProblemSayingWhatToUse() {
    Suite suite = SuiteLoader.load(ImpossibleThreshold.class);

    assertThatThrownBy(() -> Checks.of(suite, JudgeModels.unavailable()))
        .isInstanceOf(InvalidSuiteException.class)
        .hasMessageContaining("@ExpectSimilar(threshold = 1.5) must be in (-1, 1]")
        .hasMessageContaining("threshold = 0.7");
  }

  static final AtomicInteger OWN_EMBEDDINGS = new AtomicInteger();

  /** Every text is the same vector: everything is similar. */
  @ExpectSimilar(threshold = 0.99)
  @PromptTest(prompt = "fixtures/replies.prompt", examples = "fixtures/replies.jsonl")
  static class OwnEmbeddings {
    @EmbeddingModelFactory
    static EmbeddingModel embeddings() {
      return new EmbeddingModel() {
        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
          OWN_EMBEDDINGS.addAndGet(segments.size());
          return Response.from(segments.stream().map(s -> Embedding.from(new float[] {1f, 0f})).toList());
        }
      };
    }
  }

  @Test
  void anEmbeddingModelFactoryReplacesTheBundledModel() {
    Suite suite = SuiteLoader.load(OwnEmbeddings.class);
    OutputCheck check = Checks.of(suite, JudgeModels.unavailable()).get(0);

    assertThat(check.check(suite.examples().get(0), null, "Our bakery opens at 7 am.")).isEmpty();
    assertThat(OWN_EMBEDDINGS).hasValue(2);
  }

  @ExpectSimilar
  @PromptTest(prompt = "fixtures/replies.prompt", examples = "fixtures/replies.jsonl")
  static class BrokenEmbeddings {
    @EmbeddingModelFactory
    static EmbeddingModel embeddings(String unexpected) {
      return null;
    }
  }

  @Test
  void aBrokenEmbeddingModelFactoryIsASuiteProblem() {
    Suite suite = SuiteLoader.load(BrokenEmbeddings.class);

    assertThatThrownBy(() -> Checks.of(suite, JudgeModels.unavailable()))
        .isInstanceOf(InvalidSuiteException.class)
        .hasMessageContaining("@EmbeddingModelFactory method BrokenEmbeddings.embeddings() must be static, take no parameters");
  }
}
