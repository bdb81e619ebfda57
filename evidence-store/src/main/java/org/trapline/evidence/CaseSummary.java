package org.trapline.evidence;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What the desk needs to talk to a subscriber: how many trap hits, on which days, in which
 * accounting sessions.
 */
public record CaseSummary(String subscriber, long hits, Instant first, Instant last, List<Day> days, List<Session> sessions) {
    /** Hits on one UTC day. */
    public record Day(LocalDate day, long hits) {
    }

    /**
     * Hits that fell in one accounting session and came from one address (a static customer's hits have no
     * session; a session's address is the same for all its hits unless the trace named another).
     */
    public record Session(String sessionId, String nasIp, String address, long hits, Instant first, Instant last) {
    }

    public CaseSummary {
        days = List.copyOf(days);
        sessions = List.copyOf(sessions);
    }
}
