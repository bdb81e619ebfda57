package org.trapline.attribution.lookup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.trapline.attribution.session.SessionTarget;
import org.trapline.attribution.session.Session;
import org.trapline.attribution.session.SessionFreshness;
import org.trapline.attribution.session.SessionSpan;
import org.trapline.attribution.session.SessionStore;
import org.trapline.common.net.IpAddress;
import org.trapline.common.net.IpPrefix;

/**
 * Answers {@code (address, instant) -> Attribution} from the session store and the static assignments.
 * A session covers {@code [start - skew, end + skew]} where end is its stop, or for a session without
 * a Stop its last record plus the grace (bounded by a NAS reboot). Every answer sees the accounting
 * records acknowledged before it was asked for (through the {@link SessionFreshness} it is given).
 * Thread-safe.
 */
public final class AttributionLookup {
    /** More overlapping sessions than this for one address at one instant is data gone wrong: all are candidates anyway. */
    private static final int MAX_CANDIDATES = 32;

    private final SessionStore store;
    private final LookupSettings settings;
    private final StaticAssignments statics;
    private final SessionFreshness freshness;

    /** A lookup on a store that only this process writes directly (no accounting journal in front of it). */
    public AttributionLookup(SessionStore store, LookupSettings settings, StaticAssignments statics) {
        this(store, settings, statics, SessionFreshness.NONE);
    }

    /**
     * @param freshness waited on before every read, e.g. the server's
     *                  {@link org.trapline.attribution.journal.AccountingJournal}
     */
    public AttributionLookup(SessionStore store, LookupSettings settings, StaticAssignments statics, SessionFreshness freshness) {
        this.store = store;
        this.settings = settings;
        this.statics = statics;
        this.freshness = freshness;
    }

    /**
     * Reads the static assignments file named in the settings, if any.
     *
     * @throws UncheckedIOException     if the file cannot be read
     * @throws IllegalArgumentException for a bad line (file:line in the message)
     */
    public static AttributionLookup create(SessionStore store, LookupSettings settings) {
        return create(store, settings, SessionFreshness.NONE);
    }

    /** Like {@link #create(SessionStore, LookupSettings)}, reading only once {@code freshness} allows. */
    public static AttributionLookup create(SessionStore store, LookupSettings settings, SessionFreshness freshness) {
        try {
            StaticAssignments statics = settings.staticAssignments() == null ? StaticAssignments.none()
                    : StaticAssignments.load(settings.staticAssignments());
            return new AttributionLookup(store, settings, statics, freshness);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read static assignments " + settings.staticAssignments() + ": " + e.getMessage(), e);
        }
    }

    public Attribution lookup(IpAddress address, Instant at) {
        String text = address.toString();
        Optional<StaticAssignments.Assignment> fixed = statics.find(address);
        if (fixed.isPresent()) {
            return Attribution.fixed(text, at, fixed.get());
        }
        if (!isOurs(address)) {
            return Attribution.notOurs(text, at);
        }
        freshness.await();
        List<Long> coveringIds = store.spans(address, at.plus(settings.clockSkew()), MAX_CANDIDATES).stream()
                .filter(s -> covers(s, at)).map(SessionSpan::radAcctId).toList();
        List<Session> covering = store.sessions(coveringIds);
        return switch (covering.size()) {
            case 0 -> Attribution.noSession(text, at);
            case 1 -> Attribution.matched(text, at, covering.get(0));
            default -> Attribution.ambiguous(text, at, covering);
        };
    }

    /** Whether the address is in the subscriber networks (every address is when none are configured). */
    public boolean isOurs(IpAddress address) {
        if (settings.subscriberNetworks().isEmpty()) {
            return true;
        }
        for (IpPrefix p : settings.subscriberNetworks()) {
            if (p.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The subscriber's session that is alive now (newest without a Stop, within its grace): where an
     * action against them goes when the session a hit fell in has ended.
     */
    public Optional<SessionTarget> currentSession(String subscriber, Instant now) {
        freshness.await();
        return store.newestOpenSession(subscriber)
                .filter(s -> !now.isAfter(effectiveEnd(s).plus(settings.clockSkew())))
                .map(s -> SessionTarget.of(s.nasIpAddress(), s.acctSessionId(), s.userName(), s.framedIpAddress()));
    }

    /** The end of the session as far as attribution is concerned (before skew). */
    public Instant effectiveEnd(Session s) {
        return effectiveEnd(SessionSpan.of(s));
    }

    private Instant effectiveEnd(SessionSpan s) {
        Instant alive = s.lastUpdate().plus(settings.grace());
        if (s.stop() == null) {
            return alive;
        }
        if (s.stopSeen()) {
            return s.stop();
        }
        // Closed by a NAS reboot: it may have died long before the NAS came back.
        return s.stop().isBefore(alive) ? s.stop() : alive;
    }

    private boolean covers(SessionSpan s, Instant at) {
        return !at.isBefore(s.start().minus(settings.clockSkew())) && !at.isAfter(effectiveEnd(s).plus(settings.clockSkew()));
    }
}
