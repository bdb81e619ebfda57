package org.trapline.attribution.session;

import java.time.Instant;

/**
 * One row of the radacct table: a subscriber's access session as far as accounting told us.
 *
 * @param start       Acct start time; estimated from the first record's Acct-Session-Time when the Start never came
 * @param lastUpdate  time of the newest record seen for the session
 * @param stop        stop time, or null while the session is open
 * @param startSeen   whether the Start record itself was seen (false: start is an estimate)
 * @param stopSeen    whether a Stop record was seen (false with a stop time: closed by Accounting-On/Off)
 */
public record Session(
        long radAcctId,
        String acctUniqueId,
        String acctSessionId,
        String userName,
        String nasIpAddress,
        String framedIpAddress,
        String framedIpv6Address,
        String framedIpv6Prefix,
        String delegatedIpv6Prefix,
        Instant start,
        Instant lastUpdate,
        Instant stop,
        String terminateCause,
        String callingStationId,
        String acctClass,
        boolean startSeen,
        boolean stopSeen) {

    public boolean isOpen() {
        return stop == null;
    }
}
