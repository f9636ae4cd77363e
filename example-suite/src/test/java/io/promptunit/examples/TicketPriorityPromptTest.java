package io.promptunit.examples;

import io.promptunit.Optimize;
import io.promptunit.PromptTest;

/**
 * Urgency triage for Ledgerly (invoicing software) support tickets, with a deliberately naive
 * prompt: it asks for P1, P2 or P3 but never says how the support team assigns them. The examples
 * are labelled by the team's house rules below, so a model that goes by tone and wording gets
 * many of them wrong (they are tagged {@code house-rule} and carry a {@code note}), in every
 * split. This is the suite for trying prompt optimisation: the fix is to state the rules.
 *
 * <p>House rules (first match wins):
 *
 * <ol>
 *   <li><b>P1</b>: security or data loss, however calmly reported: suspected unauthorised access,
 *       exposed credentials or API keys, phishing in Ledgerly's name, vulnerability reports, anyone
 *       seeing data that isn't theirs (including removed users); data deleted, lost, corrupted or
 *       silently overwritten, even by the customer's own mistake.
 *   <li><b>P2</b>: a problem that blocks more than one user (a team, an office, a whole company),
 *       outages included, because monitoring already pages on-call for real outages and the ticket
 *       only needs linking to the incident; or a billing dispute over more than $500 (the disputed
 *       amount, not the invoice total).
 *   <li><b>P3</b>: everything else: problems of a single user however urgent they sound, billing
 *       disputes of $500 or less, questions, how-tos, feature requests, cosmetic bugs.
 * </ol>
 *
 * <p>Tone, capital letters, "URGENT" or "CRITICAL" in the subject, the customer's job title and
 * the priority the customer asks for never change the label.
 *
 * <p>The template uses two variables, {@code {{subject}}} and {@code {{body}}}, which every
 * example provides as its {@code input} object.
 *
 * <p>{@link Optimize} turns the failing train examples into a prompt-rewriting loop (ProTeGi by
 * default) that stops once a rewritten prompt passes the held-out test examples, within the
 * budget below. The output-format line is frozen so no candidate can change it.
 */
@PromptTest(prompt = "prompts/ticket-priority.prompt", examples = "prompts/ticket-priority.jsonl")
@Optimize(frozen = "Answer with only the label: P1, P2 or P3.", maxCalls = 1500, maxCost = 1.00)
class TicketPriorityPromptTest {}
