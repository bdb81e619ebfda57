package org.trapline.evidence.hit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.common.sql.Statements;

/**
 * Hands out hit ids, each once, also across crashes: ids come from blocks reserved in the evidence
 * database, and a block is on disk before its first id is handed out. A crash leaves the rest of a block
 * unused (a gap in the ids), and the block reserved after it, never an id used twice. Thread-safe.
 *
 * <p>The MX takes an id for every message on the thread that serves the session, so {@link #next} must
 * not wait for the database: reserving a block (an H2 transaction and a {@code CHECKPOINT SYNC} of the
 * whole evidence database, which the pipeline writes to meanwhile) takes hundreds of milliseconds under
 * load (H2 writes it out on its own threads, which run behind the SMTP threads), and every session
 * waiting for an id would wait with it. So while one block is handed out the next is reserved in the
 * background; {@link #next} waits only for the very first block, or when a whole block goes faster than
 * a reservation.
 */
final class HitIds {
    private static final Logger LOG = LoggerFactory.getLogger(HitIds.class);
    private static final int BLOCK = 1000;

    private final Jdbi jdbi;
    private final Statements sql;
    /** Guarded by this: the next id, and the end of its block. */
    private long next;
    private long end;
    /** Guarded by this: the first id of the block being reserved after the current one, null when none is. */
    private CompletableFuture<Long> following;

    HitIds(Jdbi jdbi, Statements sql) {
        this.jdbi = jdbi;
        this.sql = sql;
    }

    synchronized long next() {
        if (next == end) {
            next = following != null ? takeFollowing() : reserveBlock();
            end = next + BLOCK;
        }
        if (following == null) {
            following = CompletableFuture.supplyAsync(this::reserveBlock, HitIds::reserveInBackground);
        }
        return next++;
    }

    /** The block reserved in the background; one reserved now when that failed. Guarded by this. */
    private long takeFollowing() {
        CompletableFuture<Long> f = following;
        following = null;
        try {
            return f.join();
        } catch (CompletionException e) {
            LOG.warn("reserving hit ids in the background failed ({}); reserving them now", e.getCause().toString());
            return reserveBlock();
        }
    }

    /**
     * Reserves the next {@link #BLOCK} ids in the database, durably, and returns the first. Never runs
     * twice at once: {@link #next} starts one only when none is under way.
     */
    private long reserveBlock() {
        long start = jdbi.inTransaction(h -> {
            h.execute(sql.get("reserve_ids_after_rows"));
            long first = h.createQuery(sql.get("next_free_id")).mapTo(Long.class).one();
            h.createUpdate(sql.get("save_next_free_id")).bind("next", first + BLOCK).execute();
            return first;
        });
        // The evidence database may write commits behind; the reservation must be on disk before its ids are used.
        jdbi.useHandle(h -> h.execute(sql.get("sync_to_disk")));
        return start;
    }

    private static void reserveInBackground(Runnable reservation) {
        Thread t = new Thread(reservation, "hit-id-reservation");
        t.setDaemon(true);
        t.start();
    }
}
