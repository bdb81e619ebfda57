package org.trapline.enforcement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.enforcement.coa.CoaResult;
import org.trapline.enforcement.coa.NasAttribute;
import org.trapline.enforcement.coa.NasCommand;
import org.trapline.enforcement.coa.NasGateway;
import org.trapline.attribution.session.SessionTarget;

/**
 * Enforcement as the rest of Trapline uses it: feed it trap hits, tick it for expiries, let staff
 * confirm, dismiss and unblock. A decision about a subscriber runs in one transaction of the policy
 * store: their standing is loaded and locked ({@link StrikeRepository#lock}), the {@link StrikeEngine
 * strike rule} decides, and the new standing and the journal entries are saved before the lock goes, so
 * a hit and an unblock of the same subscriber in two processes happen one after the other, never
 * interleaved. Actions in {@code auto} mode are then carried out (outside any lock, so a slow NAS delays
 * only its own action), {@code review} ones wait for {@link #confirm}, {@code dry-run} ones are only
 * journaled. What became of an action is journaled under the subscriber's lock again.
 *
 * <p>A NAK with Error-Cause 503 (session gone) is re-targeted once at the subscriber's current session
 * from {@code currentSession}; with no current session the action is CLOSED.
 *
 * <p>Trap hits are written by whoever sends mail, so what would run automatically is held for review
 * (PENDING_REVIEW, with the reason) for an {@link Exemptions exempt} subscriber or address, and by the
 * {@link ActionBrake brake} past its hourly limits or while staff have switched it on. Engaging and
 * releasing the brake are journaled as {@link ActionType#BRAKE} entries, logged and e-mailed to
 * {@code action.brake.notify}. Restores are never held.
 *
 * <p>Thread-safe, and safe beside other processes on the same policy database: decisions are serialised
 * by the database's row locks ({@link PolicyStore} says which, in what order); NAS calls run on the
 * caller's thread.
 */
public final class Enforcer {
    private static final Logger LOG = LoggerFactory.getLogger(Enforcer.class);

    private final PolicySettings settings;
    private final PolicyStore store;
    private final NasGateway nas;
    private final NoticeSender notices;
    private final Function<String, Optional<SessionTarget>> currentSession;
    private final Clock clock;
    private final StrikeEngine engine;
    private final ActionJournal journal;
    private final ActionBrake brake;
    private final Exemptions exemptions;

    /** A decision taken in one transaction: it reads and locks through {@code strikes}, journals through {@code entries}. */
    @FunctionalInterface
    private interface Decision {
        void decide(StrikeRepository strikes, Entries entries);
    }

    /**
     * @param db             the policy database ({@link PolicyDatabase#open})
     * @param nas            CoA/Disconnect sender ({@link org.trapline.enforcement.coa.CoaSender})
     * @param notices        notice delivery ({@link MailNoticeSender})
     * @param currentSession the subscriber's session right now, from the attribution lookup (for re-targeting)
     */
    public Enforcer(PolicySettings settings, Jdbi db, NasGateway nas, NoticeSender notices,
                    Function<String, Optional<SessionTarget>> currentSession, Clock clock) {
        this(settings, db, nas, notices, currentSession, clock, Exemptions.none());
    }

    /** @param exemptions subscribers and prefixes never acted on automatically ({@link Exemptions#load}) */
    public Enforcer(PolicySettings settings, Jdbi db, NasGateway nas, NoticeSender notices,
                    Function<String, Optional<SessionTarget>> currentSession, Clock clock, Exemptions exemptions) {
        this(settings, PolicyStore.of(db), nas, notices, currentSession, clock, exemptions);
    }

