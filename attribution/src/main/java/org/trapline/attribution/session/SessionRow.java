package org.trapline.attribution.session;

import java.time.Instant;
import java.util.NavigableSet;

/**
 * A radacct row being merged with incoming records. Every field is combined so that the result does
 * not depend on the order records arrive in, nor on duplicates: start is the Start's time (or the
 * earliest estimate), last update the newest record, stop the Stop's time (or the first NAS reboot
 * after the last record), counters their maximum.
 */
final class SessionRow {
    long radAcctId; // 0 until inserted
    final String acctUniqueId;
    final String acctSessionId;
    final String nasIpAddress;
    String userName, framedIpAddress, framedIpv6Address, framedIpv6Prefix, delegatedIpv6Prefix;
    String callingStationId, calledStationId, nasPortId, acctClass, terminateCause, vendorAttributes;
    Instant start, lastUpdate, stop;
    Long sessionTime, inputOctets, outputOctets;
    boolean startSeen, stopSeen;
    boolean dirty;

    SessionRow(String acctUniqueId, String acctSessionId, String nasIpAddress) {
        this.acctUniqueId = acctUniqueId;
        this.acctSessionId = acctSessionId;
        this.nasIpAddress = nasIpAddress;
    }

    void merge(AccountingEvent e) {
        dirty = true;
        Instant t = e.eventTime();
        userName = first(userName, e.userName());
        framedIpAddress = first(framedIpAddress, e.framedIpAddress());
        framedIpv6Address = first(framedIpv6Address, e.framedIpv6Address());
        framedIpv6Prefix = first(framedIpv6Prefix, e.framedIpv6Prefix());
        delegatedIpv6Prefix = first(delegatedIpv6Prefix, e.delegatedIpv6Prefix());
        callingStationId = first(callingStationId, e.callingStationId());
        calledStationId = first(calledStationId, e.calledStationId());
        nasPortId = first(nasPortId, e.nasPortId());
        acctClass = first(acctClass, e.acctClass());
        vendorAttributes = first(vendorAttributes, e.vendorAttributes());
        sessionTime = max(sessionTime, e.sessionTime());
        inputOctets = max(inputOctets, e.inputOctets());
        outputOctets = max(outputOctets, e.outputOctets());

        if (e.status() == AccountingStatus.START) {
            start = startSeen ? earlier(start, t) : t;
            startSeen = true;
        } else if (!startSeen) {
            // Without the Start, the session began Acct-Session-Time before this record, or at least
            // no later than the record itself.
            Instant estimate = e.sessionTime() == null ? t : t.minusSeconds(e.sessionTime());
            start = earlier(start, estimate);
        }
        lastUpdate = later(lastUpdate, t);
        if (e.status() == AccountingStatus.STOP) {
            if (!stopSeen) {
                stop = t;
                terminateCause = e.terminateCause();
                stopSeen = true;
            } else if (t.isBefore(stop)) {
                stop = t;
            }
            lastUpdate = later(lastUpdate, t);
        }
    }

    /**
     * Folds in a row that was itself folded from records that came after this row's: the same result as
     * merging those records one by one (so a bulk load, which folds a session's records in memory
     * before it touches the store, leaves the rows the record-by-record path leaves).
     */
    void absorb(SessionRow later) {
        dirty = true;
        userName = first(userName, later.userName);
        framedIpAddress = first(framedIpAddress, later.framedIpAddress);
        framedIpv6Address = first(framedIpv6Address, later.framedIpv6Address);
        framedIpv6Prefix = first(framedIpv6Prefix, later.framedIpv6Prefix);
        delegatedIpv6Prefix = first(delegatedIpv6Prefix, later.delegatedIpv6Prefix);
        callingStationId = first(callingStationId, later.callingStationId);
        calledStationId = first(calledStationId, later.calledStationId);
        nasPortId = first(nasPortId, later.nasPortId);
        acctClass = first(acctClass, later.acctClass);
        vendorAttributes = first(vendorAttributes, later.vendorAttributes);
        sessionTime = max(sessionTime, later.sessionTime);
        inputOctets = max(inputOctets, later.inputOctets);
        outputOctets = max(outputOctets, later.outputOctets);
        if (later.startSeen) {
            // The first Start replaces every estimate; later Starts can only move it earlier.
            start = startSeen ? earlier(start, later.start) : later.start;
            startSeen = true;
        } else if (!startSeen) {
            start = earlier(start, later.start);
        }
        lastUpdate = later(lastUpdate, later.lastUpdate);
        if (later.stopSeen) {
            if (!stopSeen) {
                stop = later.stop;
                terminateCause = later.terminateCause;
                stopSeen = true;
            } else {
                stop = earlier(stop, later.stop);
            }
        }
    }

    /** Without a Stop, the session ended at the first reboot of its NAS after its last record. */
    void applyReboots(NavigableSet<Instant> reboots) {
        if (stopSeen) {
            return;
        }
        Instant reboot = reboots == null ? null : reboots.ceiling(lastUpdate);
        if (reboot == null ? stop != null : !reboot.equals(stop)) {
            stop = reboot;
            terminateCause = reboot == null ? null : "NAS-Reboot";
            dirty = true;
        }
    }

    Session toSession() {
        return new Session(radAcctId, acctUniqueId, acctSessionId, userName, nasIpAddress, framedIpAddress,
                framedIpv6Address, framedIpv6Prefix, delegatedIpv6Prefix, start, lastUpdate, stop, terminateCause,
                callingStationId, acctClass, startSeen, stopSeen);
    }

    private static String first(String old, String fresh) {
        return old != null ? old : fresh;
    }

    private static Long max(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
