package org.trapline.enforcement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The brake on automatic actions. Every trap hit is written by whoever sends mail, and hits can be
 * forged to point at any of our addresses; so the policy's own decisions are limited: past
 * {@code action.brake.per-nas-per-hour} fences and disconnects for one NAS, or
 * {@code action.brake.total-per-hour} actions that cut customers off in all, in the hour before, what
 * would run automatically waits for review instead. Staff can also switch every automatic action to
 * review at once. Restores are never held or counted: holding them would keep customers cut off.
 *
 * <p>The counts are the journal's own entries and the engaged brakes are the {@link ActionRepository}'s
 * engagements, so both survive a restart and hold for whichever process decides next; the brake keeps
 * no state of its own. Engaging and releasing are returned as {@link Event}s for the caller to journal
 * (as {@link ActionType#BRAKE} entries, which tell staff). Every method works inside the caller's
 * transaction and, but for {@link #status}, locks the brake ({@link ActionRepository#lockBrake}) before
 * it reads it; the caller journals the actions it let run before that transaction ends, so that a
 * decision in any process counts every action let run before it.
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

    ActionBrake(PolicySettings.Brake settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Why an action that would run automatically must wait for review, or empty when it may run (and
     * is then counted by being journaled in {@code auto} mode, before this transaction lets the brake
     * go). Releases limits that no longer apply and engages those reached.
     */
    Optional<String> hold(ActionRepository actions, PlannedAction a, Decision d, Instant now, List<Event> events) {
        actions.lockBrake();
        Optional<BrakeStatus.Engagement> switched = actions.engagement(SWITCH);
        if (switched.isPresent()) {
            BrakeStatus.Engagement e = switched.get();
            return Optional.of("brake: switched on by " + e.by() + " at " + e.since() + (e.reason().isEmpty() ? "" : ": " + e.reason()));
        }
        if (!a.type().cutsOff()) {
            if (d.held != null) return Optional.of(d.held);
            if (d.ranCuttingOff) return Optional.empty();
        }
        Instant since = now.minus(WINDOW);
        int total = actions.automaticSince(since);
        if (settings.totalPerHour() > 0 && total >= settings.totalPerHour()) {
            engage(actions, TOTAL, "brake engaged for all NASes: " + actions(total) + " in the last hour (action.brake.total-per-hour="
                    + settings.totalPerHour() + "); further automatic actions wait for review until fewer ran in the hour before; "
                    + "restores still run", now, events);
            return Optional.of("brake: " + actions(total) + " in the last hour (all NASes)");
        }
        release(actions, TOTAL, total, settings.totalPerHour(), "all NASes", events);
        Optional<String> nas = a.targetNas().filter(n -> a.type().cutsOff());
        if (nas.isPresent()) {
            int forNas = actions.automaticSince(since, nas.get());
            if (settings.perNasPerHour() > 0 && forNas >= settings.perNasPerHour()) {
                engage(actions, NAS_PREFIX + nas.get(), "brake engaged for NAS " + nas.get() + ": " + actions(forNas)
                        + " for it in the last hour (action.brake.per-nas-per-hour=" + settings.perNasPerHour()
                        + "); its further automatic actions wait for review until fewer ran in the hour before; restores still run",
                        now, events);
                return Optional.of("brake: " + actions(forNas) + " for NAS " + nas.get() + " in the last hour");
            }
            release(actions, NAS_PREFIX + nas.get(), forNas, settings.perNasPerHour(), "NAS " + nas.get(), events);
        }
        return Optional.empty();
    }

    /** Releases the limits whose hour has passed (or whose setting was lifted), so staff hear it on time. */
    void releaseStale(ActionRepository actions, Instant now, List<Event> events) {
        actions.lockBrake();
        Instant since = now.minus(WINDOW);
        for (BrakeStatus.Engagement e : actions.engagements()) {
            if (e.scope().equals(TOTAL)) {
                release(actions, TOTAL, actions.automaticSince(since), settings.totalPerHour(), "all NASes", events);
            } else if (e.scope().startsWith(NAS_PREFIX)) {
                String nas = e.scope().substring(NAS_PREFIX.length());
                release(actions, e.scope(), actions.automaticSince(since, nas), settings.perNasPerHour(), "NAS " + nas, events);
            }
        }
    }

    /**
     * Staff turn every automatic action to review.
     *
     * @throws IllegalStateException the switch is on already
     */
    void switchOn(ActionRepository actions, String actor, String reason, Instant now, List<Event> events) {
        actions.lockBrake();
        Optional<BrakeStatus.Engagement> on = actions.engagement(SWITCH);
        if (on.isPresent()) {
            throw new IllegalStateException("the brake is on already: switched on by " + on.get().by() + " at " + on.get().since());
        }
        String why = reason == null ? "" : reason.strip();
        actions.engage(SWITCH, now, actor, why);
        events.add(new Event(entry("brake switched on by " + actor + (why.isEmpty() ? "" : ": " + why)
                + "; every automatic action waits for review until it is switched off (bin/trapline brake off); restores still run",
                actor), true));
    }

    /**
     * Staff let automatic actions run again (the limits still apply).
     *
     * @throws IllegalStateException the switch is off
     */
    void switchOff(ActionRepository actions, String actor, String reason, List<Event> events) {
        actions.lockBrake();
        BrakeStatus.Engagement on = actions.engagement(SWITCH).orElseThrow(() -> new IllegalStateException("the brake is not on"));
        actions.release(SWITCH);
        String why = reason == null ? "" : reason.strip();
        events.add(new Event(entry("brake switched off by " + actor + (why.isEmpty() ? "" : ": " + why) + " (on since " + on.since()
                + " by " + on.by() + "); automatic actions run again within action.brake.* limits", actor), false));
    }

    /** As last committed; nothing is locked. */
    BrakeStatus status(ActionRepository actions, Instant now) {
        Instant since = now.minus(WINDOW);
        List<BrakeStatus.Engagement> all = actions.engagements();
        return new BrakeStatus(all.stream().filter(e -> e.scope().equals(SWITCH)).findFirst(),
                all.stream().filter(e -> !e.scope().equals(SWITCH)).toList(), actions.automaticSince(since),
                actions.automaticPerNas(since, 20), settings);
    }

    private void engage(ActionRepository actions, String scope, String rule, Instant now, List<Event> events) {
        if (actions.engagement(scope).isPresent()) return;
        actions.engage(scope, now, ACTOR, rule);
        events.add(new Event(entry(rule, ACTOR), true));
    }

    private void release(ActionRepository actions, String scope, int count, int limit, String what, List<Event> events) {
        if (limit > 0 && count >= limit) return;
        if (!actions.release(scope)) return;
        events.add(new Event(entry("brake released for " + what + ": " + actions(count) + " in the last hour"
                + (limit > 0 ? " (limit " + limit + ")" : " (no limit set)") + "; automatic actions run again", ACTOR), false));
    }

    private PlannedAction entry(String rule, String actor) {
        // Names no subscriber: "" is never one (a hit with a blank subscriber is unattributed).
        return new PlannedAction(ActionType.BRAKE, "", settings.notifyAddress(), List.of(), rule, List.of(), actor);
    }

    private static String actions(int n) {
        return n + (n == 1 ? " automatic action" : " automatic actions");
    }
}
