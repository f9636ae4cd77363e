package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.model.chat.ChatModel;
import io.promptunit.ModelFactory;
import io.promptunit.config.Keys;
import io.promptunit.config.Configuration;
import java.util.List;
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
   * The models the suite anchored at {@code anchor} runs against side by side, first found: the
   * {@code promptunit.models} setting (configuration wins), {@code @PromptTest(models)}, its {@link ModelFactory}
   * methods when it has several (each named {@code Anchor.method()}). Empty for a suite with one model, chosen as
   * {@link #taskModel(Class, Optional)} says; a list of one names that one model.
   */
  public static List<String> matrix(Class<?> anchor, List<String> declared, Configuration settings) {
    List<String> configured = settings.models();
    if (!configured.isEmpty()) {
      return configured;
    }
    if (!declared.isEmpty()) {
      return declared;
    }
    List<java.lang.reflect.Method> factories = FactoryMethods.methods(anchor, ModelFactory.class);
    return factories.size() < 2 ? List.of()
        : factories.stream().map(method -> FactoryMethods.name(anchor, method)).distinct().toList();
  }

  /**
   * The task model named {@code model} for the suite anchored at {@code anchor}: one of its {@link ModelFactory}
   * methods when {@code model} is its name ({@code Anchor.method()}), else a {@code provider:model}.
   *
   * @param source where the name was given, for messages
   * @throws ModelConfigurationException when the model cannot be used (an unknown provider, no key)
   */
  public ModelClient taskModel(Class<?> anchor, String model, String source) {
    for (java.lang.reflect.Method method : FactoryMethods.methods(anchor, ModelFactory.class)) {
      if (FactoryMethods.name(anchor, method).equals(model)) {
        return new ModelClient(FactoryMethods.invoke(anchor, method, "@ModelFactory", ChatModel.class), model, call);
      }
    }
    if (model.endsWith("()")) {
      throw ModelConfigurationException.invalid("Model " + model + " (" + source + ") names no @ModelFactory method of "
          + anchor.getName() + ".");
    }
    return new ModelClient(resolver.resolve(model, source), model, call);
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
