package io.promptunit.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/**
 * Why an output failed a check.
 *
 * @param check the check's name
 * @param reason a one-line explanation
 * @param expected what was expected (shown in IDE diff views)
 * @param actual what the model produced, or the part of it that was compared
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record CheckFailure(String check, String reason, String expected, String actual) {}
