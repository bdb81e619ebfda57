package org.trapline.enforcement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.trapline.enforcement.coa.NasAttribute;
import org.trapline.attribution.session.SessionTarget;

/**
 * The journal of every enforcement action: cause (rule and hit ids), request, the NAS's answer
 * (ACK, NAK with Error-Cause, timeout), retries, actor, times and state. Reads are public; writes go
 * through {@link Enforcer} so that decisions and their journal entries commit together.
 */
public final class ActionJournal {

    private final Jdbi db;

    public ActionJournal(Jdbi db) {
        this.db = db;
    }

    /** All actions, newest first; only those waiting for staff when {@code pendingOnly}. */
    public List<ActionRecord> list(boolean pendingOnly) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM enforcement_action "
                        + (pendingOnly ? "WHERE state = 'PENDING_REVIEW' " : "") + "ORDER BY id DESC")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** A subscriber's actions, oldest first (for the case view). */
    public List<ActionRecord> forSubscriber(String subscriber) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM enforcement_action WHERE subscriber = :s ORDER BY id")
                .bind("s", subscriber).map((rs, ctx) -> map(rs)).list());
    }

    public Optional<ActionRecord> find(long id) {
        return db.withHandle(h -> find(h, id));
    }

    static Optional<ActionRecord> find(Handle h, long id) {
        return h.createQuery("SELECT * FROM enforcement_action WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    static long insert(Handle h, PlannedAction a, ActionMode mode, ActionState state, Instant now) {
        return insert(h, a, mode, state, now, null);
    }

    /** @param held why an action of an {@code auto} type waits for review, or null; the rule says it too */
    static long insert(Handle h, PlannedAction a, ActionMode mode, ActionState state, Instant now, String held) {
        String rule = held == null ? a.rule() : clip(a.rule(), 1000 - held.length() - 40) + "; held for review (" + held + ")";
        return h.createUpdate("INSERT INTO enforcement_action (type, subscriber, target, attributes, mode, state, rule, hit_ids, "
                        + "actor, created_ms, held_reason, target_nas) "
                        + "VALUES (:type, :s, :target, :attrs, :mode, :state, :rule, :hits, :actor, :now, :held, :nas)")
                .bind("type", a.type().name()).bind("s", a.subscriber()).bind("target", a.target())
                .bind("attrs", a.attributes().stream().map(NasAttribute::toString).collect(Collectors.joining(", ")))
                .bind("mode", mode.name()).bind("state", state.name()).bind("rule", clip(rule, 1000))
                .bind("hits", clip(String.join(",", a.hitIds()), 10000)).bind("actor", a.actor()).bind("now", now.toEpochMilli())
                .bind("held", clip(held, 1000)).bind("nas", clip(targetNas(a).orElse(null), 300))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /**
     * Journals staff's retry of a FAILED action as a new action, queued and decided by {@code by},
     * naming the action it retries; that one is not touched (it is evidence of what happened).
     */
    static long insertRetry(Handle h, PlannedAction a, long retryOf, String by, Instant now) {
        long id = insert(h, a, ActionMode.REVIEW, ActionState.QUEUED, now, null);
        h.createUpdate("UPDATE enforcement_action SET retry_of = :of, decided_by = :by, decided_ms = :now WHERE id = :id")
                .bind("of", retryOf).bind("by", by).bind("now", now.toEpochMilli()).bind("id", id).execute();
        return id;
    }

    /** The action that retried {@code id}, if staff retried it. */
    static Optional<Long> retriedBy(Handle h, long id) {
        return h.createQuery("SELECT id FROM enforcement_action WHERE retry_of = :id ORDER BY id LIMIT 1").bind("id", id)
                .mapTo(Long.class).findOne();
    }

    /** The NAS a CoA or Disconnect goes to, as the session names it. */
    static Optional<String> targetNas(PlannedAction a) {
        if (!a.type().atNas() || a.target() == null) return Optional.empty();
        try {
            return Optional.of(SessionTarget.parse(a.target()).nasIp());
        } catch (IllegalArgumentException notASession) {
            return Optional.empty();
        }
    }

    /**
     * Actions that ran automatically and cut customers off (fence, disconnect, ACL), created after
     * {@code since}; only those for one NAS when {@code nas} is not null. Held, reviewed, dry-run and
     * restoring actions do not count.
     */
    static int automaticSince(Handle h, Instant since, String nas) {
        var q = h.createQuery("SELECT COUNT(*) FROM enforcement_action WHERE created_ms > :since AND mode = 'AUTO' "
                        + "AND type IN ('FENCE', 'DISCONNECT', 'ACL')" + (nas == null ? "" : " AND target_nas = :nas"))
                .bind("since", since.toEpochMilli());
        if (nas != null) q.bind("nas", nas);
        return q.mapTo(Integer.class).one();
    }

    /** Moves a pending or queued action to a decided state; false if it was no longer open. */
    static boolean decide(Handle h, long id, ActionState from, ActionState to, String by, Instant now, String note) {
        return h.createUpdate("UPDATE enforcement_action SET state = :to, decided_by = :by, decided_ms = :now, "
                        + "note = COALESCE(:note, note) WHERE id = :id AND state = :from")
                .bind("to", to.name()).bind("by", by).bind("now", now.toEpochMilli()).bind("note", note)
                .bind("id", id).bind("from", from.name()).execute() == 1;
    }

    /** Records what became of an action that was carried out (or tried). */
    static void finish(Handle h, long id, Execution e, Instant now) {
        h.createUpdate("UPDATE enforcement_action SET state = :state, target = COALESCE(:target, target), outcome = :outcome, "
                        + "error_cause = :cause, attempts = :attempts, nas = :nas, request = :request, answer = :answer, "
                        + "note = :note, finished_ms = :now WHERE id = :id")
                .bind("state", e.state().name()).bind("target", e.target()).bind("outcome", clip(e.outcome(), 500))
                .bind("cause", e.errorCause()).bind("attempts", e.attempts()).bind("nas", clip(e.nas(), 300))
                .bind("request", e.request()).bind("answer", e.answer()).bind("note", clip(e.note(), 2000))
                .bind("now", now.toEpochMilli()).bind("id", id).execute();
    }

    /** Dismisses the subscriber's open actions (block ended or lifted before anyone confirmed them). */
    static int dismissOpen(Handle h, String subscriber, String by, Instant now, String note) {
        return h.createUpdate("UPDATE enforcement_action SET state = 'DISMISSED', decided_by = :by, decided_ms = :now, note = :note "
                        + "WHERE subscriber = :s AND state = 'PENDING_REVIEW' AND type IN ('FENCE', 'ACL', 'DISCONNECT')")
                .bind("by", by).bind("now", now.toEpochMilli()).bind("note", note).bind("s", subscriber).execute();
    }

    /** What carrying out an action produced, for {@link #finish}. */
    record Execution(ActionState state, String target, String outcome, Integer errorCause, Integer attempts, String nas,
                     String request, String answer, String note) {}

    private static ActionRecord map(ResultSet rs) throws SQLException {
        String hits = rs.getString("hit_ids");
        return new ActionRecord(rs.getLong("id"), ActionType.valueOf(rs.getString("type")), rs.getString("subscriber"),
                rs.getString("target"), rs.getString("attributes"), ActionMode.valueOf(rs.getString("mode")),
                ActionState.valueOf(rs.getString("state")), rs.getString("rule"),
                hits == null || hits.isEmpty() ? List.of() : Arrays.asList(hits.split(",")), rs.getString("actor"),
                instant(rs, "created_ms"), rs.getString("decided_by"), instant(rs, "decided_ms"), rs.getString("outcome"),
                (Integer) rs.getObject("error_cause"), (Integer) rs.getObject("attempts"), rs.getString("nas"),
                rs.getString("request"), rs.getString("answer"), rs.getString("note"), instant(rs, "finished_ms"),
                rs.getString("held_reason"), (Long) rs.getObject("retry_of", Long.class));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Object v = rs.getObject(column);
        return v == null ? null : Instant.ofEpochMilli(((Number) v).longValue());
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
