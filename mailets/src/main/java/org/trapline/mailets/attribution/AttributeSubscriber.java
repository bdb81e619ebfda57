package org.trapline.mailets.attribution;

import static org.trapline.mailets.MailAttributes.set;
import static org.trapline.mailets.MailAttributes.string;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.trapline.attribution.lookup.Attribution;
import org.trapline.attribution.lookup.AttributionJson;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.common.net.IpAddress;
import org.trapline.mailets.origin.TraceOrigin;

/**
 * Resolves the origin hop that {@link TraceOrigin} found to the subscriber who held that address at that
 * time (see {@link AttributionLookup}) and records the answer as mail attributes. Never guesses: several
 * candidate sessions give AMBIGUOUS, which no later rule acts on.
 *
 * <p>Attributes set (Strings):
 * <ul>
 *   <li>{@value #STATUS}: MATCHED, AMBIGUOUS, NO_SESSION, NOT_OURS, STATIC; or {@value #NO_ORIGIN} when the
 *       message has no origin hop, {@value #UNDATED} when the origin's receiver recorded no usable time</li>
 *   <li>{@value #SUBSCRIBER}, {@value #SESSION} (Acct-Session-Id), {@value #NAS} (NAS-IP-Address): only when
 *       one subscriber is named</li>
 *   <li>{@value #ATTRIBUTION}: the whole answer as JSON, as {@code bin/trapline who} prints it</li>
 * </ul>
 *
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.attribution.AttributeSubscriber"/>
 * }</pre>
 */
public class AttributeSubscriber extends GenericMailet {
    public static final String STATUS = "trapline.attribution.status";
    public static final String SUBSCRIBER = "trapline.attribution.subscriber";
    public static final String SESSION = "trapline.attribution.session";
    public static final String NAS = "trapline.attribution.nas";
    public static final String ATTRIBUTION = "trapline.attribution";
    public static final String NO_ORIGIN = "NO_ORIGIN";
    public static final String UNDATED = "UNDATED";

    private final AttributionLookup lookup;

    @Inject
    public AttributeSubscriber(AttributionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<String> ip = string(mail, TraceOrigin.ORIGIN_IP);
        if (ip.isEmpty()) {
            set(mail, STATUS, NO_ORIGIN);
            return;
        }
        Optional<Instant> at = string(mail, TraceOrigin.ORIGIN_TIME).map(t -> OffsetDateTime.parse(t).toInstant());
        if (at.isEmpty()) {
            // Guessing a time could name whoever held the address at another moment: leave it to staff.
            set(mail, STATUS, UNDATED);
            return;
        }
        Attribution a;
        try {
            a = lookup.lookup(IpAddress.parse(ip.get()), at.get());
        } catch (IllegalArgumentException e) {
            throw new MessagingException("origin address is not an IP literal: " + ip.get(), e);
        }
        set(mail, STATUS, a.status().name());
        set(mail, ATTRIBUTION, AttributionJson.toJson(a));
        if (a.subscriber() != null) {
            set(mail, SUBSCRIBER, a.subscriber());
        }
        if (a.session() != null) {
            set(mail, SESSION, a.session().acctSessionId());
            set(mail, NAS, a.session().nasIpAddress());
        }
    }



    @Override
    public String getMailetInfo() {
        return "Trapline: subscriber who held the origin address at the origin time";
    }
}
