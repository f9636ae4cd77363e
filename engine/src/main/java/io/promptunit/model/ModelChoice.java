package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.model.chat.ChatModel;
import io.promptunit.ModelFactory;
import io.promptunit.config.Keys;
import io.promptunit.config.Configuration;
import java.util.Optional;

/**
 * Chooses a suite's task and judge models. Task model, first found: a {@link ModelFactory} method
 * on the anchor class, the suite's own {@code @PromptTest(model)}, the {@code promptunit.model}
 * setting, the embedded local model (unless {@code promptunit.embedded=false}).
 */
@API(status = INTERNAL, since = "0.1")
public final class ModelChoice {

  private final ModelResolver resolver;
  private final Configuration settings;
  private final RetryPolicy call;

  public ModelChoice(ModelResolver resolver, Configuration settings, RetryPolicy call) {
    this.resolver = resolver;
    this.settings = settings;
    this.call = call;
  }

  /**
   * The task model of the suite anchored at {@code anchor}.
   *
   * @throws ModelConfigurationException when none is configured ({@link
   *     ModelConfigurationException#noModelConfigured()})
   *     or the configuration is unusable
   */
  public ModelClient taskModel(Class<?> anchor, Optional<String> suiteModel) {
    Optional<ChatModel> factory = FactoryMethods.call(anchor, ModelFactory.class, ChatModel.class);
    if (factory.isPresent()) {
      return new ModelClient(factory.get(), FactoryMethods.name(anchor, ModelFactory.class).orElseThrow(), call);
    }
    if (suiteModel.isPresent()) {
      String source = "@PromptTest(model) of " + anchor.getSimpleName();
      return new ModelClient(resolver.resolve(suiteModel.get(), source), suiteModel.get(), call);
    }
    Optional<String> configured = settings.model();
    if (configured.isPresent()) {
      return new ModelClient(resolver.resolve(configured.get(), settings.describeSource(Keys.MODEL)),
          configured.get(), call);
    }
    if (settings.embedded()) {
      return new ModelClient(resolver.embedded(), ModelResolver.EMBEDDED_NAME, call);
    }
    throw ModelConfigurationException.noModel();
  }

  /**
   * The optimizer model of a suite: {@code annotated} ({@code @Optimize(optimizerModel)}) when not
   * blank, else the {@code promptunit.optimizer.model} setting; empty when neither names one (the
   * task model optimizes).
   */
  public Optional<ModelClient> optimizerModel(String annotated) {
    if (!annotated.isBlank()) {
      return Optional.of(new ModelClient(resolver.resolve(annotated, "@Optimize(optimizerModel)"), annotated, call));
    }
    return settings.optimizerModel().map(configured ->
        new ModelClient(resolver.resolve(configured, settings.describeSource(Keys.OPTIMIZER_MODEL)), configured, call));
  }

  /**
   * The judge for a check naming {@code spec} (empty: the {@code promptunit.judge.model} setting, else
   * {@code taskModel}).
   */
  public ModelClient judgeModel(String spec, ModelClient taskModel) {
    if (!spec.isBlank()) {
      return new ModelClient(resolver.resolve(spec, "@ExpectJudge(model)"), spec, call);
    }
    return settings.judgeModel()
        .map(configured -> new ModelClient(resolver.resolve(configured,
            settings.describeSource(Keys.JUDGE_MODEL)), configured, call))
        .orElse(taskModel);
  }
}
