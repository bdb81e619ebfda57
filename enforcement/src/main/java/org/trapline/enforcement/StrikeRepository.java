package org.trapline.enforcement;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The strike store: each subscriber's standing ({@link StrikeState}), the attributed hits counted
 * against them, and the hits that named nobody. One instance works inside one transaction of its
 * {@link PolicyStore}; what it locks stays locked until that transaction ends (see there for the order).
 */
interface StrikeRepository {

    /**
     * The subscriber's standing, locked against every other decision about them, in this process or
     * another, until this transaction ends; empty when the policy never saw them (nothing is locked then).
     */
    Optional<StrikeState> lock(String subscriber);

    /**
     * The same for a subscriber a hit names: one seen for the first time is added first, so there is a
     * row to lock. Of two first hits at once, one adds the row and the other waits for it and locks it next.
     */
    StrikeState lockOrAdd(String subscriber, Instant now);

    /** The standing as last committed, nothing locked (for staff and for notices). */
    Optional<StrikeState> find(String subscriber);

    /** Keeps the standing of a subscriber locked in this transaction. */
    void save(StrikeState state, Instant now);

    /** Whether a hit with this id was counted already (a replay counts once). */
    boolean counted(String hitId);

    /** Counts an attributed hit against its subscriber. */
    void count(StrikeHit hit);

    /** The subscriber's counted hits with {@code after < at <= until}, oldest first. */
    List<CountedHit> hitsWithin(String subscriber, Instant after, Instant until);

    /** How many of the subscriber's counted hits are later than {@code after}. */
    int hitsSince(String subscriber, Instant after);

    /** The counted hits of these ids that are still kept, oldest first. */
    List<CountedHit> hits(Collection<String> hitIds);

    /** Forgets counted hits older than {@code before}. */
    void forgetHitsBefore(Instant before);

    /**
     * Subscribers whose block (not a suspension) ended by {@code now}, in the order their rows are
     * locked in when several are decided in one transaction.
     */
    List<String> blockEndedBy(Instant now);

    /**
     * Addresses to block at routers at {@code now}: those exported for fixed-address customers, and with
     * {@code withSessions} the last address of blocked subscribers whose actions are not held for review.
     */
    List<BlockedAddress> blockedAddresses(Instant now, boolean withSessions);

    /** Keeps a hit that named nobody for staff review (a replay is kept once). */
    void recordUnattributed(StrikeHit hit, Instant now);

    /** Hits that named nobody, newest first. */
    List<UnattributedHit> unattributed(int limit);

    /** Hits that named nobody for one of the reasons {@code of}, newest first. */
    List<UnattributedHit> unattributed(Set<HitAttribution> of, int limit);
}
