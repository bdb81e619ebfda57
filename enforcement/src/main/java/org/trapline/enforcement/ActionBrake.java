package org.trapline.enforcement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

/**
 * The brake on automatic actions. Every trap hit is written by whoever sends mail, and hits can be
 * forged to point at any of our addresses; so the policy's own decisions are limited: past
 * {@code action.brake.per-nas-per-hour} fences and disconnects for one NAS, or
 * {@code action.brake.total-per-hour} actions that cut customers off in all, in the hour before, what
 * would run automatically waits for review instead. Staff can also switch every automatic action to
 * review at once. Restores are never held or counted: holding them would keep customers cut off.
 *
 * <p>The counts are the journal's own rows and the engaged brakes are rows of {@code action_brake}, so
 * both survive a restart and hold for whichever process decides next. Engaging and releasing are
 * returned as {@link Event}s for the caller to journal (as {@link ActionType#BRAKE} entries, which
 * tell staff). Every method works inside the caller's transaction.
 */
final class ActionBrake {

    static final Duration WINDOW = Duration.ofHours(1);
    static final String SWITCH = "switch";
    static final String TOTAL = "total";
    static final String NAS_PREFIX = "nas:";
    /** Actor of the entries the limits journal by themselves. */
    static final String ACTOR = "brake";

    /** A brake engaged ({@code engaged}: staff must be warned) or released, with its journal entry. */
    record Event(PlannedAction entry, boolean engaged) {}

    /**
     * What one decision (the actions one trap hit calls for) has come to so far: a notice announces the
     * block its decision made, so it waits when that block's actions wait.
     */
    static final class Decision {
        String held;
        boolean ranCuttingOff;
    }

    private final PolicySettings.Brake settings;
    private final Clock clock;

