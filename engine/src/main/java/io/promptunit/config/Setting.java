package io.promptunit.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * One declared setting: its key, its default (null when absent means "not set"), the values it
 * accepts (as shown in messages) and how its text is read. Every setting PromptUnit reads is one
 * of {@link Keys#SETTINGS}.
 *
 * @param key the key, e.g. {@code promptunit.concurrency}
 * @param defaultValue the value when the key is not set, or null for none
 * @param accepted the accepted values, for messages, e.g. {@code "a whole number from 1 to 1024"}
 * @param reader reads a (stripped, non-blank) value, throwing {@link IllegalArgumentException} when it is not accepted
 * @param <T> the value's type
 */
@API(status = INTERNAL, since = "0.1")
public record Setting<T>(String key, T defaultValue, String accepted, Function<String, T> reader) {

  /** A whole number from {@code min} to {@code max}. */
  public static Setting<Integer> wholeNumber(String key, Integer defaultValue, int min, int max) {
    String accepted = "a whole number from " + min + " to " + max;
    return new Setting<>(key, defaultValue, accepted, text -> (int) inRange(Long.parseLong(text), min, max, accepted));
  }

  /** A whole number from {@code min} to {@code max}, as a long. */
  public static Setting<Long> longNumber(String key, Long defaultValue, long min, long max) {
    String accepted = "a whole number from " + min + " to " + max;
    return new Setting<>(key, defaultValue, accepted, text -> inRange(Long.parseLong(text), min, max, accepted));
  }

  /** A number strictly between {@code low} and {@code high}. */
  public static Setting<Double> fraction(String key, Double defaultValue, double low, double high) {
    String accepted = "a number greater than " + low + " and less than " + high;
    return new Setting<>(key, defaultValue, accepted, text -> {
      double value = Double.parseDouble(text);
      if (!(value > low && value < high)) {
        throw new IllegalArgumentException("it is out of range");
      }
      return value;
    });
  }

  /** {@code true} or {@code false}, in any case. */
  public static Setting<Boolean> bool(String key, boolean defaultValue) {
    return new Setting<>(key, defaultValue, "true or false", text -> {
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(text);
      }
      throw new IllegalArgumentException("it is not a boolean");
    });
  }

  /** A model, {@code provider:model} ({@code openai:gpt-4o-mini}, {@code gguf:/models/qwen.gguf}); none by default. */
  public static Setting<String> model(String key) {
    return new Setting<>(key, null, "provider:model, e.g. openai:gpt-4o-mini or gguf:/path/to/model.gguf", text -> {
      int colon = text.indexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        throw new IllegalArgumentException("it names no provider");
      }
      return text;
    });
  }

  /** Models, comma-separated, each {@code provider:model} or a {@code @ModelFactory} method's name; none by default. */
  public static Setting<java.util.List<String>> models(String key) {
    Setting<String> one = model(key);
    return new Setting<>(key, null, "models separated by commas, e.g. openai:gpt-4o-mini,"
        + "anthropic:claude-haiku-4-5", text -> {
          java.util.List<String> models = Arrays.stream(text.split(",")).map(String::strip)
              .filter(model -> !model.isEmpty()).distinct().toList();
          models.stream().filter(model -> !model.endsWith("()")).forEach(one.reader()::apply);
          return models;
        });
  }

  /** An http or https URL; none by default. */
  public static Setting<String> url(String key, String example) {
    return new Setting<>(key, null, "an http or https URL, e.g. " + example, text -> {
      try {
        java.net.URI uri = new java.net.URI(text);
        if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
            || "https".equalsIgnoreCase(uri.getScheme()))) {
          throw new IllegalArgumentException("it is not an http or https URL");
        }
        return text;
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("it is not a URL (" + e.getReason() + ")");
      }
    });
  }

  /** A file system path, relative to the working directory unless absolute. */
  public static Setting<Path> path(String key, String defaultValue) {
    return new Setting<>(key, defaultValue == null ? null : Path.of(defaultValue), "a folder path", text -> {
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("it is not a path: " + e.getReason());
      }
    });
  }

  /** One of an enum's constants, written in lower case with dashes ({@code read-write}). */
  public static <E extends Enum<E>> Setting<E> choice(String key, Class<E> type, E defaultValue) {
    String accepted = Arrays.stream(type.getEnumConstants()).map(Setting::spelled).collect(Collectors.joining(", "));
    return new Setting<>(key, defaultValue, "one of " + accepted, text -> {
      String normalized = text.toUpperCase(Locale.ROOT).replace('-', '_');
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equals(normalized)) {
          return constant;
        }
      }
      throw new IllegalArgumentException("it is not one of them");
    });
  }

  /** How a user writes {@code constant} in a setting: {@code READ_WRITE} is {@code read-write}. */
  public static String spelled(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static long inRange(long value, long min, long max, String accepted) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("it is out of range");
    }
    return value;
  }
}
