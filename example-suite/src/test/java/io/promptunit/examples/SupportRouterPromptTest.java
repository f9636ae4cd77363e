package io.promptunit.examples;

import io.promptunit.PromptTest;

/**
 * Support-ticket router: a classification prompt that sends each message Brightline support
 * receives (smart-home cameras plus a cloud subscription) to one of five queues: {@code billing},
 * {@code technical}, {@code account}, {@code shipping} or {@code sales}.
 *
 * <p>The system message defines the queues and the tie-break rule for messages that touch several
 * topics; the user message wraps the customer's text and asks for the queue name alone. There is
 * no check annotation, so an output passes when it equals the expected label after normalisation
 * (case, surrounding whitespace, trailing punctuation and wrapping quotes are ignored):
 * {@code "Billing."} passes for {@code billing}, {@code "This is billing"} does not.
 *
 * <p>The examples include messages in German, Spanish and Portuguese and a few that mention two
 * topics (tagged {@code ambiguous}, with a {@code note} explaining the label).
 */
@PromptTest(
    prompt = "prompts/support-router.prompt",
    system = "prompts/support-router.system",
    examples = "prompts/support-router.jsonl")
class SupportRouterPromptTest {}
