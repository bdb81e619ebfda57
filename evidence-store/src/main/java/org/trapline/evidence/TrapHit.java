package org.trapline.evidence;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the trap MX knows about one accepted trap message, in plain types so this module needs
 * neither James nor the origin/attribution libraries. The message bytes travel beside it; the store
 * derives hash, size, subject and Message-ID from them.
 *
 * @param intakeKey         unique key of this intake (e.g. the James mail name plus spool id); a replay
 *                          of the same intake is recognised by it and never creates a second hit
 * @param receivedAt        when our MX accepted the message
 * @param envelopeSender    MAIL FROM as given (may be empty for the null sender), or null
 * @param trapRecipients    RCPT TO addresses that were traps (at least one)
 * @param helo              HELO/EHLO name the client gave our MX, or null
 * @param clientIp          the address our MX saw on the connection, or null
 * @param originIp          origin hop address from the Received chain, or null when none was found
 * @param originTime        handoff time of the origin hop as written by the trusted host, or null
 * @param originHelo        HELO the origin client gave the trusted host, or null
 * @param attributionStatus MATCHED, AMBIGUOUS, NO_SESSION, NOT_OURS, STATIC, ... (free text), or null
 * @param subscriber        subscriber the origin was attributed to, or null
 * @param sessionId         accounting session (Acct-Session-Id) the origin fell in, or null
 * @param nasIp             NAS that reported that session, or null
 * @param traceJson         the full trace (hops, trust decisions, attribution candidates) as JSON text, or null
 * @param id                the hit id the MX reserved when it accepted the message (written into the spool record
 *                          with it, so the hit keeps it through a crash), or 0 for the store to reserve one
 */
public record TrapHit(
        String intakeKey,
        Instant receivedAt,
        String envelopeSender,
        List<String> trapRecipients,
        String helo,
        String clientIp,
        String originIp,
        Instant originTime,
        String originHelo,
        String attributionStatus,
        String subscriber,
        String sessionId,
        String nasIp,
        String traceJson,
        long id) {

    public TrapHit {
        Objects.requireNonNull(intakeKey, "intakeKey");
        if (intakeKey.isBlank() || intakeKey.length() > 1000) {
            throw new IllegalArgumentException("intakeKey must be 1 to 1000 characters");
        }
        Objects.requireNonNull(receivedAt, "receivedAt");
        trapRecipients = trapRecipients == null ? List.of() : List.copyOf(trapRecipients);
        if (id < 0) {
            throw new IllegalArgumentException("hit id must be positive, or 0 for none reserved: " + id);
        }
    }

    /** A hit with only the fields every intake has; the rest can be added with the {@code with...} methods. */
    public static TrapHit of(String intakeKey, Instant receivedAt, String envelopeSender, List<String> trapRecipients) {
        return new TrapHit(intakeKey, receivedAt, envelopeSender, trapRecipients,
                null, null, null, null, null, null, null, null, null, null, 0);
    }

    /** This hit with what our MX saw of the client. */
    public TrapHit withClient(String helo, String clientIp) {
        return new TrapHit(intakeKey, receivedAt, envelopeSender, trapRecipients, helo, clientIp,
                originIp, originTime, originHelo, attributionStatus, subscriber, sessionId, nasIp, traceJson, id);
    }

    /** This hit with the origin hop found in the Received chain. */
    public TrapHit withOrigin(String originIp, Instant originTime, String originHelo) {
        return new TrapHit(intakeKey, receivedAt, envelopeSender, trapRecipients, helo, clientIp,
                originIp, originTime, originHelo, attributionStatus, subscriber, sessionId, nasIp, traceJson, id);
    }

    /** This hit with the attribution of its origin. */
    public TrapHit withAttribution(String attributionStatus, String subscriber, String sessionId, String nasIp) {
        return new TrapHit(intakeKey, receivedAt, envelopeSender, trapRecipients, helo, clientIp,
                originIp, originTime, originHelo, attributionStatus, subscriber, sessionId, nasIp, traceJson, id);
    }

    /** This hit with its full trace as JSON text. */
    public TrapHit withTrace(String traceJson) {
        return new TrapHit(intakeKey, receivedAt, envelopeSender, trapRecipients, helo, clientIp,
                originIp, originTime, originHelo, attributionStatus, subscriber, sessionId, nasIp, traceJson, id);
    }

    /** This hit with the id reserved for it at intake. */
    public TrapHit withId(long id) {
        return new TrapHit(intakeKey, receivedAt, envelopeSender, trapRecipients, helo, clientIp,
                originIp, originTime, originHelo, attributionStatus, subscriber, sessionId, nasIp, traceJson, id);
    }
}
