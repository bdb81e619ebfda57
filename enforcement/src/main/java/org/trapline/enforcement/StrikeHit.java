package org.trapline.enforcement;

import java.time.Instant;
import java.util.Objects;

import org.trapline.attribution.session.SessionTarget;

/**
 * One attributed trap hit as the policy sees it: which evidence row, when the origin handed it over,
 * from which address, and whom attribution named.
 *
 * @param hitId       the evidence store's id of the hit (a replayed hit with the same id counts once)
 * @param at          handoff time at our trusted boundary; for a {@link HitAttribution#NO_ORIGIN} or
 *                    {@link HitAttribution#UNDATED} hit, which has none, when our MX received it
 * @param originIp    origin address; null for a {@link HitAttribution#NO_ORIGIN} hit
 * @param attribution attribution result
 * @param subscriber  subscriber id for MATCHED and STATIC, else null
 * @param session     the RADIUS session for MATCHED, else null
 */
public record StrikeHit(String hitId, Instant at, String originIp, HitAttribution attribution, String subscriber,
                        SessionTarget session) {

    public StrikeHit {
        if (hitId == null || hitId.isBlank()) throw new IllegalArgumentException("trap hit without id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(attribution, "attribution");
        if (subscriber != null && subscriber.isBlank()) subscriber = null;
        if (attribution.actionable() && subscriber == null) {
            throw new IllegalArgumentException(attribution + " hit " + hitId + " names no subscriber");
        }
        if (attribution == HitAttribution.MATCHED && session == null) {
            throw new IllegalArgumentException("MATCHED hit " + hitId + " has no session");
        }
        limit(hitId, 255, "hit id");
        limit(subscriber, 255, "subscriber");
        limit(originIp, 64, "origin address");
        if (attribution == HitAttribution.STATIC && (originIp == null || originIp.isBlank())) {
            throw new IllegalArgumentException("STATIC hit " + hitId + " has no address");
        }
    }

    private static void limit(String value, int max, String what) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException(what + " longer than " + max + " characters: " + value.substring(0, 40) + "...");
        }
    }

    public static StrikeHit matched(String hitId, Instant at, String originIp, String subscriber, SessionTarget session) {
        return new StrikeHit(hitId, at, originIp, HitAttribution.MATCHED, subscriber, session);
    }

    public static StrikeHit fixedAddress(String hitId, Instant at, String originIp, String subscriber) {
        return new StrikeHit(hitId, at, originIp, HitAttribution.STATIC, subscriber, null);
    }

    public static StrikeHit unattributed(String hitId, Instant at, String originIp, HitAttribution attribution) {
        if (attribution.actionable()) throw new IllegalArgumentException(attribution + " is an attribution");
        return new StrikeHit(hitId, at, originIp, attribution, null, null);
    }
}
