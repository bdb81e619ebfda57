package org.trapline.evidence.hit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.trapline.evidence.CaseSummary;
import org.trapline.evidence.StoredHit;
import org.trapline.evidence.raw.RawLocation;

/**
 * The hits' rows: one per trap hit, unique by intake key, with where its raw message is kept; the ids
 * handed out to hits; the evidence journal. This is the contract the evidence store is built on; how a
 * dialect keeps it is {@link SqlHitStore} with the dialect's resources, {@code sql/evidence/<dialect>.sql}
 * and {@code db/evidence/<dialect>/}; H2's is {@link H2Evidence}, PostgreSQL's {@link PostgresEvidence}. Thread-safe.
 */
public interface HitStore extends AutoCloseable {
    /**
     * A hit id not handed out before, also across crashes: a crash may leave a gap in the ids, never an id
     * used twice.
     */
    long nextId();

    /** Result of {@link #insertOnce}: the row's id and whether this call inserted it. */
    record Inserted(long id, boolean isNew) {
    }

    /**
     * Inserts the hit under {@code id} unless its intake key is already there; either way returns the
     * row's id (a replay's row keeps the id it was first stored with). The row is committed when this
     * returns. The trap MX records every hit through here: the unique intake key, not a prior look-up, is
     * what makes a replay harmless.
     */
    Inserted insertOnce(long id, HitRow row, Instant recordedAt);

    /**
     * Where a kept copy of the message with that hash is, if any hit still keeps one: the same bytes are
     * stored once.
     */
    Optional<RawLocation> keptCopy(String sha256);

    /** Writes what is committed to the file and forces it to the disk. */
    void syncToDisk();

    Optional<Long> idByIntakeKey(String intakeKey);

    Optional<StoredHit> find(long id);

    Optional<StoredHit> findByIntakeKey(String intakeKey);

    long count();

    /** Hits of one subscriber, oldest first. */
    List<StoredHit> bySubscriber(String subscriber);

    /** Every hit id, ascending. */
    long[] allIds();

    /** Streams every hit in id order (for reindexing), a page at a time so memory stays flat. */
    void forEach(Consumer<StoredHit> action);

    /** Hits by id (any order), missing ids skipped. */
    List<StoredHit> findAll(long[] ids);

    /** Hits received before the cutoff whose raw body is still kept, by id, at most {@code limit}. */
    List<StoredHit> withRawReceivedBefore(Instant cutoff, int limit);

    void markRawPurged(long id, Instant at);

    /** The hit's raw message, unless retention purged it (or it was lost before a layout change). */
    Optional<RawCopy> rawCopy(long id);

    /** Points a hit at another copy of its raw message (its own was lost, or moved from an old layout). */
    void moveRaw(long id, RawLocation at);

    /** Whether any hit still keeping its raw body points at that copy. */
    boolean rawStillNeeded(RawCopy copy);

    /** Packs that hold at least one raw message a hit still keeps. */
    Set<Long> livePacks();

    /** Ids and hashes of hits whose raw message has no pack location yet (kept in an older layout). */
    Map<Long, String> withoutPack(long afterId, int limit);

    void delete(long id);

    /** Hit count and time span of one subscriber, then per day and per session. */
    CaseSummary caseSummary(String subscriber);

    /** Every hit, by id, a page at a time. */
    List<StoredHit> page(long afterId, int limit);

    /** One subscriber's hits, by id, a page at a time. */
    List<StoredHit> page(String subscriber, long afterId, int limit);

    /** Puts a removal of evidence on record; returns the journal entry's id. */
    long appendJournal(Instant at, String action, String target, String actor, long hits, String detail);

    /** The newest journal entries first. */
    List<JournalEntry> journal(int limit);

    @Override
    void close();
}
