package io.promptunit.model;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.promptunit.ModelFactory;

/**
 * The static factory methods a user marks on an anchor class ({@code @ModelFactory},
 * {@code @EmbeddingModelFactory}): found on the class and its superclasses, at most one, static,
 * without parameters, returning the expected type, never null.
 */
final class FactoryMethods {

  private FactoryMethods() {}

  /**
   * The object made by {@code anchor}'s method marked {@code marker}, if it has one.
   *
   * @throws ModelConfigurationException when there are several, the method is unusable, throws or returns null
   */
  static <T> Optional<T> call(Class<?> anchor, Class<? extends Annotation> marker, Class<T> type) {
    String name = "@" + marker.getSimpleName();
    List<Method> found = methods(anchor, marker);
    if (found.size() > 1) {
      throw ModelConfigurationException.invalid(anchor.getName() + " has " + found.size() + " " + name
          + " methods; keep exactly one" + (marker == ModelFactory.class
              ? ", or run them side by side as models of a matrix" : "") + ".");
    }
    if (found.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(invoke(anchor, found.get(0), name, type));
  }

  /**
   * The methods of {@code anchor} and its superclasses marked {@code marker}, in name order within each class, the
   * class before its superclasses.
   */
  static List<Method> methods(Class<?> anchor, Class<? extends Annotation> marker) {
    List<Method> found = new ArrayList<>();
    for (Class<?> owner = anchor; owner != null && owner != Object.class; owner = owner.getSuperclass()) {
      List<Method> declared = new ArrayList<>(List.of(owner.getDeclaredMethods()));
      declared.sort(java.util.Comparator.comparing(Method::getName));
      for (Method method : declared) {
        if (method.isAnnotationPresent(marker)) {
          found.add(method);
        }
      }
    }
    return found;
  }

  /** {@code RouterPromptTest.model()}: how a factory method names its model. */
  static String name(Class<?> anchor, Method method) {
    return anchor.getSimpleName() + "." + method.getName() + "()";
  }

  /** The object made by {@code method}, checked as {@link #call} says. */
  static <T> T invoke(Class<?> anchor, Method method, String name, Class<T> type) {
    String shown = anchor.getSimpleName() + "." + method.getName() + "()";
    if (!Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 0
        || !type.isAssignableFrom(method.getReturnType())) {
      throw ModelConfigurationException.invalid(name + " method " + shown
          + " must be static, take no parameters and return a "
          + type.getName() + ".");
    }
    try {
      method.setAccessible(true);
      Object made = method.invoke(null);
      if (made == null) {
        throw ModelConfigurationException.invalid(name + " method " + shown + " returned null.");
      }
      return type.cast(made);
    } catch (InvocationTargetException e) {
      throw ModelConfigurationException.invalid(name + " method " + shown + " threw "
          + Secrets.redact(String.valueOf(e.getCause())));
    } catch (IllegalAccessException e) {
      throw ModelConfigurationException.invalid("Cannot call " + name + " method " + method + ": " + e.getMessage());
    }
  }

  /** The name of the method marked {@code marker} (for reports and cassette keys), when there is exactly one. */
  static Optional<String> name(Class<?> anchor, Class<? extends Annotation> marker) {
    for (Class<?> owner = anchor; owner != null && owner != Object.class; owner = owner.getSuperclass()) {
      for (Method method : owner.getDeclaredMethods()) {
        if (method.isAnnotationPresent(marker)) {
          return Optional.of(anchor.getSimpleName() + "." + method.getName() + "()");
        }
      }
    }
    return Optional.empty();
  }
}
