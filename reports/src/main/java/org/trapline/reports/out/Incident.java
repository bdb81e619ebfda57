package org.trapline.reports.out;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One spam we report out, in plain values so the desk and enforcement can report without knowing each
 * other: where it came from, when our trap accepted it, its envelope and the message byte for byte.
 *
 * @param sourceIp       the origin address of the spam (canonical text), or null when the hit has none
 * @param sourcePort     the origin's SMTP client port, or 0 when unknown
 * @param arrival        when our MX accepted the message
 * @param mailFrom       MAIL FROM as given (empty for the null sender), or null; hostile text
 * @param rcptTo         the trap addresses it was sent to; hostile text
 * @param reportedDomain the domain the report is about (the envelope sender's), or null; hostile text
 * @param original       the message as our MX accepted it (owned by this value: not copied)
 * @param sha256         lowercase hex SHA-256 of {@code original}
 */
public record Incident(String sourceIp, int sourcePort, Instant arrival, String mailFrom, List<String> rcptTo,
                       String reportedDomain, byte[] original, String sha256) {
    public Incident {
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(original, "original");
        rcptTo = rcptTo == null ? List.of() : List.copyOf(rcptTo);
        if (sourcePort < 0 || sourcePort > 65535) {
            sourcePort = 0;
        }
    }

    /** The domain after the last {@code @} of an envelope sender, or null for none. */
    public static String domainOf(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        String d = at < 0 ? "" : address.substring(at + 1).strip();
        return d.isEmpty() ? null : d;
    }
}
