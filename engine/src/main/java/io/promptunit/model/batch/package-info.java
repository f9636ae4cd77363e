/**
 * Batch mode ({@code promptunit.batch=true}): the requests a suite's cassette has no answer for are
 * collected, sent as one provider batch (OpenAI, Anthropic, Gemini, behind
 * {@link io.promptunit.model.batch.client.BatchClient}), waited for, and recorded into the cassette, with a
 * ledger so that a stopped run picks its batches up again. It may use model, model.batch.client and config; only eval
 * uses it. No JUnit here.
 */
package io.promptunit.model.batch;
