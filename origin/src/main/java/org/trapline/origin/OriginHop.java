package org.trapline.origin;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * The client that handed the message to our trusted boundary: its address, the names the trusted
 * receiver recorded for it, the receiver, and the handoff time from the receiver's own header (or
 * our MX's clock for the live connection); {@code time} is null when that header has no usable date.
 */
public record OriginHop(String ip, String rdns, String helo, String by, OffsetDateTime time) {

    public OriginHop {
        Objects.requireNonNull(ip, "ip");
        rdns = Objects.requireNonNullElse(rdns, "");
        helo = Objects.requireNonNullElse(helo, "");
        by = Objects.requireNonNullElse(by, "");
    }

    static OriginHop of(Relay r) {
        return new OriginHop(r.ip(), r.rdns(), r.helo(), r.by(), r.time());
    }
}
