package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.model.chat.ChatModel;
import io.promptunit.ModelFactory;
import io.promptunit.config.Keys;
import io.promptunit.config.Settings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chooses a suite's task and judge models. Task model, first found: a {@link ModelFactory} method
 * on the anchor class, the suite's own {@code @PromptTest(model)}, the {@code promptunit.model}
 * setting, the embedded local model (unless {@code promptunit.embedded=false}).
 */
@API(status = INTERNAL, since = "0.1")
public final class SuiteModels {

  private final ModelResolver resolver;
  private final Settings settings;
  private final ModelCall call;

  public SuiteModels(ModelResolver resolver, Settings settings, ModelCall call) {
    this.resolver = resolver;
    this.settings = settings;
    this.call = call;
  }

  /**
   * The task model of the suite anchored at {@code anchor}.
   *
   * @throws ModelConfigurationException when none is configured ({@link ModelConfigurationException#noModelConfigured()})
   *     or the configuration is unusable
   */
  public ModelClient taskModel(Class<?> anchor, Optional<String> suiteModel) {
    Optional<Method> factory = factoryMethod(anchor);
    if (factory.isPresent()) {
      return new ModelClient(invoke(anchor, factory.get()), anchor.getSimpleName() + "." + factory.get().getName() + "()", call);
    }
    if (suiteModel.isPresent()) {
      String source = "@PromptTest(model) of " + anchor.getSimpleName();
      return new ModelClient(resolver.resolve(suiteModel.get(), source), suiteModel.get(), call);
    }
    Optional<String> configured = settings.get(Keys.MODEL);
    if (configured.isPresent()) {
      return new ModelClient(resolver.resolve(configured.get(), settings.describeSource(Keys.MODEL)), configured.get(), call);
    }
    if (settings.getBoolean(Keys.EMBEDDED, true)) {
      return new ModelClient(resolver.embedded(), ModelResolver.EMBEDDED_NAME, call);
    }
    throw ModelConfigurationException.noModel();
  }

  /** The judge for a check naming {@code spec} (empty: the {@code promptunit.judge.model} setting, else {@code taskModel}). */
  public ModelClient judgeModel(String spec, ModelClient taskModel) {
    if (!spec.isBlank()) {
      return new ModelClient(resolver.resolve(spec, "@ExpectJudge(model)"), spec, call);
    }
    return settings.get(Keys.JUDGE_MODEL)
        .map(configured -> new ModelClient(resolver.resolve(configured, settings.describeSource(Keys.JUDGE_MODEL)), configured, call))
        .orElse(taskModel);
  }

  private static Optional<Method> factoryMethod(Class<?> anchor) {
    List<Method> found = new ArrayList<>();
    for (Class<?> type = anchor; type != null && type != Object.class; type = type.getSuperclass()) {
      for (Method method : type.getDeclaredMethods()) {
        if (method.isAnnotationPresent(ModelFactory.class)) {
          found.add(method);
        }
      }
    }
    if (found.size() > 1) {
      throw ModelConfigurationException.invalid(anchor.getName() + " has " + found.size()
          + " @ModelFactory methods; keep exactly one.");
    }
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Method method = found.get(0);
    if (!Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 0
        || !ChatModel.class.isAssignableFrom(method.getReturnType())) {
      throw ModelConfigurationException.invalid("@ModelFactory method " + anchor.getSimpleName() + "." + method.getName()
          + "() must be static, take no parameters and return a dev.langchain4j.model.chat.ChatModel.");
    }
    return Optional.of(method);
  }

  private static ChatModel invoke(Class<?> anchor, Method method) {
    try {
      method.setAccessible(true);
      Object model = method.invoke(null);
      if (model == null) {
        throw ModelConfigurationException.invalid("@ModelFactory method " + anchor.getSimpleName() + "." + method.getName() + "() returned null.");
      }
      return (ChatModel) model;
    } catch (InvocationTargetException e) {
      throw ModelConfigurationException.invalid("@ModelFactory method " + anchor.getSimpleName() + "." + method.getName()
          + "() threw " + Secrets.redact(String.valueOf(e.getCause())));
    } catch (IllegalAccessException e) {
      throw ModelConfigurationException.invalid("Cannot call @ModelFactory method " + method + ": " + e.getMessage());
    }
  }
}
