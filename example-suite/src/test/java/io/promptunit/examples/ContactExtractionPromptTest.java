package io.promptunit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.promptunit.Check;
import io.promptunit.Example;
import io.promptunit.ExpectJson;
import io.promptunit.ExpectJsonSchema;
import io.promptunit.PromptTest;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Structured extraction: reads a customer email sent to Harbor &amp; Pine (an online furniture
 * store) and returns the contact to get back to as JSON: {@code name}, {@code email},
 * {@code phone}, {@code company} and {@code order_number}, with {@code null} for anything the
 * email does not say.
 *
 * <p>The examples are a CSV file (one quoted, multi-line email per row; {@code expected} holds the
 * JSON object as text). Every output must pass three checks:
 *
 * <ul>
 *   <li>{@link ExpectJson}: the fields that matter for a reply equal the expected ones. {@code
 *       company} is left out of the comparison: it is extracted on a best-effort basis;
 *   <li>{@link ExpectJsonSchema}: the whole object has exactly the five keys, with the right types
 *       and formats (e.g. {@code HP-} plus six digits for order numbers);
 *   <li>{@link #emailAddressesComeFromTheMessage}: no invented email addresses.
 * </ul>
 */
@PromptTest(
    prompt = "prompts/contact-extraction.prompt",
    examples = "prompts/contact-extraction.csv")
@ExpectJson(fields = {"name", "email", "phone", "order_number"})
@ExpectJsonSchema("prompts/contact-extraction.schema.json")
class ContactExtractionPromptTest {

  private static final Pattern EMAIL_ADDRESS = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");

  /** Every email address in the output occurs in the email itself: the model copied it, it did not make it up. */
  @Check
  void emailAddressesComeFromTheMessage(Example example, String output) {
    String message = example.input().toLowerCase(Locale.ROOT);
    Matcher address = EMAIL_ADDRESS.matcher(output);
    while (address.find()) {
      assertThat(message)
          .as("email address %s in the output must appear in the email", address.group())
          .contains(address.group().toLowerCase(Locale.ROOT));
    }
  }
}
