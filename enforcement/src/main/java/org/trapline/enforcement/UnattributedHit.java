package org.trapline.enforcement;

import java.time.Instant;

/**
 * A trap hit that named no subscriber, kept for staff review instead of acted on.
 *
 * @param at       the handoff time at our trusted boundary; for {@link HitAttribution#NO_ORIGIN} and
 *                 {@link HitAttribution#UNDATED} hits, which have none, when our MX received the message
 * @param originIp the origin address, null for {@link HitAttribution#NO_ORIGIN}
 */
public record UnattributedHit(String hitId, Instant at, String originIp, HitAttribution attribution) {

    /** Why it named nobody ({@link HitAttribution#reason}). */
    public String reason() {
        return attribution.reason();
    }
}
