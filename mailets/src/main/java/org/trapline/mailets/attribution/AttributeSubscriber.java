package org.trapline.mailets.attribution;

import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.trapline.attribution.lookup.Attribution;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.common.net.IpAddress;
import org.trapline.mailets.trapcase.CaseAttribute;
import org.trapline.mailets.trapcase.TrapCase;
import org.trapline.origin.OriginHop;

/**
 * Resolves the origin hop of a trap hit's {@link TrapCase} to the subscriber who held that address at that
 * time (see {@link AttributionLookup}) and adds the answer to the case: MATCHED, AMBIGUOUS, NO_SESSION,
 * NOT_OURS or STATIC with the whole answer (subscriber, session, NAS, candidates), or
 * {@value TrapCase#NO_ORIGIN} when the message has no origin hop, {@value TrapCase#UNDATED} when the
 * origin's receiver recorded no usable time. Never guesses: several candidate sessions give AMBIGUOUS,
 * which no later rule acts on.
 *
 * <p>Configuration: {@code <caseAttribute>} names the mail attribute holding the case, default
 * {@value CaseAttribute#DEFAULT}. A mail without a case there, or whose origin is not an IP literal, fails
 * to the {@code error} processor, which quarantines it.
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.attribution.AttributeSubscriber">
 *   <caseAttribute>trapline.case</caseAttribute>
 * </mailet>
 * }</pre>
 */
public class AttributeSubscriber extends GenericMailet {
    private final AttributionLookup lookup;
    private CaseAttribute caseAttribute;

    @Inject
    public AttributeSubscriber(AttributionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public void init() {
        caseAttribute = CaseAttribute.configured(this);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        TrapCase trapCase = caseAttribute.read(mail);
        Optional<OriginHop> origin = trapCase.origin();
        if (origin.isEmpty()) {
            caseAttribute.write(mail, trapCase.withoutAttribution(TrapCase.NO_ORIGIN));
            return;
        }
        if (origin.get().time() == null) {
            // Guessing a time could name whoever held the address at another moment: leave it to staff.
            caseAttribute.write(mail, trapCase.withoutAttribution(TrapCase.UNDATED));
            return;
        }
        Attribution a;
        try {
            a = lookup.lookup(IpAddress.parse(origin.get().ip()), origin.get().time().toInstant());
        } catch (IllegalArgumentException e) {
            throw new MessagingException("origin address is not an IP literal: " + origin.get().ip(), e);
        }
        caseAttribute.write(mail, trapCase.withAttribution(a));
    }

    @Override
    public String getMailetInfo() {
        return "Trapline: subscriber who held the origin address at the origin time";
    }
}
