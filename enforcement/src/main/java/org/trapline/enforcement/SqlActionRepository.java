package org.trapline.enforcement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.trapline.common.sql.Statements;
import org.trapline.enforcement.coa.NasAttribute;

/**
 * The action journal in table {@code enforcement_action}, the brake in {@code action_brake} and
 * {@code action_brake_lock}. Texts longer than their columns are cut with an ellipsis.
 */
final class SqlActionRepository extends SqlRepository implements ActionRepository {

    private static final RowMapper<ActionRecord> ACTION = (rs, ctx) -> map(rs);

    private boolean brakeLocked;

    SqlActionRepository(Handle h, Statements sql) {
        super(h, sql);
    }

    @Override
    public long journal(PlannedAction a, ActionMode mode, ActionState state, Instant now, String held, String reason) {
        return insert(a, mode, state, now, held, null, null, reason);
    }

    @Override
    public long journalRetry(PlannedAction a, long retryOf, String by, Instant now, String reason) {
        return insert(a, ActionMode.REVIEW, ActionState.QUEUED, now, null, retryOf, by, reason);
    }

    private long insert(PlannedAction a, ActionMode mode, ActionState state, Instant now, String held, Long retryOf, String decidedBy,
                        String reason) {
        String rule = held == null ? a.rule() : clip(a.rule(), 1000 - held.length() - 40) + "; held for review (" + held + ")";
        return update("actions.journal")
                .bind("type", a.type().name()).bind("s", a.subscriber()).bind("target", a.target())
                .bind("attrs", a.attributes().stream().map(NasAttribute::toString).collect(Collectors.joining(", ")))
                .bind("mode", mode.name()).bind("state", state.name()).bind("rule", clip(rule, 1000))
                .bind("hits", clip(String.join(",", a.hitIds()), 10000)).bind("actor", a.actor()).bind("now", now.toEpochMilli())
                .bind("held", clip(held, 1000)).bind("nas", clip(a.targetNas().orElse(null), 300))
                .bind("retryOf", retryOf).bind("decidedBy", decidedBy).bind("decidedMs", decidedBy == null ? null : now.toEpochMilli())
                .bind("reason", clip(reason, StaffAct.MAX_REASON))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    @Override
    public Optional<ActionRecord> find(long id) {
        return query("actions.find").bind("id", id).map(ACTION).findOne();
    }

    @Override
    public List<ActionRecord> list(boolean pendingOnly) {
        return query(pendingOnly ? "actions.pending" : "actions.all").map(ACTION).list();
    }

    @Override
    public List<ActionRecord> ofSubscriber(String subscriber) {
        return query("actions.of_subscriber").bind("s", subscriber).map(ACTION).list();
    }

    @Override
    public List<ActionRecord> openCutOffs(String subscriber) {
        return query("actions.open_cut_offs").bind("s", subscriber).map(ACTION).list();
    }

    @Override
    public List<Long> queued() {
        return query("actions.queued").mapTo(Long.class).list();
    }

    @Override
    public Optional<Long> retriedBy(long id) {
        return query("actions.retried_by").bind("id", id).mapTo(Long.class).findOne();
    }

    @Override
    public boolean decide(long id, ActionState from, ActionState to, String by, Instant now, String note, String reason) {
        return update("actions.decide")
                .bind("to", to.name()).bind("by", by).bind("now", now.toEpochMilli()).bind("note", note)
                .bind("reason", clip(reason, StaffAct.MAX_REASON))
                .bind("id", id).bind("from", from.name()).execute() == 1;
    }

    @Override
    public void finish(long id, Execution e, Instant now) {
        update("actions.finish")
                .bind("state", e.state().name()).bind("target", e.target()).bind("outcome", clip(e.outcome(), 500))
                .bind("cause", e.errorCause()).bind("attempts", e.attempts()).bind("nas", clip(e.nas(), 300))
                .bind("request", e.request()).bind("answer", e.answer()).bind("note", clip(e.note(), 2000))
                .bind("now", now.toEpochMilli()).bind("id", id).execute();
    }

    @Override
    public int dismissOpen(String subscriber, String by, Instant now, String note, String reason) {
        return update("actions.dismiss_open")
                .bind("by", by).bind("now", now.toEpochMilli()).bind("note", note).bind("reason", clip(reason, StaffAct.MAX_REASON))
                .bind("s", subscriber).execute();
    }

    @Override
    public int automaticSince(Instant since) {
        return query("actions.automatic_since").bind("since", since.toEpochMilli()).mapTo(Integer.class).one();
    }

    @Override
    public int automaticSince(Instant since, String nas) {
        return query("actions.automatic_since_for_nas").bind("since", since.toEpochMilli()).bind("nas", nas)
                .mapTo(Integer.class).one();
    }

    @Override
    public Map<String, Integer> automaticPerNas(Instant since, int limit) {
        Map<String, Integer> perNas = new LinkedHashMap<>();
        query("actions.automatic_per_nas").bind("since", since.toEpochMilli()).bind("n", limit)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2))).forEach(e -> perNas.put(e.getKey(), e.getValue()));
        return perNas;
    }

    @Override
    public void lockBrake() {
        if (brakeLocked) return;
        query("brake.lock").mapTo(Integer.class).list();
        brakeLocked = true;
    }

    @Override
    public Optional<BrakeStatus.Engagement> engagement(String scope) {
        return query("brake.find").bind("scope", scope).map((rs, ctx) -> engagement(rs)).findOne();
    }

    @Override
    public List<BrakeStatus.Engagement> engagements() {
        return query("brake.all").map((rs, ctx) -> engagement(rs)).list();
    }

    @Override
    public void engage(String scope, Instant at, String by, String reason) {
        update("brake.engage").bind("scope", scope).bind("at", at.toEpochMilli()).bind("by", by)
                .bind("reason", clip(reason, 1000)).execute();
    }

    @Override
    public boolean release(String scope) {
        return update("brake.release").bind("scope", scope).execute() > 0;
    }

    private static BrakeStatus.Engagement engagement(ResultSet rs) throws SQLException {
        return new BrakeStatus.Engagement(rs.getString("scope"), Instant.ofEpochMilli(rs.getLong("engaged_ms")), rs.getString("engaged_by"),
                rs.getString("reason"));
    }

    private static ActionRecord map(ResultSet rs) throws SQLException {
        String hits = rs.getString("hit_ids");
        return new ActionRecord(rs.getLong("id"), ActionType.valueOf(rs.getString("type")), rs.getString("subscriber"),
                rs.getString("target"), rs.getString("attributes"), ActionMode.valueOf(rs.getString("mode")),
                ActionState.valueOf(rs.getString("state")), rs.getString("rule"),
                hits == null || hits.isEmpty() ? List.of() : Arrays.asList(hits.split(",")), rs.getString("actor"),
                SqlStrikeRepository.instant(rs, "created_ms"), rs.getString("decided_by"), SqlStrikeRepository.instant(rs, "decided_ms"),
                rs.getString("outcome"), (Integer) rs.getObject("error_cause"), (Integer) rs.getObject("attempts"), rs.getString("nas"),
                rs.getString("request"), rs.getString("answer"), rs.getString("note"), SqlStrikeRepository.instant(rs, "finished_ms"),
                rs.getString("held_reason"), (Long) rs.getObject("retry_of", Long.class), rs.getString("reason"));
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
