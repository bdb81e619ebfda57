package org.trapline.mailets.origin;

import static org.trapline.mailets.MailAttributes.set;
import static org.trapline.mailets.MailAttributes.string;

import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.mailets.spool.IntakeKeys;
import org.trapline.origin.ClientConnection;
import org.trapline.origin.HeaderSource;
import org.trapline.origin.OriginHop;
import org.trapline.origin.OriginTracer;
import org.trapline.origin.Trace;
import org.trapline.origin.json.OriginJson;

/**
 * Finds the origin hop of a trap hit (see {@link OriginTracer}) and records it as mail attributes for the
 * mailets after it. Our MX's view of the client (James's remote address and the HELO it heard) is the
 * newest hop; header text never overrides it.
 *
 * <p>Attributes set (all Strings; the origin ones are absent when the message has no origin hop):
 * <ul>
 *   <li>{@value #ORIGIN_IP}: the origin client's address, canonical form</li>
 *   <li>{@value #ORIGIN_TIME}: ISO-8601 time the trusted receiver recorded, with its offset (absent if undated)</li>
 *   <li>{@value #ORIGIN_HELO}: the HELO the trusted receiver recorded for it</li>
 *   <li>{@value #TRACE}: the whole trace as JSON, in the shape {@code bin/trapline trace} prints</li>
 * </ul>
 * Logs one line per trap hit.
 *
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.origin.TraceOrigin"/>
 * }</pre>
 */
public class TraceOrigin extends GenericMailet {
    public static final String ORIGIN_IP = "trapline.origin.ip";
    public static final String ORIGIN_TIME = "trapline.origin.time";
    public static final String ORIGIN_HELO = "trapline.origin.helo";
    public static final String TRACE = "trapline.trace";

    private static final Logger LOG = LoggerFactory.getLogger(TraceOrigin.class);
    private static final int LOGGED_TEXT = 80;

    private final OriginTracer tracer;

    @Inject
    public TraceOrigin(OriginTracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        HeaderSource headers = name -> {
            try {
                String[] values = message.getHeader(name);
                return values == null ? List.of() : Arrays.asList(values);
            } catch (MessagingException e) {
                return List.of();
            }
        };
        String helo = string(mail, Mail.SMTP_HELO.asString()).orElse("");
        ClientConnection connection = new ClientConnection(mail.getRemoteAddr(), helo, "",
                IntakeKeys.receivedAt(mail).map(t -> t.atOffset(ZoneOffset.UTC)).orElse(null));
        Trace trace = tracer.trace(headers, connection);

        set(mail, TRACE, OriginJson.trace(trace));
        trace.origin().ifPresent(origin -> {
            set(mail, ORIGIN_IP, origin.ip());
            set(mail, ORIGIN_HELO, origin.helo());
            if (origin.time() != null) {
                set(mail, ORIGIN_TIME, origin.time().toString());
            }
        });
        // RecordTrapHit logs the hit's one INFO line, with the origin; this detail is for debugging.
        LOG.debug("trap hit {} to {} via {}: origin {}", IntakeKeys.of(mail).map(k -> k.substring(0, 12)).orElse("-"),
                mail.getRecipients(), connection.ip(), trace.origin().map(TraceOrigin::describe).orElse("none (no untrusted hop)"));
    }

    /** The origin hop of a hit as one short log text, from the attributes this mailet set. */
    public static String describe(Mail mail) {
        return string(mail, ORIGIN_IP).map(ip -> ip + " at " + string(mail, ORIGIN_TIME).orElse("unknown time"))
                .orElse("none (no untrusted hop)");
    }

    private static String describe(OriginHop o) {
        return o.ip() + " helo=" + shorten(o.helo()) + " at " + (o.time() == null ? "unknown time" : o.time());
    }

    /** HELO text is written by the spammer: keep log lines short and on one line. */
    private static String shorten(String s) {
        String oneLine = s.replaceAll("[\\p{Cntrl}]", "?");
        return oneLine.length() <= LOGGED_TEXT ? oneLine : oneLine.substring(0, LOGGED_TEXT) + "...";
    }


    @Override
    public String getMailetInfo() {
        return "Trapline: origin hop of a trap hit from the Received chain";
    }
}
