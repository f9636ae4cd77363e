package io.promptunit.check;

import io.promptunit.check.Conversation;
import io.promptunit.Example;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import org.opentest4j.AssertionFailedError;

/** A {@link io.promptunit.Check} method of the anchor class. */
final class CustomCheck implements OutputCheck {

  private final Method method;
  private final Object target;

  /** @param target the anchor instance, or null for a static method */
  CustomCheck(Method method, Object target) {
    this.method = method;
    this.target = target;
    method.setAccessible(true);
  }

  @Override
  public String name() {
    return method.getName() + "()";
  }

  @Override
  public Optional<CheckFailure> check(Example example, Conversation conversation, String output) {
    Class<?>[] types = method.getParameterTypes();
    Object[] arguments = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      arguments[i] = types[i] == Example.class ? example : output;
    }
    Object result;
    try {
      result = method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AssertionFailedError failed && failed.isExpectedDefined() && failed.isActualDefined()) {
        return Optional.of(new CheckFailure(name(), message(failed.getMessage()),
            String.valueOf(failed.getExpected().getEphemeralValue()),
            String.valueOf(failed.getActual().getEphemeralValue())));
      }
      if (cause instanceof AssertionError) {
        return Optional.of(new CheckFailure(name(),
            cause.getMessage() == null ? "assertion failed" : cause.getMessage().strip(),
            example.expected(), output));
      }
      throw new CheckError("Check " + method.getDeclaringClass().getSimpleName() + "." + method.getName()
          + "() threw " + cause + " instead of passing or failing; fix the check method", cause);
    } catch (IllegalAccessException e) {
      throw new CheckError("Cannot call check " + method, e);
    }
    if (Boolean.FALSE.equals(result)) {
      return Optional.of(new CheckFailure(name(), method.getName() + "() returned false", example.expected(), output));
    }
    return Optional.empty();
  }

  /** The assertion's whole message: AssertJ's lines say exactly what differed. */
  private static String message(String message) {
    if (message == null) {
      return "assertion failed";
    }
    return message.strip();
  }
}
