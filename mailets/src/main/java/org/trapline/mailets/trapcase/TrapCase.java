package org.trapline.mailets.trapcase;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.trapline.attribution.lookup.Attribution;
import org.trapline.origin.OriginHop;
import org.trapline.origin.Trace;

/**
 * One trap hit on its way down the trap pipeline: what the intake recorded, then what each mailet found,
 * added by its {@code with...} method. {@link OpenTrapCase} opens it from the intake's attributes; every
 * later mailet reads it from one mail attribute ({@link CaseAttribute}), adds its part and writes it back,
 * so a new field is one component here and the one mailet that fills it.
 *
 * @param intakeKey         the spool's intake key: a replay of the same intake is recognised by it
 * @param receivedAt        when our MX accepted the message (its 250), read once from the spool's record
 * @param reservedHitId     the hit id reserved at intake, or 0 when the spool record predates reserved ids
 * @param sender            MAIL FROM as given, empty for the null sender
 * @param recipients        RCPT TO addresses
 * @param toPostmasterOnly  every recipient is the domainless postmaster: evidence, never a strike
 * @param clientIp          the address our MX saw on the connection
 * @param clientHelo        the HELO/EHLO name our MX heard, empty if none
 * @param trace             the Received-chain trace; null until {@code TraceOrigin} ran
 * @param attributionStatus MATCHED, AMBIGUOUS, NO_SESSION, NOT_OURS, STATIC, or {@link #NO_ORIGIN} /
 *                          {@link #UNDATED} when nobody could be asked; null until {@code AttributeSubscriber} ran
 * @param attribution       the lookup's whole answer; null when none was asked
 * @param hitId             the evidence store's id of the stored hit; 0 until {@code RecordTrapHit} stored it
 */
public record TrapCase(
        String intakeKey,
        Instant receivedAt,
        long reservedHitId,
        String sender,
        List<String> recipients,
        boolean toPostmasterOnly,
        String clientIp,
        String clientHelo,
        Trace trace,
        String attributionStatus,
        Attribution attribution,
        long hitId) {

    /** Attribution status of a hit whose Received chain has no origin hop: nobody to look up. */
    public static final String NO_ORIGIN = "NO_ORIGIN";
    /** Attribution status of a hit whose origin's receiver recorded no usable time: guessing one could name the wrong customer. */
    public static final String UNDATED = "UNDATED";

    public TrapCase {
        Objects.requireNonNull(intakeKey, "intakeKey");
        Objects.requireNonNull(receivedAt, "receivedAt");
        sender = Objects.requireNonNullElse(sender, "");
        recipients = List.copyOf(recipients);
        clientHelo = Objects.requireNonNullElse(clientHelo, "");
        if (attribution != null && !attribution.status().name().equals(attributionStatus)) {
            throw new IllegalArgumentException("attribution status " + attributionStatus + " but the answer says " + attribution.status());
        }
        if (attribution == null && attributionStatus != null && !NO_ORIGIN.equals(attributionStatus) && !UNDATED.equals(attributionStatus)) {
            throw new IllegalArgumentException("attribution status " + attributionStatus + " without the lookup's answer");
        }
    }

    /** The case as the intake hands it over, before any mailet has looked at the message. */
    public static TrapCase opened(String intakeKey, Instant receivedAt, long reservedHitId, String sender, List<String> recipients,
                                  boolean toPostmasterOnly, String clientIp, String clientHelo) {
        return new TrapCase(intakeKey, receivedAt, reservedHitId, sender, recipients, toPostmasterOnly, clientIp, clientHelo,
                null, null, null, 0);
    }

    /** This case with the trace of its Received chain. */
    public TrapCase withTrace(Trace trace) {
        return new TrapCase(intakeKey, receivedAt, reservedHitId, sender, recipients, toPostmasterOnly, clientIp, clientHelo,
                Objects.requireNonNull(trace, "trace"), attributionStatus, attribution, hitId);
    }

    /** This case with the subscriber lookup's answer for its origin. */
    public TrapCase withAttribution(Attribution attribution) {
        return new TrapCase(intakeKey, receivedAt, reservedHitId, sender, recipients, toPostmasterOnly, clientIp, clientHelo,
                trace, attribution.status().name(), attribution, hitId);
    }

    /** This case marked as one nobody could be looked up for: {@link #NO_ORIGIN} or {@link #UNDATED}. */
    public TrapCase withoutAttribution(String why) {
        if (!NO_ORIGIN.equals(why) && !UNDATED.equals(why)) {
            throw new IllegalArgumentException("not a reason to skip attribution: " + why);
        }
        return new TrapCase(intakeKey, receivedAt, reservedHitId, sender, recipients, toPostmasterOnly, clientIp, clientHelo,
                trace, why, null, hitId);
    }

    /** This case with the id the evidence store keeps it under. */
    public TrapCase withHitId(long hitId) {
        if (hitId <= 0) {
            throw new IllegalArgumentException("hit id must be positive: " + hitId);
        }
        return new TrapCase(intakeKey, receivedAt, reservedHitId, sender, recipients, toPostmasterOnly, clientIp, clientHelo,
                trace, attributionStatus, attribution, hitId);
    }

    /** The origin hop, when traced and found. */
    public Optional<OriginHop> origin() {
        return trace == null ? Optional.empty() : trace.origin();
    }

    /** The origin hop's handoff time, when its receiver recorded one. */
    public Optional<OffsetDateTime> originTime() {
        return origin().map(OriginHop::time);
    }

    /** The subscriber attribution named, if any. */
    public Optional<String> subscriber() {
        return attribution == null ? Optional.empty() : Optional.ofNullable(attribution.subscriber());
    }

    /** The first twelve characters of the intake key, as log lines show it. */
    public String shortKey() {
        return intakeKey.length() <= 12 ? intakeKey : intakeKey.substring(0, 12);
    }

    /** The origin hop as one short log text. */
    public String describeOrigin() {
        return origin().map(o -> o.ip() + " at " + (o.time() == null ? "unknown time" : o.time().toString()))
                .orElse("none (no untrusted hop)");
    }
}
