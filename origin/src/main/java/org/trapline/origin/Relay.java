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
 * @param port    client's source port as the receiver recorded it ({@code [ip]:port}, Exim's
 *                {@code ip.port} and {@code port=N}), or {@link Endpoint#UNKNOWN_PORT} (0) when the
 *                header gives none
 * @param rdns    client's reverse DNS name as the receiver looked it up ("" when unknown)
 * @param helo    HELO/EHLO name the client announced (as written; {@code [1.2.3.4]} stays bracketed)
 * @param by      receiving host
 * @param ident   RFC 1413 ident or account name the receiver recorded
 * @param envfrom envelope sender the receiver recorded, without angle brackets
 * @param id      receiver's queue or message id
 * @param auth    authentication evidence (e.g. ESMTPSA, HTTP, LOGIN, Sendmail, Postfix); "" when none
 * @param time    the receiver's timestamp with the header's own zone offset, or null
 */
public record Relay(String ip, int port, String rdns, String helo, String by, String ident, String envfrom,
                    String id, String auth, OffsetDateTime time) {

    public Relay {
        Objects.requireNonNull(ip, "ip");
        Endpoint.checked(port);
        rdns = Objects.requireNonNullElse(rdns, "");
        helo = Objects.requireNonNullElse(helo, "");
        by = Objects.requireNonNullElse(by, "");
        ident = Objects.requireNonNullElse(ident, "");
        envfrom = Objects.requireNonNullElse(envfrom, "");
        id = Objects.requireNonNullElse(id, "");
        auth = Objects.requireNonNullElse(auth, "");
    }

    /** A relay whose client's source port is unknown. */
    public Relay(String ip, String rdns, String helo, String by, String ident, String envfrom,
                 String id, String auth, OffsetDateTime time) {
        this(ip, Endpoint.UNKNOWN_PORT, rdns, helo, by, ident, envfrom, id, auth, time);
    }

    /** A relay with only the client address and receiving host known. */
    public static Relay of(String ip, String by) {
        return new Relay(ip, "", "", by, "", "", "", "", null);
    }

    /** {@code ip:port} ({@code [ipv6]:port}), or the address alone when the port is unknown. */
    public String endpoint() {
        return Endpoint.of(ip, port);
    }

    /** True when the receiver recorded authenticated submission (SMTP AUTH, webmail login, ...). */
    public boolean authenticated() {
        return !auth.isEmpty();
    }
}
