package org.trapline.server.james;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.trapline.mailets.trap.DomainlessPostmaster;

/**
 * The Received header Trapline's MX puts on top of every message, as RFC 5321 4.4 has it:
 *
 * <pre>
 * Received: from bot.example ([192.0.2.7])
 *         by trap.example.net (Trapline) with ESMTP id Mail1764...-4f1c...
 *         for &lt;victim@trap.example.net&gt;; Tue, 24 Nov 2026 03:12:00 +0000
 * </pre>
 *
 * From the client's HELO/EHLO name when that is a domain or an address literal, else its address
 * literal (a bot's HELO may be anything; the raw HELO is kept with the hit); the client's address as our
 * socket saw it, never looked up in the DNS; our host; ESMTP, ESMTPS (TLS, RFC 3848) or SMTP; James's
 * mail id; the recipient when there is exactly one (and it is not the domainless postmaster); the time in UTC. The trace of the origin hop reads the
 * client address and time from this header, so both are the connection's own, never taken from the client.
 */
final class ReceivedHeader {
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,255}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern ADDRESS_LITERAL = Pattern.compile(
            "\\[(\\d{1,3}(\\.\\d{1,3}){3}|IPv6:[0-9A-Fa-f:.]{2,45})]");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US)
            .withZone(ZoneOffset.UTC);

    private ReceivedHeader() {
    }

    /** The header, each line ended with {@code lineEnding} (the client's own, so the message stays consistent). */
    static String of(SMTPSession session, String mailId, Instant at, String lineEnding) {
        String address = addressLiteral(session.getRemoteAddress().getAddress());
        String helo = session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection).orElse("");
        String from = DOMAIN.matcher(helo).matches() || ADDRESS_LITERAL.matcher(helo).matches() ? helo : address;
        List<MailAddress> rcpts = session.getAttachment(SMTPSession.RCPT_LIST, ProtocolSession.State.Transaction).orElse(List.of());
        // Not for the domainless postmaster: "for" wants a mailbox, and domainless.invalid is ours, not the client's.
        String forClause = rcpts.size() == 1 && !DomainlessPostmaster.is(rcpts.get(0))
                ? lineEnding + "\tfor <" + rcpts.get(0).asString() + ">" : "";
        return "Received: from " + from + " (" + address + ")" + lineEnding
                + "\tby " + session.getConfiguration().getHelloName() + " (Trapline) with " + protocol(session) + " id " + mailId
                + forClause + "; " + DATE.format(at) + lineEnding;
    }

    private static String protocol(SMTPSession session) {
        boolean ehlo = "EHLO".equals(session.getAttachment(SMTPSession.CURRENT_HELO_MODE, ProtocolSession.State.Connection).orElse(""));
        if (!ehlo) {
            return "SMTP";
        }
        return session.isTLSStarted() ? "ESMTPS" : "ESMTP";
    }

    private static String addressLiteral(InetAddress address) {
        return address instanceof Inet6Address ? "[IPv6:" + address.getHostAddress() + "]" : "[" + address.getHostAddress() + "]";
    }
}
