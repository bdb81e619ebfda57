package org.trapline.enforcement;

import java.time.Instant;
import java.util.List;

/**
 * One journaled action with everything staff need to judge it: cause, request, the NAS's answer,
 * retries, who decided, and when.
 *
 * @param outcome   {@code ACK}, {@code NAK 503 Session-Context-Not-Found}, {@code TIMEOUT after 3 attempts},
 *                  {@code sent}, an error text; null while not carried out
 * @param errorCause Error-Cause of a NAK, or null
 * @param attempts  transmissions to the NAS (all targets together), or null
 * @param request   the request(s) as sent (CoA attributes; for a dry run the request that would be sent)
 * @param answer    the NAS's answer(s) as text
 * @param heldReason why it waits for review although its type runs {@code auto} ({@code brake: ...},
 *                  {@code exempt: ...}), or null
 * @param retryOf   the FAILED action this one retries (staff's retry), or null
 * @param reason    why staff decided it (confirmed, dismissed, retried, unblocked, switched the brake), or null
 */
public record ActionRecord(long id, ActionType type, String subscriber, String target, String attributes,
                           ActionMode mode, ActionState state, String rule, List<String> hitIds, String actor,
                           Instant createdAt, String decidedBy, Instant decidedAt, String outcome, Integer errorCause,
                           Integer attempts, String nas, String request, String answer, String note,
                           Instant finishedAt, String heldReason, Long retryOf, String reason) {

    public ActionRecord {
        hitIds = List.copyOf(hitIds);
    }

    /** Retransmissions, or null when nothing was sent. */
    public Integer retries() {
        return attempts == null ? null : Math.max(0, attempts - 1);
    }
}
