package org.trapline.attribution.session;

import java.time.Instant;

/** Accounting records for tests, in the shape a BRAS sends them. */
public final class Events {
    public static final String NAS = "192.0.2.1";
    public static final Instant T0 = Instant.parse("2025-11-23T12:00:00Z");

    private Events() {
    }

    public static Instant at(long secondsAfterT0) {
        return T0.plusSeconds(secondsAfterT0);
    }

    public static AccountingEvent.Builder record(AccountingStatus status, String sessionId, String user, String ip, long atSeconds) {
        return AccountingEvent.builder(status, NAS).acctSessionId(sessionId).userName(user).framedIpAddress(ip)
                .eventTimestamp(at(atSeconds)).receivedAt(at(atSeconds));
    }

    public static AccountingEvent start(String sessionId, String user, String ip, long at) {
        return record(AccountingStatus.START, sessionId, user, ip, at).build();
    }

    public static AccountingEvent interim(String sessionId, String user, String ip, long at, long sessionTime) {
        return record(AccountingStatus.INTERIM_UPDATE, sessionId, user, ip, at).sessionTime(sessionTime).build();
    }

    public static AccountingEvent stop(String sessionId, String user, String ip, long at, long sessionTime) {
        return record(AccountingStatus.STOP, sessionId, user, ip, at).sessionTime(sessionTime).terminateCause("User-Request").build();
    }

    public static AccountingEvent nas(AccountingStatus status, long at) {
        return AccountingEvent.builder(status, NAS).eventTimestamp(at(at)).receivedAt(at(at)).build();
    }
}
