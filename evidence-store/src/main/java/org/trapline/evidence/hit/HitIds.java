package org.trapline.evidence.hit;

import org.jdbi.v3.core.Jdbi;

/**
 * Hands out hit ids, each once, also across crashes: ids come from blocks reserved in the evidence
 * database, and a block is on disk before its first id is handed out. A crash leaves the rest of a block
 * unused (a gap in the ids), never an id used twice. Thread-safe.
 */
public final class HitIds {
    private static final int BLOCK = 1000;

    private final Jdbi jdbi;
    private long next;
    private long end;

    public HitIds(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public synchronized long next() {
        if (next == end) {
            reserveBlock();
        }
        return next++;
    }

    private void reserveBlock() {
        long start = jdbi.inTransaction(h -> {
            // Never behind a row: hits written with ids from elsewhere (an older store) are not handed out again.
            h.execute("UPDATE hit_id_reservation SET next_free = GREATEST(next_free, "
                    + "(SELECT COALESCE(MAX(id), 0) + 1 FROM trap_hit))");
            long first = h.createQuery("SELECT next_free FROM hit_id_reservation").mapTo(Long.class).one();
            h.execute("UPDATE hit_id_reservation SET next_free = ?", first + BLOCK);
            return first;
        });
        // The evidence database writes commits behind; the reservation must be on disk before its ids are used.
        jdbi.useHandle(h -> h.execute("CHECKPOINT SYNC"));
        next = start;
        end = start + BLOCK;
    }
}
