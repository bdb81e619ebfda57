package org.trapline.origin;

import java.time.OffsetDateTime;
import java.util.Objects;

import org.trapline.common.net.IpAddress;

/**
 * One SMTP handoff as a Received header (or our own MX's connection) records it: the client
 * {@code ip} that connected to the receiving host {@code by}. Text fields are never null (empty
 * when absent); {@code time} is null when the header carries no usable date.
 *
 * @param ip      client address in canonical form ({@link IpAddress#canonical}); mapped IPv6 is IPv4
 * @param rdns    client's reverse DNS name as the receiver looked it up ("" when unknown)
 * @param helo    HELO/EHLO name the client announced (as written; {@code [1.2.3.4]} stays bracketed)
 * @param by      receiving host
 * @param ident   RFC 1413 ident or account name the receiver recorded
 * @param envfrom envelope sender the receiver recorded, without angle brackets
 * @param id      receiver's queue or message id
 * @param auth    authentication evidence (e.g. ESMTPSA, HTTP, LOGIN, Sendmail, Postfix); "" when none
 * @param time    the receiver's timestamp with the header's own zone offset, or null
 */
public record Relay(String ip, String rdns, String helo, String by, String ident, String envfrom,
                    String id, String auth, OffsetDateTime time) {

    public Relay {
        Objects.requireNonNull(ip, "ip");
        rdns = Objects.requireNonNullElse(rdns, "");
        helo = Objects.requireNonNullElse(helo, "");
        by = Objects.requireNonNullElse(by, "");
        ident = Objects.requireNonNullElse(ident, "");
        envfrom = Objects.requireNonNullElse(envfrom, "");
        id = Objects.requireNonNullElse(id, "");
        auth = Objects.requireNonNullElse(auth, "");
    }

    /** A relay with only the client address and receiving host known. */
    public static Relay of(String ip, String by) {
        return new Relay(ip, "", "", by, "", "", "", "", null);
    }

    /** True when the receiver recorded authenticated submission (SMTP AUTH, webmail login, ...). */
    public boolean authenticated() {
        return !auth.isEmpty();
    }
}
