package io.promptunit.model.batch.client;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * A request as it goes over the wire to the provider's interactive endpoint.
 *
 * @param path the endpoint relative to the provider's base URL, e.g. {@code /chat/completions}
 * @param body the JSON body, exactly as the provider's langchain4j client writes it
 */
@API(status = INTERNAL, since = "0.1")
public record WireRequest(String path, String body) {}