    Enforcer(PolicySettings settings, PolicyStore store, NasGateway nas, NoticeSender notices,
             Function<String, Optional<SessionTarget>> currentSession, Clock clock, Exemptions exemptions) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.nas = Objects.requireNonNull(nas, "nas");
        this.notices = Objects.requireNonNull(notices, "notices");
        this.currentSession = Objects.requireNonNull(currentSession, "currentSession");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.engine = new StrikeEngine(settings);
        this.journal = new ActionJournal(store);
        this.brake = new ActionBrake(settings.brake());
        this.exemptions = Objects.requireNonNull(exemptions, "exemptions");
    }

    public ActionJournal journal() {
        return journal;
    }

    /**
     * Counts a trap hit against its subscriber and carries out what it calls for. A hit that names
     * nobody (AMBIGUOUS, NO_SESSION, NOT_OURS, and NO_ORIGIN and UNDATED, which were never looked up) is
     * only listed for review ({@link #unattributedHits}), never counted or acted on; a hit id seen before
     * changes nothing. An exempt subscriber's hits
     * count as any other's; what they call for waits for review.
     *
     * @return the actions journaled for this hit (empty for most hits), the brake's entries among them
     */
    public List<ActionRecord> onHit(StrikeHit hit) {
        if (!hit.attribution().actionable()) {
            store.inTransaction((strikes, actions) -> {
                strikes.recordUnattributed(hit, clock.instant());
                return null;
            });
            return List.of();
        }
        return decideAndRun((strikes, entries) -> {
            StrikeState before = strikes.lockOrAdd(hit.subscriber(), clock.instant());
            if (strikes.counted(hit.hitId())) return;
            Instant now = clock.instant();
            StrikeDecision d = engine.onHit(before, strikes.hitsWithin(hit.subscriber(), engine.windowStart(hit), hit.at()), hit, now);
            if (d.cutsOffAgain()) d = d.unlessOpen(entries.actions.openCutOffs(hit.subscriber()));
            strikes.count(hit);
            // Most hits call for nothing: the exemption list is read only for those that do.
            Optional<String> exempt = d.actions().isEmpty() ? Optional.empty()
                    : exemptions.reason(hit.subscriber(), hit.originIp(), hit.session() == null ? null : hit.session().framedIp());
            entries.decided(strikes, Optional.of(before), d, exempt, now);
        });
    }

    /**
     * Ends due blocks: restoring CoAs, and pending fences nobody confirmed are dismissed; releases brake
     * limits whose hour has passed. Call every minute or so.
     */
    public List<ActionRecord> expireDue() {
        return decideAndRun((strikes, entries) -> {
            for (String subscriber : strikes.blockEndedBy(clock.instant())) {
                Optional<StrikeState> before = strikes.lock(subscriber);
                Instant now = clock.instant();
                // Unblocked meanwhile, or blocked again: the rule sees it is not due and keeps it.
                before.ifPresent(s -> entries.decided(strikes, before, engine.expire(s, now), Optional.empty(), now));
            }
            // Old counted hits go before the brake is locked: every hit that calls for an action waits for that lock.
            strikes.forgetHitsBefore(engine.keepHitsFrom(clock.instant()));
            Instant now = entries.lockBrake();
            brake.releaseStale(entries.actions, now, entries.brakeEvents);
            entries.journalBrakeEvents(now);
        });
    }

    /**
     * Staff turn every automatic action to review at once, until {@link #releaseBrake}; journaled (and
     * e-mailed to staff) with who, when and why. Persisted in the policy database, so it holds across a
     * restart and for whichever process decides next. Restores still run.
     *
     * @return the journal entry
     * @throws IllegalStateException the brake is on already
     */
    public ActionRecord engageBrake(StaffAct act) {
        return decideAndRun(act, (strikes, entries) -> {
            Instant now = entries.lockBrake();
            brake.switchOn(entries.actions, act.actor(), act.reason(), now, entries.brakeEvents);
            entries.journalBrakeEvents(now);
        }).get(0);
    }

    /**
     * Staff let automatic actions run again (within the hourly limits); journaled. Actions held
     * meanwhile stay pending review.
     *
     * @return the journal entry
     * @throws IllegalStateException the brake is not on
     */
    public ActionRecord releaseBrake(StaffAct act) {
        return decideAndRun(act, (strikes, entries) -> {
            Instant now = entries.lockBrake();
            brake.switchOff(entries.actions, act.actor(), act.reason(), entries.brakeEvents);
            entries.journalBrakeEvents(now);
        }).get(0);
    }

    /** The switch, the limits reached and the last hour's automatic actions. */
    public BrakeStatus brakeStatus() {
        return store.read((strikes, actions) -> brake.status(actions, clock.instant()));
    }

    /**
     * Staff lift a block or suspension: strikes reset, pending actions dismissed, the session restored.
     *
     * @return empty when the policy has never seen the subscriber
     */
    public Optional<List<ActionRecord>> unblock(String subscriber, StaffAct act) {
        String actor = act.actor();
        boolean[] known = {false};
        List<ActionRecord> done = decideAndRun(act, (strikes, entries) -> {
            Optional<StrikeState> before = strikes.lock(subscriber);
            known[0] = before.isPresent();
            Instant now = clock.instant();
            before.ifPresent(s -> entries.decided(strikes, before, engine.unblock(s, actor, now), Optional.empty(), now));
        });
        return known[0] ? Optional.of(done) : Optional.empty();
    }

    /**
     * Staff block a subscriber by hand ({@link StrikeEngine#block}): the block is saved and the fence of
     * their current session journaled and carried out like the rule's, in one decision under their lock.
     * Staff decided it, so neither review mode nor the brake holds it; a dry run stays a dry run.
     *
     * @param length how long, or null for what the next strike would earn
     * @return the standing after the block and the actions journaled (the fence, when they are online)
     * @throws IllegalArgumentException no reason, or a length that is not positive
     * @throws IllegalStateException    the account is suspended already
     */
    public Blocked block(String subscriber, StaffAct act, Duration length) {
        if (subscriber == null || subscriber.isBlank()) throw new IllegalArgumentException("a block needs a subscriber");
        String reason = act.reasonOrNull();
        if (reason == null) throw new IllegalArgumentException("a block needs a reason");
        String actor = act.actor();
        SessionTarget session = currentSession.apply(subscriber).orElse(null);
        List<ActionRecord> done = decideAndRun(act, (strikes, entries) -> {
            StrikeState before = strikes.lockOrAdd(subscriber, clock.instant());
            Instant now = clock.instant();
            entries.decidedByStaff(strikes, before, engine.block(before, session, length, actor, reason, now), now);
        });
        return new Blocked(status(subscriber).orElseThrow(), done);
    }

    /** A manual block as it ended: the standing and what was journaled for it. */
    public record Blocked(SubscriberStatus status, List<ActionRecord> actions) {
        public Blocked {
            actions = List.copyOf(actions);
        }
    }

    /**
     * Staff approve a pending action; it is carried out now.
     *
     * @throws NoSuchElementException no such action
     * @throws IllegalStateException  the action is not pending review
     */
    public ActionRecord confirm(long id, StaffAct act) {
        store.inTransaction((strikes, actions) -> {
            ActionRecord a = locked(strikes, actions, id).action();
            if (!actions.decide(id, ActionState.PENDING_REVIEW, ActionState.QUEUED, act.actor(), clock.instant(), null, act.reasonOrNull())) {
                throw new IllegalStateException("action " + id + " is " + a.state() + ", not pending review"
                        + (a.state() == ActionState.FAILED ? " (a failed action can be retried: trapline retry " + id + ")" : ""));
            }
            return null;
        });
        execute(id);
        return journal.find(id).orElseThrow();
    }

    /**
     * Staff carry out a FAILED action (a NAK, a timeout, a missing CoA secret) again, typically once
     * the settings are fixed: journaled as a new action that names the failed one, which stays as it
     * was. Fences and restores carry the CoA attributes configured now. Not held by the brake: staff
     * decided it.
     *
     * @return the new action, as it ended
     * @throws NoSuchElementException no such action
     * @throws IllegalStateException  the action did not fail, was retried already, or is no longer
     *                                right (a fence for a block that ended, a restore for a subscriber
     *                                blocked again)
     */
    public ActionRecord retry(long id, StaffAct act) {
        String actor = act.actor();
        long retryId = store.inTransaction((strikes, actions) -> {
            Locked locked = locked(strikes, actions, id);
            ActionRecord a = locked.action();
            if (a.state() != ActionState.FAILED) {
                throw new IllegalStateException("action " + id + " is " + a.state() + ", not FAILED: only a failed action can be retried"
                        + (a.state() == ActionState.PENDING_REVIEW ? " (confirm it: trapline confirm " + id + ")" : ""));
            }
            Optional<Long> later = actions.retriedBy(id);
            if (later.isPresent()) {
                throw new IllegalStateException("action " + id + " was retried already as action " + later.get()
                        + "; retry that one if it failed too");
            }
            Instant now = clock.instant();
            boolean blocked = locked.standing().map(s -> s.blockedAt(now)).orElse(false);
            if (a.type().cutsOff() && !blocked) {
                throw new IllegalStateException(a.subscriber() + " is no longer blocked: the " + a.type() + " of action " + id
                        + " is not needed any more");
            }
            if (a.type() == ActionType.RESTORE && blocked) {
                throw new IllegalStateException(a.subscriber() + " is blocked again: restoring now would lift that block");
            }
            List<NasAttribute> attributes = switch (a.type()) {
                case FENCE -> settings.fenceAttributes();
                case RESTORE -> settings.restoreAttributes();
                default -> List.of();
            };
            PlannedAction again = new PlannedAction(a.type(), a.subscriber(), a.target(), attributes,
                    "retry of action " + id + " (" + a.outcome() + "): " + a.rule(), a.hitIds(), actor);
            return actions.journalRetry(again, id, actor, now, act.reasonOrNull());
        });
        execute(retryId);
        return journal.find(retryId).orElseThrow();
    }

    /**
     * Staff turn a pending action down.
     *
     * @throws NoSuchElementException no such action
     * @throws IllegalStateException  the action is not pending review
     */
    public ActionRecord dismiss(long id, StaffAct act) {
        return store.inTransaction((strikes, actions) -> {
            ActionRecord a = locked(strikes, actions, id).action();
            if (!actions.decide(id, ActionState.PENDING_REVIEW, ActionState.DISMISSED, act.actor(), clock.instant(), null,
                    act.reasonOrNull())) {
                throw new IllegalStateException("action " + id + " is " + a.state() + ", not pending review");
            }
            return actions.find(id).orElseThrow();
        });
    }

    /** Carries out automatic actions a crash left queued. Call once at startup. */
    public List<ActionRecord> resumeQueued() {
        List<ActionRecord> out = new ArrayList<>();
        for (long id : store.read((strikes, actions) -> actions.queued())) {
            execute(id);
            out.add(journal.find(id).orElseThrow());
        }
        return out;
    }

    /** The subscriber's standing now, or empty if the policy never saw them. */
    public Optional<SubscriberStatus> status(String subscriber) {
        return store.read((strikes, actions) -> strikes.find(subscriber).map(s -> {
            Instant now = clock.instant();
            return engine.status(s, strikes.hitsSince(subscriber, engine.windowBefore(now)), now);
        }));
    }

    /** Hits that named nobody, newest first, for staff review. */
    public List<UnattributedHit> unattributedHits(int limit) {
        return store.read((strikes, actions) -> strikes.unattributed(limit));
    }

    /**
     * Hits that named nobody because of a fault of our trace or a clock ({@link HitAttribution#fault}:
     * NO_ORIGIN, UNDATED), newest first: staff see these beside the actions waiting for review.
     */
    public List<UnattributedHit> faultyHits(int limit) {
        Set<HitAttribution> faults = EnumSet.noneOf(HitAttribution.class);
        for (HitAttribution a : HitAttribution.values()) if (a.fault()) faults.add(a);
        return store.read((strikes, actions) -> strikes.unattributed(faults, limit));
    }

    /** Addresses blocked at routers right now (input of {@link AclExport}). */
    public List<BlockedAddress> blockedAddresses() {
        return store.read((strikes, actions) -> strikes.blockedAddresses(clock.instant(), settings.aclIncludeSessions()));
    }

    /** An action read after its subscriber was locked, with the subscriber's standing (empty for none). */
    private record Locked(ActionRecord action, Optional<StrikeState> standing) {}

    /** Staff's decisions on an action take the lock of its subscriber first, as every decision about them does. */
    private static Locked locked(StrikeRepository strikes, ActionRepository actions, long id) {
        ActionRecord a = actions.find(id).orElseThrow(() -> new NoSuchElementException("no action " + id));
        if (a.subscriber().isEmpty()) return new Locked(a, Optional.empty());
        Optional<StrikeState> standing = strikes.lock(a.subscriber());
        return new Locked(actions.find(id).orElseThrow(), standing);
    }

    /**
     * Runs {@code decision} in one transaction and, once it has committed, logs the brake's entries and
     * carries out the automatic actions it journaled.
     *
     * @return what it journaled, as it ended
     */
    private List<ActionRecord> decideAndRun(Decision decision) {
        return decideAndRun(null, decision);
    }

    /** @param staff the staff decision this is, whose reason every entry it journals keeps; null for the rule's own */
    private List<ActionRecord> decideAndRun(StaffAct staff, Decision decision) {
        String reason = staff == null ? null : staff.reasonOrNull();
        Entries done = store.inTransaction((strikes, actions) -> {
            Entries entries = new Entries(actions, reason);
            decision.decide(strikes, entries);
            return entries;
        });
        for (ActionBrake.Event e : done.brakeEvents) {
            if (e.engaged()) {
                LOG.warn("{}; see bin/trapline actions --pending and bin/trapline brake status", e.entry().rule());
            } else {
                LOG.info("{}", e.entry().rule());
            }
        }
        for (long id : done.run) execute(id);
        List<ActionRecord> out = new ArrayList<>();
        for (long id : done.ids) out.add(journal.find(id).orElseThrow());
        return out;
    }

    /** What one transaction journals, in order; the automatic actions among them are carried out after it commits. */
    private final class Entries {
        final ActionRepository actions;
        final List<Long> ids = new ArrayList<>();
        final List<Long> run = new ArrayList<>();
        final List<ActionBrake.Event> brakeEvents = new ArrayList<>();
        /** Why staff decided what this transaction journals, or null. */
        private final String reason;
        private int journaledEvents;

        Entries(ActionRepository actions, String reason) {
            this.actions = actions;
            this.reason = reason;
        }

        /** Locks the brake (after any subscriber this transaction holds) and says when that was. */
        Instant lockBrake() {
            actions.lockBrake();
            return clock.instant();
        }

        /**
         * Carries out a decision of the strike rule inside the transaction: dismisses what it makes moot,
         * journals its actions (the brake or an exemption may hold them) and saves the standing, with the
         * reason it is held if it is, where it changed.
         *
         * @param before the standing as locked, empty for a subscriber without one (nothing is saved then)
         */
        void decided(StrikeRepository strikes, Optional<StrikeState> before, StrikeDecision d, Optional<String> exempt, Instant now) {
            d.dismissOpen().ifPresent(x -> actions.dismissOpen(d.state().subscriber(), x.by(), now, x.note(), reason));
            StrikeState after = d.state();
            ActionBrake.Decision soFar = new ActionBrake.Decision();
            for (PlannedAction a : d.actions()) after = after.held(journal(a, exempt, soFar, now));
            if (before.isPresent() && !after.equals(before.get())) strikes.save(after, now);
        }

        /** A decision staff took themselves: its actions run (or stay a dry run), never held for review. */
        void decidedByStaff(StrikeRepository strikes, StrikeState before, StrikeDecision d, Instant now) {
            for (PlannedAction a : d.actions()) {
                ActionMode mode = settings.mode(a.type()) == ActionMode.DRY_RUN ? ActionMode.DRY_RUN : ActionMode.AUTO;
                journal(a, mode, null, now);
            }
            if (!d.state().equals(before)) strikes.save(d.state(), now);
        }

        /** @return why the action waits for review although its type runs {@code auto}, or null */
        private String journal(PlannedAction a, Optional<String> exempt, ActionBrake.Decision decision, Instant now) {
            ActionMode mode = settings.mode(a.type());
            String held = null;
            if (a.type().holdable() && mode != ActionMode.DRY_RUN) {
                if (exempt.isPresent()) {
                    held = exempt.get();
                } else if (mode == ActionMode.AUTO) {
                    held = brake.hold(actions, a, decision, now, brakeEvents).orElse(null);
                    journalBrakeEvents(now);
                }
            }
            if (held != null) {
                mode = ActionMode.REVIEW;
                if (decision.held == null) decision.held = held;
            } else if (mode == ActionMode.AUTO && a.type().cutsOff()) {
                decision.ranCuttingOff = true;
            }
            journal(a, mode, held, now);
            return held;
        }

        private void journal(PlannedAction a, ActionMode mode, String held, Instant now) {
            ActionState state = switch (mode) {
                case AUTO -> ActionState.QUEUED;
                case REVIEW -> ActionState.PENDING_REVIEW;
                case DRY_RUN -> ActionState.DRY_RUN;
            };
            long id = actions.journal(a, mode, state, now, held, reason);
            ids.add(id);
            if (mode == ActionMode.AUTO) run.add(id);
            if (mode == ActionMode.DRY_RUN) {
                actions.finish(id, Execution.local(ActionState.DRY_RUN, "not sent (dry-run)", intent(a.type(), a.target(), a.attributes()),
                        null, null), now);
            }
        }

        /** Journals the brake's entries not journaled yet; they always run (they tell staff). */
        void journalBrakeEvents(Instant now) {
            for (; journaledEvents < brakeEvents.size(); journaledEvents++) {
                long id = actions.journal(brakeEvents.get(journaledEvents).entry(), ActionMode.AUTO, ActionState.QUEUED, now, null,
                        reason);
                ids.add(id);
                run.add(id);
            }
        }
    }

    /**
     * Carries out a journaled action and journals what became of it, under its subscriber's lock: the
     * rule learns what was carried out ({@link StrikeEngine#carriedOut}), which may call for undoing it.
     */
    private void execute(long id) {
        ActionRecord a = journal.find(id).orElseThrow();
        Execution result;
        try {
            result = switch (a.type()) {
                case FENCE, RESTORE, DISCONNECT -> sendToNas(a);
                case ACL -> exportAddress(a);
                case NOTICE -> sendNotice(a);
                case BRAKE -> tellStaff(a);
            };
        } catch (RuntimeException e) {
            // Never leave an action QUEUED forever because of a bug or a bad row: journal the failure.
            result = Execution.local(ActionState.FAILED, "error: " + e, null, null, null);
        }
        Execution r = result;
        decideAndRun((strikes, entries) -> {
            Optional<StrikeState> before = a.subscriber().isEmpty() ? Optional.empty() : strikes.lock(a.subscriber());
            Instant now = clock.instant();
            entries.actions.finish(id, r, now);
            if (r.state() == ActionState.DONE && !a.subscriber().isEmpty()) {
                String target = r.target() != null ? r.target() : a.target();
                StrikeState standing = before.orElseGet(() -> StrikeState.first(a.subscriber()));
                entries.decided(strikes, before, engine.carriedOut(standing, a, target, now), Optional.empty(), now);
            }
        });
    }

    private Execution sendToNas(ActionRecord a) {
        SessionTarget target = SessionTarget.parse(a.target());
        NasCommand command = a.type() == ActionType.DISCONNECT ? NasCommand.disconnect(target)
                : NasCommand.coa(target, NasAttribute.parseList(a.attributes()));
        CoaResult first = nas.send(command);
        if (!first.sessionGone()) {
            return from(stateOf(first), null, List.of(first), first.detail());
        }
        Optional<SessionTarget> current;
        try {
            current = currentSession.apply(a.subscriber());
        } catch (RuntimeException e) {
            return from(ActionState.FAILED, null, List.of(first), "session gone (NAK 503); current session lookup failed: " + e.getMessage());
        }
        if (current.isEmpty() || current.get().equals(target)) {
            return from(ActionState.CLOSED, null, List.of(first), "session gone (NAK 503) and the subscriber has no other session");
        }
        CoaResult second = nas.send(command.retarget(current.get()));
        String note = "session gone (NAK 503); re-targeted to the current session " + current.get().describe()
                + (second.detail().isEmpty() ? "" : "; " + second.detail());
        return from(stateOf(second), current.get().describe(), List.of(first, second), note);
    }

    private static ActionState stateOf(CoaResult r) {
        return r.outcome() == CoaResult.Outcome.ACK ? ActionState.DONE : ActionState.FAILED;
    }

    private static Execution from(ActionState state, String newTarget, List<CoaResult> results, String note) {
        CoaResult last = results.get(results.size() - 1);
        int attempts = results.stream().mapToInt(CoaResult::attempts).sum();
        String request = String.join("\n\n", results.stream().map(CoaResult::request).toList());
        String answer = String.join("\n\n", results.stream().map(r -> r.answer().isEmpty() ? "(no answer: " + r.summary() + ")" : r.answer()).toList());
        String outcome = results.size() == 1 ? last.summary() : results.get(0).summary() + ", then " + last.summary();
        return new Execution(state, newTarget, outcome, last.errorCause(), attempts, last.nas(), request, answer,
                note == null || note.isEmpty() ? null : note);
    }

    private Execution exportAddress(ActionRecord a) {
        Instant now = clock.instant();
        boolean blocked = store.read((strikes, actions) -> strikes.find(a.subscriber())).map(s -> s.blockedAt(now)).orElse(false);
        String request = intent(a.type(), a.target(), List.of());
        return blocked ? Execution.local(ActionState.DONE, "exported", request, null, null)
                : Execution.local(ActionState.CLOSED, "block already ended", request, null, null);
    }

    private Execution sendNotice(ActionRecord a) {
        return mail("notice to " + a.subscriber(), () -> notices.send(store.read((strikes, actions) -> notice(strikes, a))));
    }

    /** The brake's entry, e-mailed to {@code action.brake.notify} when one is set. */
    private Execution tellStaff(ActionRecord a) {
        if (a.target() == null) {
            return Execution.local(ActionState.DONE, "journaled only (no action.brake.notify set)", null, null, null);
        }
        int colon = a.rule().indexOf(": ");
        String subject = "Trapline: " + (colon > 0 ? a.rule().substring(0, colon) : a.rule());
        String text = a.rule() + "\n\n"
                + "Actions waiting for review:  bin/trapline actions --pending\n"
                + "Carry one out or turn it down:  bin/trapline confirm ID --by USER / bin/trapline dismiss ID --by USER\n"
                + "The brake:  bin/trapline brake status | on | off\n\n"
                + "Journal entry: action " + a.id() + " at " + a.createdAt() + "\n";
        return mail("mail to " + a.target(), () -> notices.sendToStaff(new StaffNotice(a.id(), a.target(), subject, text)));
    }

    /** Something that sends a mail and says how it went. */
    @FunctionalInterface
    private interface Mailing {
        String send() throws Exception;
    }

    private static Execution mail(String request, Mailing mailing) {
        try {
            return Execution.local(ActionState.DONE, "sent", request, mailing.send(), null);
        } catch (Exception e) {
            return Execution.local(ActionState.FAILED, "failed: " + e.getMessage(), request, null, e.getClass().getSimpleName());
        }
    }

    private Notice notice(StrikeRepository strikes, ActionRecord a) {
        Instant now = clock.instant();
        SubscriberStatus s = strikes.find(a.subscriber())
                .map(st -> engine.status(st, strikes.hitsSince(a.subscriber(), engine.windowBefore(now)), now))
                .orElse(new SubscriberStatus(a.subscriber(), 0, null, null, null, null, null, 0));
        List<CountedHit> hits = strikes.hits(a.hitIds());
        CountedHit sample = hits.isEmpty() ? null : hits.get(hits.size() - 1);
        return new Notice(a.id(), a.subscriber(), a.rule(), s.strikes(), s.suspended(), s.blockedUntil(), hits.size(),
                hits.isEmpty() ? null : hits.get(0).at(), sample == null ? null : sample.at(),
                sample == null ? null : sample.hitId(), sample == null ? null : sample.originIp());
    }

    private static String intent(ActionType type, String target, List<NasAttribute> attributes) {
        return switch (type) {
            case FENCE, RESTORE -> "CoA-Request to " + target + (attributes.isEmpty() ? "" : " with " + attributes.stream()
                    .map(NasAttribute::toString).reduce((x, y) -> x + ", " + y).orElse(""));
            case DISCONNECT -> "Disconnect-Request to " + target;
            case ACL -> "ACL entry for " + target;
            case NOTICE -> "notice to " + target;
            case BRAKE -> "mail to " + target;
        };
    }
}
