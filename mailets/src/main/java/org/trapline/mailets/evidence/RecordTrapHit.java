package org.trapline.mailets.evidence;

import static org.trapline.mailets.MailAttributes.set;
import static org.trapline.mailets.MailAttributes.string;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.RecordResult;
import org.trapline.evidence.TrapHit;
import org.trapline.mailets.attribution.AttributeSubscriber;
import org.trapline.mailets.origin.TraceOrigin;
import org.trapline.mailets.spool.IntakeKeys;
import org.trapline.mailets.spool.QuarantineSpool;
import org.trapline.mailets.spool.RawMessage;
import org.trapline.mailets.spool.Spool;
import org.trapline.mailets.spool.SpooledMessage;

/**
 * Keeps the trap hit as evidence: the exact bytes our MX accepted (taken from the spool, so a replay
 * stores the same bytes under the same SHA-256) and one metadata row with what the mailets before it
 * found. Safe against a process crash when it returns; the disk flush is shared by the hits of an
 * interval and runs before their spool copies are released (see {@code SpoolReleaser}). Idempotent by
 * intake key: a replay after a crash never makes a second row. A store that cannot write fails the mail
 * but leaves it in the spool, so the next start replays it.
 *
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.evidence.RecordTrapHit"/>
 * }</pre>
 */
public class RecordTrapHit extends GenericMailet {
    /** Mail attribute (String): the evidence store's id of the hit, for the mailets after this one. */
    public static final String HIT_ID = "trapline.hit-id";

    private static final Logger LOG = LoggerFactory.getLogger(RecordTrapHit.class);

    private final EvidenceStore store;
    private final Spool spool;

    @Inject
    public RecordTrapHit(EvidenceStore store, Spool spool) {
        this.store = store;
        this.spool = spool;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        String key = IntakeKeys.of(mail).orElseThrow(() -> new MessagingException("mail " + mail.getName() + " has no intake key"));
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
        TrapHit hit = TrapHit.of(key, IntakeKeys.receivedAt(mail).orElse(Instant.now()), mail.getMaybeSender().asString(""),
                        mail.getRecipients().stream().map(MailAddress::asString).toList())
                .withClient(string(mail, Mail.SMTP_HELO.asString()).orElse(""), mail.getRemoteAddr())
                .withOrigin(string(mail, TraceOrigin.ORIGIN_IP).orElse(null),
                        string(mail, TraceOrigin.ORIGIN_TIME).map(t -> OffsetDateTime.parse(t).toInstant()).orElse(null),
                        string(mail, TraceOrigin.ORIGIN_HELO).orElse(null))
                .withAttribution(string(mail, AttributeSubscriber.STATUS).orElse(null),
                        string(mail, AttributeSubscriber.SUBSCRIBER).orElse(null),
                        string(mail, AttributeSubscriber.SESSION).orElse(null),
                        string(mail, AttributeSubscriber.NAS).orElse(null))
                .withTrace(string(mail, TraceOrigin.TRACE).orElse(null))
                .withId(IntakeKeys.reservedHitId(mail));
        RecordResult result;
        try {
            result = store.recordDeferringSync(hit, raw);
        } catch (RuntimeException e) {
            // The store, not the message, is at fault (disk full, read-only): keep the spooled copy for a
            // replay instead of quarantining a perfectly good hit.
            set(mail, QuarantineSpool.KEEP_SPOOLED, e.toString());
            throw new MessagingException("cannot store trap hit " + key + ": " + e.getMessage(), e);
        }
        set(mail, HIT_ID, Long.toString(result.hitId()));
        // The hit's one line at INFO: what the desk greps for when a customer calls.
        LOG.info("trap hit {} stored as #{}{}: to {} via {}, origin {}: {} {}", key.substring(0, 12), result.hitId(),
                result.isNew() ? "" : " (replay, already stored)", mail.getRecipients(), mail.getRemoteAddr(),
                TraceOrigin.describe(mail), string(mail, AttributeSubscriber.STATUS).orElse("-"),
                string(mail, AttributeSubscriber.SUBSCRIBER).orElse(""));
    }

    @Override
    public String getMailetInfo() {
        return "Trapline: store the trap hit as evidence (raw bytes, metadata, index)";
    }
}
