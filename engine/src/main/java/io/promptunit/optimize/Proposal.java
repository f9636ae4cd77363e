package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
/**
 * A new prompt a strategy proposes; it becomes a {@link Candidate} if it is valid and new.
 *
 * @param text the proposed template
 * @param parent id of the candidate it derives from
 * @param origin the operation ({@code edit}, {@code paraphrase}, ...)
 * @param rationale why (the critique or reasoning)
 */
@API(status = INTERNAL, since = "0.1")
public record Proposal(String text, String parent, String origin, String rationale) {}
