package io.promptunit.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * What apply mode ({@code promptunit.optimize.apply=true}) did with an optimization's result.
 *
 * @param message a sentence for the verdict, starting with a space (empty when apply mode is off)
 * @param failed whether the user asked for the prompt to be written and it could not be
 */
@API(status = INTERNAL, since = "0.1")
public record Applied(String message, boolean failed) {

  /** Apply mode is off: nothing was written, nothing to say. */
  public static final Applied NOTHING = new Applied("", false);
}
