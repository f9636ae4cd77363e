package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.promptunit.model.ModelClient;
import io.promptunit.model.Reply;
import java.util.List;
import java.util.Optional;

/** The optimizer model as strategies use it: one question, one answer, at the meta temperature. */
@API(status = INTERNAL, since = "0.1")
public final class MetaModel {

  private static final String ROLE = "You are an expert prompt engineer. You improve prompts for language models."
      + " Follow the requested output format exactly.";

  private final ModelClient model;
  private final double temperature;
  private final int maxOutputTokens;

  public MetaModel(ModelClient model, double temperature, int maxOutputTokens) {
    this.model = model;
    this.temperature = temperature;
    this.maxOutputTokens = maxOutputTokens;
  }

  /**
   * @param sample which of several deliberate asks of the same question this is: each sample gets
   *     its own answer (and its own cassette entry), so repeated asks are real samples
   */
  public String ask(String question, int sample) {
    return ask(question, sample, maxOutputTokens).text();
  }

  /**
   * As {@link #ask(String, int)}, under the output cap {@code outputCap} sized from what the question asks for
   * ({@link OptimizationContext#outputCap}); the reply tells whether the answer was cut off there.
   */
  public Reply ask(String question, int sample, int outputCap) {
    return model.chat(List.of(SystemMessage.from(ROLE), UserMessage.from(question)), temperature,
        Optional.of(outputCap), sample);
  }

  /** The output cap of a question asked without an {@link AnswerSize}: {@code @Optimize(maxOutputTokens)}. */
  public int defaultOutputCap() {
    return maxOutputTokens;
  }

  public String name() {
    return model.name();
  }
}