    ActionBrake(PolicySettings.Brake settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Why an action that would run automatically must wait for review, or empty when it may run (and
     * is then counted by being journaled in {@code auto} mode). Releases limits that no longer apply
     * and engages those reached.
     */
    Optional<String> hold(Handle h, PlannedAction a, Decision d, List<Event> events) {
        Optional<BrakeStatus.Engagement> switched = find(h, SWITCH);
        if (switched.isPresent()) {
            BrakeStatus.Engagement e = switched.get();
            return Optional.of("brake: switched on by " + e.by() + " at " + e.since() + (e.reason().isEmpty() ? "" : ": " + e.reason()));
        }
        if (!a.type().cutsOff()) {
            if (d.held != null) return Optional.of(d.held);
            if (d.ranCuttingOff) return Optional.empty();
        }
        Instant since = clock.instant().minus(WINDOW);
        int total = ActionJournal.automaticSince(h, since, null);
        if (settings.totalPerHour() > 0 && total >= settings.totalPerHour()) {
            engage(h, TOTAL, "brake engaged for all NASes: " + actions(total) + " in the last hour (action.brake.total-per-hour="
                    + settings.totalPerHour() + "); further automatic actions wait for review until fewer ran in the hour before; "
                    + "restores still run", events);
            return Optional.of("brake: " + actions(total) + " in the last hour (all NASes)");
        }
        release(h, TOTAL, total, settings.totalPerHour(), "all NASes", events);
        Optional<String> nas = ActionJournal.targetNas(a).filter(n -> a.type().cutsOff());
        if (nas.isPresent()) {
            int forNas = ActionJournal.automaticSince(h, since, nas.get());
            if (settings.perNasPerHour() > 0 && forNas >= settings.perNasPerHour()) {
                engage(h, NAS_PREFIX + nas.get(), "brake engaged for NAS " + nas.get() + ": " + actions(forNas)
                        + " for it in the last hour (action.brake.per-nas-per-hour=" + settings.perNasPerHour()
                        + "); its further automatic actions wait for review until fewer ran in the hour before; restores still run",
                        events);
                return Optional.of("brake: " + actions(forNas) + " for NAS " + nas.get() + " in the last hour");
            }
            release(h, NAS_PREFIX + nas.get(), forNas, settings.perNasPerHour(), "NAS " + nas.get(), events);
        }
        return Optional.empty();
    }

    /** Releases the limits whose hour has passed (or whose setting was lifted), so staff hear it on time. */
    void releaseStale(Handle h, List<Event> events) {
        Instant since = clock.instant().minus(WINDOW);
        for (BrakeStatus.Engagement e : engagements(h)) {
            if (e.scope().equals(TOTAL)) {
                release(h, TOTAL, ActionJournal.automaticSince(h, since, null), settings.totalPerHour(), "all NASes", events);
            } else if (e.scope().startsWith(NAS_PREFIX)) {
                String nas = e.scope().substring(NAS_PREFIX.length());
                release(h, e.scope(), ActionJournal.automaticSince(h, since, nas), settings.perNasPerHour(), "NAS " + nas, events);
            }
        }
    }

    /**
     * Staff turn every automatic action to review.
     *
     * @throws IllegalStateException the switch is on already
     */
    void switchOn(Handle h, String actor, String reason, List<Event> events) {
        Optional<BrakeStatus.Engagement> on = find(h, SWITCH);
        if (on.isPresent()) {
            throw new IllegalStateException("the brake is on already: switched on by " + on.get().by() + " at " + on.get().since());
        }
        String why = reason == null ? "" : reason.strip();
        insert(h, SWITCH, actor, why);
        events.add(new Event(entry("brake switched on by " + actor + (why.isEmpty() ? "" : ": " + why)
                + "; every automatic action waits for review until it is switched off (bin/trapline brake off); restores still run",
                actor), true));
    }

    /**
     * Staff let automatic actions run again (the limits still apply).
     *
     * @throws IllegalStateException the switch is off
     */
    void switchOff(Handle h, String actor, String reason, List<Event> events) {
        BrakeStatus.Engagement on = find(h, SWITCH).orElseThrow(() -> new IllegalStateException("the brake is not on"));
        h.createUpdate("DELETE FROM action_brake WHERE scope = :s").bind("s", SWITCH).execute();
        String why = reason == null ? "" : reason.strip();
        events.add(new Event(entry("brake switched off by " + actor + (why.isEmpty() ? "" : ": " + why) + " (on since " + on.since()
                + " by " + on.by() + "); automatic actions run again within action.brake.* limits", actor), false));
    }

    BrakeStatus status(Handle h) {
        Instant since = clock.instant().minus(WINDOW);
        Map<String, Integer> perNas = new LinkedHashMap<>();
        h.createQuery("SELECT target_nas, COUNT(*) AS n FROM enforcement_action WHERE created_ms > :since AND mode = 'AUTO' "
                        + "AND type IN ('FENCE', 'DISCONNECT') AND target_nas IS NOT NULL GROUP BY target_nas ORDER BY n DESC, target_nas "
                        + "LIMIT 20")
                .bind("since", since.toEpochMilli())
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2))).forEach(e -> perNas.put(e.getKey(), e.getValue()));
        List<BrakeStatus.Engagement> all = engagements(h);
        return new BrakeStatus(all.stream().filter(e -> e.scope().equals(SWITCH)).findFirst(),
                all.stream().filter(e -> !e.scope().equals(SWITCH)).toList(), ActionJournal.automaticSince(h, since, null),
                perNas, settings);
    }

    private void engage(Handle h, String scope, String rule, List<Event> events) {
        if (find(h, scope).isPresent()) return;
        insert(h, scope, ACTOR, rule);
        events.add(new Event(entry(rule, ACTOR), true));
    }

    private void release(Handle h, String scope, int count, int limit, String what, List<Event> events) {
        if (limit > 0 && count >= limit) return;
        if (h.createUpdate("DELETE FROM action_brake WHERE scope = :s").bind("s", scope).execute() == 0) return;
        events.add(new Event(entry("brake released for " + what + ": " + actions(count) + " in the last hour"
                + (limit > 0 ? " (limit " + limit + ")" : " (no limit set)") + "; automatic actions run again", ACTOR), false));
    }

    private PlannedAction entry(String rule, String actor) {
        // Names no subscriber: "" is never one (a hit with a blank subscriber is unattributed).
        return new PlannedAction(ActionType.BRAKE, "", settings.notifyAddress(), List.of(), rule, List.of(), actor);
    }

    private void insert(Handle h, String scope, String by, String reason) {
        h.createUpdate("INSERT INTO action_brake (scope, engaged_ms, engaged_by, reason) VALUES (:s, :at, :by, :reason)")
                .bind("s", scope).bind("at", clock.millis()).bind("by", by).bind("reason", clip(reason)).execute();
    }

    private static Optional<BrakeStatus.Engagement> find(Handle h, String scope) {
        return h.createQuery("SELECT * FROM action_brake WHERE scope = :s").bind("s", scope).map((rs, ctx) -> engagement(rs)).findOne();
    }

    private static List<BrakeStatus.Engagement> engagements(Handle h) {
        return new ArrayList<>(h.createQuery("SELECT * FROM action_brake ORDER BY engaged_ms, scope").map((rs, ctx) -> engagement(rs)).list());
    }

    private static BrakeStatus.Engagement engagement(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new BrakeStatus.Engagement(rs.getString("scope"), Instant.ofEpochMilli(rs.getLong("engaged_ms")), rs.getString("engaged_by"),
                rs.getString("reason"));
    }

    private static String actions(int n) {
        return n + (n == 1 ? " automatic action" : " automatic actions");
    }

    private static String clip(String s) {
        return s.length() <= 1000 ? s : s.substring(0, 999) + "…";
    }
}
