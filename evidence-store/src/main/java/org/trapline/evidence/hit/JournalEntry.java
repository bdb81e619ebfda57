package org.trapline.evidence.hit;

import java.time.Instant;
import java.util.List;

import org.jdbi.v3.core.Jdbi;

/**
 * The evidence journal: every purge (and any other removal of evidence) with who asked and how much
 * it touched, so that deleting evidence is itself on record.
 */
public final class Journal {
    private final Jdbi jdbi;

    public Journal(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One journal line. */
    public record Entry(long id, Instant at, String action, String target, String actor, long hits, String detail) {
    }

    public long append(Instant at, String action, String target, String actor, long hits, String detail) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO evidence_journal (at, action, target, actor, hits, detail) "
                        + "VALUES (:at, :action, :target, :actor, :hits, :detail)")
                .bind("at", HitRepository.utc(at)).bind("action", action)
                .bind("target", HitRepository.clip(target, 1000)).bind("actor", HitRepository.clip(actor, 500))
                .bind("hits", hits).bind("detail", detail)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    /** Newest entries first. */
    public List<Entry> recent(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, at, action, target, actor, hits, detail FROM evidence_journal "
                        + "ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> new Entry(rs.getLong("id"), HitRepository.instant(rs, "at"), rs.getString("action"),
                        rs.getString("target"), rs.getString("actor"), rs.getLong("hits"), rs.getString("detail")))
                .list());
    }
}
