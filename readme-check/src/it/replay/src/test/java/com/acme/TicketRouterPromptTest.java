package com.acme;

import io.promptunit.Optimize;
import io.promptunit.PromptTest;

/**
 * A suite with {@code @Optimize} on: its cassette is recorded by a run that optimizes (the
 * checked-in prompt already passes, so the optimization stops at once) and must then answer every
 * example however the suite is run again: Surefire with the optimization off, the console launcher,
 * or a Jupiter evaluator on the same files ({@link TicketRouterJupiterTest}).
 */
@PromptTest(prompt = "prompts/ticket-router.prompt", examples = "prompts/ticket-router.jsonl")
@Optimize(maxCalls = 50, maxCost = 0.05)
class TicketRouterPromptTest {}
