package org.trapline.mailets.spool;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the SMTP transaction told us besides the message bytes: the envelope and the connection our MX
 * saw. The client address and HELO come from the connection itself, never from header text.
 *
 * @param sender     envelope sender (MAIL FROM) as given, {@code ""} for the null sender {@code <>}
 * @param recipients trap recipients accepted with RCPT TO, in order
 * @param clientIp   address of the SMTP client as seen by our MX
 * @param clientHelo HELO/EHLO argument of the client, {@code ""} when none was given
 * @param receivedAt when our MX accepted the DATA
 * @param hitId      the hit id reserved for this message at intake, or 0 in a record written before ids were
 *                   reserved at intake (the evidence store then gives it one)
 */
public record Envelope(String sender, List<String> recipients, String clientIp, String clientHelo, Instant receivedAt, long hitId) {
    /** An envelope without a reserved hit id. */
    public Envelope(String sender, List<String> recipients, String clientIp, String clientHelo, Instant receivedAt) {
        this(sender, recipients, clientIp, clientHelo, receivedAt, 0);
    }

    public Envelope {
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(clientIp, "clientIp");
        Objects.requireNonNull(clientHelo, "clientHelo");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
