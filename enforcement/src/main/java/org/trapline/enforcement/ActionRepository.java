package org.trapline.enforcement;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The action journal's store: every action with its cause, mode, state and what became of it, and the
 * brake's engagements. One instance works inside one transaction of its {@link PolicyStore}; the brake
 * is locked with {@link #lockBrake} (see there for the order).
 */
interface ActionRepository {

    /**
     * Journals an action.
     *
     * @param held   why an action of an {@code auto} type waits for review, or null; the rule says it too
     * @param reason why staff decided what journals it, or null when no staff decision did
     * @return its id
     */
    long journal(PlannedAction action, ActionMode mode, ActionState state, Instant now, String held, String reason);

    /**
     * Journals staff's retry of the FAILED action {@code retryOf} as a new action, queued and decided by
     * {@code by}; the failed one is not touched (it is evidence of what happened).
     */
    long journalRetry(PlannedAction action, long retryOf, String by, Instant now, String reason);

    Optional<ActionRecord> find(long id);

    /** All actions, newest first; only those waiting for staff when {@code pendingOnly}. */
    List<ActionRecord> list(boolean pendingOnly);

    /** A subscriber's actions, oldest first. */
    List<ActionRecord> ofSubscriber(String subscriber);

    /** The subscriber's fences and ACL entries still pending review or queued. */
    List<ActionRecord> openCutOffs(String subscriber);

    /** Ids of the actions accepted for automatic execution and not carried out yet, oldest first. */
    List<Long> queued();

    /** The action that retried {@code id}, if staff retried it. */
    Optional<Long> retriedBy(long id);

    /** Moves an action from {@code from} to a decided state; false if it was no longer in {@code from}. */
    boolean decide(long id, ActionState from, ActionState to, String by, Instant now, String note, String reason);

    /** Records what became of an action that was carried out (or tried). */
    void finish(long id, Execution execution, Instant now);

    /** Dismisses the subscriber's cut-offs pending review (the block they were for is over). */
    int dismissOpen(String subscriber, String by, Instant now, String note, String reason);

    /** Automatic actions that cut customers off (fence, disconnect, ACL) journaled after {@code since}. */
    int automaticSince(Instant since);

    /** The same for one NAS. */
    int automaticSince(Instant since, String nas);

    /** Automatic fences and disconnects after {@code since} per NAS, the busiest {@code limit} NASes, most first. */
    Map<String, Integer> automaticPerNas(Instant since, int limit);

    /**
     * Locks the brake until this transaction ends: taken before the switch is read or the hour's
     * automatic actions are counted, and held while the actions so allowed are journaled. Taken after any
     * subscriber this transaction locks, never before. Once per transaction; later calls return at once.
     */
    void lockBrake();

    /** The engaged brake of {@code scope} ({@code switch}, {@code total}, {@code nas:<NAS-IP>}). */
    Optional<BrakeStatus.Engagement> engagement(String scope);

    /** Every engaged brake, oldest first. */
    List<BrakeStatus.Engagement> engagements();

    void engage(String scope, Instant at, String by, String reason);

    /** False when that brake was not engaged. */
    boolean release(String scope);
}
