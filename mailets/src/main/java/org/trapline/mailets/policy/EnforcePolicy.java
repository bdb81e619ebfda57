package org.trapline.mailets.policy;

import java.time.Instant;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.attribution.lookup.Attribution;
import org.trapline.attribution.session.SessionTarget;
import org.trapline.enforcement.ActionRecord;
import org.trapline.enforcement.Enforcer;
import org.trapline.enforcement.HitAttribution;
import org.trapline.enforcement.StrikeHit;
import org.trapline.mailets.trapcase.CaseAttribute;
import org.trapline.mailets.trapcase.CaseAttribute.MissingTrapCase;
import org.trapline.mailets.trapcase.TrapCase;
import org.trapline.origin.OriginHop;

/**
 * Hands a stored trap hit to the strike policy ({@link Enforcer}): an attributed hit may earn its
 * subscriber a strike and a block (CoA, ACL, notice, each in the mode configured: auto, review or
 * dry-run); an unattributed one is only listed for review, and so is one that was never looked up
 * because it had no origin hop or no usable time (NO_ORIGIN, UNDATED: a trace or clock fault staff should
 * see), none of them counted or acted on; one sent only to the domainless postmaster is not handed over
 * at all. Runs after {@code RecordTrapHit}, so the evidence exists before any action
 * cites it. A policy failure is logged and never loses the hit.
 *
 * <p>Configuration: {@code <caseAttribute>} names the mail attribute holding the {@link TrapCase}, default
 * {@value CaseAttribute#DEFAULT}. The evidence is stored by now, so a mail without a case there, or whose
 * case has no hit id, is logged as an error in one line and goes on (its spool copy is released as usual);
 * no policy is run for it.
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.policy.EnforcePolicy">
 *   <caseAttribute>trapline.case</caseAttribute>
 * </mailet>
 * }</pre>
 */
public class EnforcePolicy extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(EnforcePolicy.class);

    private final Enforcer enforcer;
    private CaseAttribute caseAttribute;

    @Inject
    public EnforcePolicy(Enforcer enforcer) {
        this.enforcer = enforcer;
    }

    @Override
    public void init() {
        caseAttribute = CaseAttribute.configured(this);
    }

    @Override
    public void service(Mail mail) {
        TrapCase trapCase;
        try {
            trapCase = caseAttribute.read(mail);
        } catch (MissingTrapCase e) {
            LOG.error("strike policy skipped: {}", e.getMessage());
            return;
        }
        if (trapCase.toPostmasterOnly()) {
            // Mail for the MX's operator (RFC 5321 4.5.1), not for a trap: evidence, never a strike.
            LOG.info("trap hit #{} went only to the domainless postmaster: kept, not handed to the strike policy",
                    trapCase.hitId() == 0 ? "?" : trapCase.hitId());
            return;
        }
        if (trapCase.hitId() == 0) {
            LOG.error("strike policy skipped for trap hit {}: its case has no stored hit id (is RecordTrapHit before EnforcePolicy?)",
                    trapCase.shortKey());
            return;
        }
        Optional<StrikeHit> hit = strikeHit(trapCase);
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
    static Optional<StrikeHit> strikeHit(TrapCase c) {
        String status = c.attributionStatus();
        if (c.hitId() == 0 || status == null) {
            return Optional.empty();
        }
        HitAttribution kind;
        try {
            kind = HitAttribution.valueOf(status);
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
        String id = Long.toString(c.hitId());
        Optional<OriginHop> origin = c.origin();
        String ip = origin.map(OriginHop::ip).orElse(null);
        if (kind.fault()) {
            return Optional.of(StrikeHit.unattributed(id, c.receivedAt(), ip, kind));
        }
        if (origin.isEmpty() || origin.get().time() == null) {
            return Optional.empty();
        }
        Instant at = origin.get().time().toInstant();
        String subscriber = c.subscriber().orElse(null);
        return Optional.of(switch (kind) {
            case MATCHED -> {
                Attribution a = c.attribution();
                yield StrikeHit.matched(id, at, ip, subscriber, SessionTarget.of(
                        a.session() == null ? null : a.session().nasIpAddress(),
                        a.session() == null ? null : a.session().acctSessionId(), subscriber, ip));
            }
            case STATIC -> StrikeHit.fixedAddress(id, at, ip, subscriber);
            default -> StrikeHit.unattributed(id, at, ip, kind);
        });
    }

    @Override
    public String getMailetInfo() {
        return "Trapline: strike policy and enforcement for an attributed trap hit";
    }
}
