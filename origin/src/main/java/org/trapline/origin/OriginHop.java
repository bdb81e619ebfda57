package org.trapline.origin;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * The client that handed the message to our trusted boundary: its address, the names the trusted
 * receiver recorded for it, the receiver, and the handoff time from the receiver's own header (or
 * our MX's clock for the live connection); {@code time} is null when that header has no usable date.
 * {@code port} is the client's source port (our MX's socket, or what the trusted receiver wrote), or
 * {@link Endpoint#UNKNOWN_PORT} (0) when nobody recorded it.
 */
public record OriginHop(String ip, int port, String rdns, String helo, String by, OffsetDateTime time) {

    public OriginHop {
        Objects.requireNonNull(ip, "ip");
        Endpoint.checked(port);
        rdns = Objects.requireNonNullElse(rdns, "");
        helo = Objects.requireNonNullElse(helo, "");
        by = Objects.requireNonNullElse(by, "");
    }

    /** An origin whose source port is unknown. */
    public OriginHop(String ip, String rdns, String helo, String by, OffsetDateTime time) {
        this(ip, Endpoint.UNKNOWN_PORT, rdns, helo, by, time);
    }

    static OriginHop of(Relay r) {
        return new OriginHop(r.ip(), r.port(), r.rdns(), r.helo(), r.by(), r.time());
    }

    /** {@code ip:port} ({@code [ipv6]:port}), or the address alone when the port is unknown. */
    public String endpoint() {
        return Endpoint.of(ip, port);
    }
}
