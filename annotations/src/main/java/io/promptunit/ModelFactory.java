package io.promptunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Marks a static, parameterless method of a {@link PromptTest} anchor class that returns the
 * langchain4j {@code dev.langchain4j.model.chat.ChatModel} the suite is scored with. It takes
 * precedence over the {@code promptunit.model} setting. Several such methods run the suite against each of their
 * models side by side (a model matrix), each named after its method ({@code RouterPromptTest.large()}).
 *
 * <pre>{@code
 * @ModelFactory
 * static ChatModel model() {
 *   return OllamaChatModel.builder().baseUrl("http://localhost:11434").modelName("qwen2.5:0.5b").build();
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface ModelFactory {}
