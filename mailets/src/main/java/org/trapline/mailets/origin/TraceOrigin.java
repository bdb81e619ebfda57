package org.trapline.mailets.origin;

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
import org.trapline.mailets.trapcase.CaseAttribute;
import org.trapline.mailets.trapcase.TrapCase;
import org.trapline.origin.ClientConnection;
import org.trapline.origin.HeaderSource;
import org.trapline.origin.OriginHop;
import org.trapline.origin.OriginTracer;
import org.trapline.origin.Trace;

/**
 * Finds the origin hop of a trap hit (see {@link OriginTracer}) and adds the trace to its {@link TrapCase}:
 * the origin client's address, the HELO and the time its trusted receiver recorded (no origin when the
 * message never crossed our boundary, no time when that header has no usable date). Our MX's view of the
 * client (the case's client address and HELO, and its acceptance time) is the newest hop; header text
 * never overrides it.
 *
 * <p>Configuration: {@code <caseAttribute>} names the mail attribute holding the case, default
 * {@value CaseAttribute#DEFAULT}. A mail without a case there fails to the {@code error} processor, which
 * quarantines it.
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.origin.TraceOrigin">
 *   <caseAttribute>trapline.case</caseAttribute>
 * </mailet>
 * }</pre>
 */
public class TraceOrigin extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(TraceOrigin.class);
    private static final int LOGGED_TEXT = 80;

    private final OriginTracer tracer;
    private CaseAttribute caseAttribute;

    @Inject
    public TraceOrigin(OriginTracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public void init() {
        caseAttribute = CaseAttribute.configured(this);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        TrapCase trapCase = caseAttribute.read(mail);
        MimeMessage message = mail.getMessage();
        HeaderSource headers = name -> {
            try {
                String[] values = message.getHeader(name);
                return values == null ? List.of() : Arrays.asList(values);
            } catch (MessagingException e) {
                return List.of();
            }
        };
        ClientConnection connection = new ClientConnection(trapCase.clientIp(), trapCase.clientHelo(), "",
                trapCase.receivedAt().atOffset(ZoneOffset.UTC));
        Trace trace = tracer.trace(headers, connection);
        caseAttribute.write(mail, trapCase.withTrace(trace));
        // RecordTrapHit logs the hit's one INFO line, with the origin; this detail is for debugging.
        LOG.debug("trap hit {} to {} via {}: origin {}", trapCase.shortKey(), trapCase.recipients(), connection.ip(),
                trace.origin().map(TraceOrigin::describe).orElse("none (no untrusted hop)"));
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
