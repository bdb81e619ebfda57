package org.trapline.mailets.policy;

import static org.trapline.mailets.MailAttributes.string;

import java.time.OffsetDateTime;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.attribution.session.SessionTarget;
import org.trapline.enforcement.ActionRecord;
import org.trapline.enforcement.Enforcer;
import org.trapline.enforcement.HitAttribution;
import org.trapline.enforcement.StrikeHit;
import org.trapline.mailets.attribution.AttributeSubscriber;
import org.trapline.mailets.evidence.RecordTrapHit;
import org.trapline.mailets.origin.TraceOrigin;
import org.trapline.mailets.spool.IntakeKeys;
import org.trapline.mailets.trap.DomainlessPostmaster;

/**
 * Hands a stored trap hit to the strike policy ({@link Enforcer}): an attributed hit may earn its
 * subscriber a strike and a block (CoA, ACL, notice, each in the mode configured: auto, review or
 * dry-run); an unattributed one is only listed for review, and so is one that was never looked up
 * because it had no origin hop or no usable time (NO_ORIGIN, UNDATED: a trace or clock fault staff should
 * see), none of them counted or acted on; one sent only to the domainless postmaster
 * ({@link DomainlessPostmaster}) is not handed over at all. Runs after {@code RecordTrapHit}, so the
 * evidence exists before any action cites it. A policy failure is logged and never loses the hit.
 *
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.policy.EnforcePolicy"/>
 * }</pre>
 */
public class EnforcePolicy extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(EnforcePolicy.class);

    private final Enforcer enforcer;

    @Inject
    public EnforcePolicy(Enforcer enforcer) {
        this.enforcer = enforcer;
    }

    @Override
    public void service(Mail mail) {
        if (DomainlessPostmaster.only(mail)) {
            // Mail for the MX's operator (RFC 5321 4.5.1), not for a trap: evidence, never a strike.
            LOG.info("trap hit #{} went only to the domainless postmaster: kept, not handed to the strike policy",
                    string(mail, RecordTrapHit.HIT_ID).orElse("?"));
            return;
        }
        Optional<StrikeHit> hit = strikeHit(mail);
        if (hit.isEmpty()) {
            return;
        }
        try {
            for (ActionRecord action : enforcer.onHit(hit.get())) {
                // The operator's trail of every block: what, against whom, in which mode, with what answer.
                LOG.info("action #{} {} {} for {} ({}): {}{}", action.id(), action.type(), action.state(), action.subscriber(),
                        action.rule(), action.outcome() == null ? "" : action.outcome(),
                        action.errorCause() == null ? "" : " Error-Cause " + action.errorCause());
            }
        } catch (RuntimeException e) {
            // The evidence is stored; the next hit (or staff) can still act. Do not send the mail to error.
            LOG.error("strike policy failed for trap hit #{}: {}", hit.get().hitId(), e.toString());
        }
    }

    /**
     * The hit as the policy sees it; empty when it was not stored or not traced and attributed. A hit
     * with no origin hop or no usable time has no handoff time: it is listed at the time our MX accepted it.
     */
    static Optional<StrikeHit> strikeHit(Mail mail) {
        Optional<String> id = string(mail, RecordTrapHit.HIT_ID);
        Optional<String> status = string(mail, AttributeSubscriber.STATUS);
        if (id.isEmpty() || status.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> ip = string(mail, TraceOrigin.ORIGIN_IP);
        switch (status.get()) {
            case AttributeSubscriber.NO_ORIGIN:
                return IntakeKeys.receivedAt(mail).map(at -> StrikeHit.unattributed(id.get(), at, null, HitAttribution.NO_ORIGIN));
            case AttributeSubscriber.UNDATED:
                return IntakeKeys.receivedAt(mail).map(at -> StrikeHit.unattributed(id.get(), at, ip.orElse(null), HitAttribution.UNDATED));
            default:
                break;
        }
        Optional<String> time = string(mail, TraceOrigin.ORIGIN_TIME);
        if (ip.isEmpty() || time.isEmpty()) {
            return Optional.empty();
        }
        java.time.Instant at = OffsetDateTime.parse(time.get()).toInstant();
        String subscriber = string(mail, AttributeSubscriber.SUBSCRIBER).orElse(null);
        switch (status.get()) {
            case "MATCHED":
                return Optional.of(StrikeHit.matched(id.get(), at, ip.get(), subscriber, SessionTarget.of(
                        string(mail, AttributeSubscriber.NAS).orElse(null), string(mail, AttributeSubscriber.SESSION).orElse(null),
                        subscriber, ip.get())));
            case "STATIC":
                return Optional.of(StrikeHit.fixedAddress(id.get(), at, ip.get(), subscriber));
            case "AMBIGUOUS":
                return Optional.of(StrikeHit.unattributed(id.get(), at, ip.get(), HitAttribution.AMBIGUOUS));
            case "NO_SESSION":
                return Optional.of(StrikeHit.unattributed(id.get(), at, ip.get(), HitAttribution.NO_SESSION));
            case "NOT_OURS":
                return Optional.of(StrikeHit.unattributed(id.get(), at, ip.get(), HitAttribution.NOT_OURS));
            default:
                return Optional.empty();
        }
    }


    @Override
    public String getMailetInfo() {
        return "Trapline: strike policy and enforcement for an attributed trap hit";
    }
}
