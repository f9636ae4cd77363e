package io.promptunit.model.batch.client;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Where a provider batch is.
 *
 * @param id the provider's batch id
 * @param inputFileId the uploaded request file, when the provider has one
 * @param state where the batch is
 * @param providerState the provider's own word for it, for messages (e.g. {@code in_progress})
 * @param total requests in the batch (0 while the provider has not counted them)
 * @param completed requests answered
 * @param failed requests that failed
 * @param outputFileId the provider's file of answers, once there is one
 * @param errorFileId the provider's file of per-request errors, once there is one
 * @param errors the provider's errors about the batch as a whole (e.g. a malformed request file), or empty
 */
@API(status = INTERNAL, since = "0.1")
public record BatchStatus(String id, String inputFileId, State state, String providerState, long total,
    long completed, long failed,
    Optional<String> outputFileId, Optional<String> errorFileId, String errors) {

  /** The states PromptUnit tells apart; providers name them differently. */
  public enum State {
    VALIDATING, IN_PROGRESS, FINALIZING, COMPLETED, EXPIRED, CANCELLING, CANCELLED, FAILED;

    /** The provider will not work on the batch any more. */
    public boolean finished() {
      return this == COMPLETED || this == EXPIRED || this == CANCELLED || this == FAILED;
    }

    static State ofOpenAi(String status) {
      return switch (status) {
        case "validating" -> VALIDATING;
        case "in_progress" -> IN_PROGRESS;
        case "finalizing" -> FINALIZING;
        case "completed" -> COMPLETED;
        case "expired" -> EXPIRED;
        case "cancelling" -> CANCELLING;
        case "cancelled" -> CANCELLED;
        case "failed" -> FAILED;
        default -> throw new IllegalArgumentException("unknown batch status \"" + status + "\"");
      };
    }
  }

  /** {@code in_progress: 3 of 5 done, 1 failed} */
  public String describe() {
    return String.format(Locale.ROOT, "%s: %d of %s done, %d failed", providerState, completed + failed,
        total == 0 ? "?" : Long.toString(total),
        failed);
  }
}
