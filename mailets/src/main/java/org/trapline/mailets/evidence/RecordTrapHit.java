package org.trapline.mailets.evidence;

import java.io.IOException;
import java.time.OffsetDateTime;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.attribution.lookup.Attribution;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.RecordResult;
import org.trapline.evidence.TrapHit;
import org.trapline.mailets.spool.RawMessage;
import org.trapline.mailets.spool.Spool;
import org.trapline.mailets.spool.SpooledMessage;
import org.trapline.mailets.trapcase.CaseAttribute;
import org.trapline.mailets.trapcase.TrapCase;
import org.trapline.origin.OriginHop;
import org.trapline.origin.json.OriginJson;

/**
 * Keeps the trap hit as evidence: the exact bytes our MX accepted (taken from the spool, so a replay
 * stores the same bytes under the same SHA-256) and one metadata row with what its {@link TrapCase} holds
 * (intake, client, trace, attribution), under the hit id reserved at intake. Adds the stored hit's id to
 * the case. Safe against a process crash when it returns; the disk flush is shared by the hits of an
 * interval and runs before their spool copies are released (see {@code SpoolReleaser}). Idempotent by
 * intake key: a replay after a crash never makes a second row. A store that cannot write fails the mail
 * but leaves it in the spool, so the next start replays it.
 *
 * <p>Configuration:
 * <ul>
 *   <li>{@code <caseAttribute>}: the mail attribute holding the case, default {@value CaseAttribute#DEFAULT}.
 *       A mail without a case there fails to the {@code error} processor, which quarantines it.</li>
 *   <li>{@code <keepSpooledAttribute>}: the String attribute that tells the {@code error} processor's
 *       {@code QuarantineSpool} to leave a hit the store could not write in the spool, default
 *       {@value #DEFAULT_KEEP_SPOOLED}; must be the one {@code QuarantineSpool} reads.</li>
 * </ul>
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.evidence.RecordTrapHit">
 *   <caseAttribute>trapline.case</caseAttribute>
 *   <keepSpooledAttribute>trapline.keep-spooled</keepSpooledAttribute>
 * </mailet>
 * }</pre>
 */
public class RecordTrapHit extends GenericMailet {
    /** The keep-spooled attribute name when the XML gives none. */
    public static final String DEFAULT_KEEP_SPOOLED = "trapline.keep-spooled";

    private static final Logger LOG = LoggerFactory.getLogger(RecordTrapHit.class);

    private final EvidenceStore store;
    private final Spool spool;
    private CaseAttribute caseAttribute;
    private AttributeName keepSpooled;

    @Inject
    public RecordTrapHit(EvidenceStore store, Spool spool) {
        this.store = store;
        this.spool = spool;
    }

    @Override
    public void init() {
        caseAttribute = CaseAttribute.configured(this);
        keepSpooled = AttributeName.of(getInitParameter("keepSpooledAttribute", DEFAULT_KEEP_SPOOLED));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        TrapCase trapCase = caseAttribute.read(mail);
        String key = trapCase.intakeKey();
        byte[] raw;
        try {
            raw = spool.find(key).map(SpooledMessage::raw).orElse(null);
        } catch (IOException e) {
            throw new MessagingException("cannot read spooled copy of " + key, e);
        }
        if (raw == null) {
            try {
                raw = RawMessage.bytesOf(mail);
            } catch (IOException e) {
                throw new MessagingException("cannot read message of " + mail.getName(), e);
            }
        }
        RecordResult result;
        try {
            result = store.recordDeferringSync(hit(trapCase), raw);
        } catch (RuntimeException e) {
            // The store, not the message, is at fault (disk full, read-only): keep the spooled copy for a
            // replay instead of quarantining a perfectly good hit.
            mail.setAttribute(new Attribute(keepSpooled, AttributeValue.of(e.toString())));
            throw new MessagingException("cannot store trap hit " + key + ": " + e.getMessage(), e);
        }
        caseAttribute.write(mail, trapCase.withHitId(result.hitId()));
        // The hit's one line at INFO: what the desk greps for when a customer calls.
        LOG.info("trap hit {} stored as #{}{}: to {} via {}, origin {}: {} {}", trapCase.shortKey(), result.hitId(),
                result.isNew() ? "" : " (replay, already stored)", trapCase.recipients(), trapCase.clientIp(),
                trapCase.describeOrigin(), trapCase.attributionStatus() == null ? "-" : trapCase.attributionStatus(),
                trapCase.subscriber().orElse(""));
    }

    /** The evidence row of the case. */
    static TrapHit hit(TrapCase c) {
        OriginHop origin = c.origin().orElse(null);
        Attribution a = c.attribution();
        return TrapHit.of(c.intakeKey(), c.receivedAt(), c.sender(), c.recipients())
                .withClient(c.clientHelo(), c.clientIp())
                .withOrigin(origin == null ? null : origin.ip(),
                        c.originTime().map(OffsetDateTime::toInstant).orElse(null),
                        origin == null ? null : origin.helo())
                .withAttribution(c.attributionStatus(), a == null ? null : a.subscriber(),
                        a == null || a.session() == null ? null : a.session().acctSessionId(),
                        a == null || a.session() == null ? null : a.session().nasIpAddress())
                .withTrace(c.trace() == null ? null : OriginJson.trace(c.trace()))
                .withId(c.reservedHitId());
    }

    @Override
    public String getMailetInfo() {
        return "Trapline: store the trap hit as evidence (raw bytes, metadata, index)";
    }
}
