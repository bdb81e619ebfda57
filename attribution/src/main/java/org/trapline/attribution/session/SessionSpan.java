package org.trapline.attribution.session;

import java.time.Instant;

/**
 * The part of a session that decides whether it covers an instant (see {@link Session} for the fields).
 */
public record SessionSpan(long radAcctId, Instant start, Instant lastUpdate, Instant stop, boolean stopSeen) {
    public static SessionSpan of(Session s) {
        return new SessionSpan(s.radAcctId(), s.start(), s.lastUpdate(), s.stop(), s.stopSeen());
    }
}
