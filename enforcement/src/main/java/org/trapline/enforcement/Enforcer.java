package org.trapline.enforcement;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;
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
 * confirm, dismiss and unblock. Each decision and its journal entries commit in one transaction;
 * actions in {@code auto} mode are then carried out (outside any lock, so a slow NAS delays only its
 * own action), {@code review} ones wait for {@link #confirm}, {@code dry-run} ones are only journaled.
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
 * <p>Thread-safe: decisions are serialised, NAS calls run on the caller's thread.
 */
public final class Enforcer {
    private static final Logger LOG = LoggerFactory.getLogger(Enforcer.class);

    private final PolicySettings settings;
    private final Jdbi db;
    private final NasGateway nas;
    private final NoticeSender notices;
    private final Function<String, Optional<SessionTarget>> currentSession;
    private final Clock clock;
    private final StrikeEngine engine;
    private final ActionJournal journal;
    private final ActionBrake brake;
    private final Exemptions exemptions;
    private final Object decisions = new Object();

    /** What a decision journals: the brake's entries it produces go to {@code brakeEvents}. */
    @FunctionalInterface
    private interface Decision {
        List<PlannedAction> decide(Handle h, List<ActionBrake.Event> brakeEvents);
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
        this.settings = Objects.requireNonNull(settings, "settings");
        this.db = Objects.requireNonNull(db, "db");
        this.nas = Objects.requireNonNull(nas, "nas");
        this.notices = Objects.requireNonNull(notices, "notices");
        this.currentSession = Objects.requireNonNull(currentSession, "currentSession");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.engine = new StrikeEngine(settings, clock);
        this.journal = new ActionJournal(db);
        this.brake = new ActionBrake(settings.brake(), clock);
        this.exemptions = Objects.requireNonNull(exemptions, "exemptions");
    }

    public ActionJournal journal() {
        return journal;
    }

    /**
     * Counts a trap hit against its subscriber and carries out what it calls for. Unattributed hits
     * only go to the review list; a hit id seen before changes nothing. An exempt subscriber's hits
     * count as any other's; what they call for waits for review.
     *
     * @return the actions journaled for this hit (empty for most hits), the brake's entries among them
     */
    public List<ActionRecord> onHit(StrikeHit hit) {
        Optional<String> exempt = hit.attribution().actionable()
                ? exemptions.reason(hit.subscriber(), hit.originIp(), hit.session() == null ? null : hit.session().framedIp())
                : Optional.empty();
        return decideAndRun((h, brakeEvents) -> engine.onHit(h, hit), exempt);
    }

    /**
     * Ends due blocks: restoring CoAs, and pending fences nobody confirmed are dismissed; releases brake
     * limits whose hour has passed. Call every minute or so.
     */
    public List<ActionRecord> expireDue() {
        return decideAndRun((h, brakeEvents) -> {
            brake.releaseStale(h, brakeEvents);
            List<String> expired = new ArrayList<>();
            List<PlannedAction> restores = engine.expire(h, expired);
            for (String subscriber : expired) {
                ActionJournal.dismissOpen(h, subscriber, "expiry", clock.instant(), "block ended before review");
            }
            return restores;
        }, Optional.empty());
    }

    /**
     * Staff turn every automatic action to review at once, until {@link #releaseBrake}; journaled (and
     * e-mailed to staff) with who, when and why. Persisted in the policy database, so it holds across a
     * restart and for whichever process decides next. Restores still run.
     *
     * @return the journal entry
     * @throws IllegalStateException the brake is on already
     */
    public ActionRecord engageBrake(String staffUser, String reason) {
        String actor = staff(staffUser);
        return decideAndRun((h, brakeEvents) -> {
            brake.switchOn(h, actor, reason, brakeEvents);
            return List.of();
        }, Optional.empty()).get(0);
    }

    /**
     * Staff let automatic actions run again (within the hourly limits); journaled. Actions held
     * meanwhile stay pending review.
     *
     * @return the journal entry
     * @throws IllegalStateException the brake is not on
     */
    public ActionRecord releaseBrake(String staffUser, String reason) {
        String actor = staff(staffUser);
        return decideAndRun((h, brakeEvents) -> {
            brake.switchOff(h, actor, reason, brakeEvents);
            return List.of();
        }, Optional.empty()).get(0);
    }

    /** The switch, the limits reached and the last hour's automatic actions. */
    public BrakeStatus brakeStatus() {
        return db.withHandle(brake::status);
    }

    /**
     * Staff lift a block or suspension: strikes reset, pending actions dismissed, the session restored.
     *
     * @return empty when the policy has never seen the subscriber
     */
    public Optional<List<ActionRecord>> unblock(String subscriber, String staffUser) {
        String actor = staff(staffUser);
        List<ActionRecord> done = new ArrayList<>();
        boolean[] known = {false};
        done.addAll(decideAndRun((h, brakeEvents) -> {
            Optional<List<PlannedAction>> planned = engine.unblock(h, subscriber, actor);
            known[0] = planned.isPresent();
            if (planned.isPresent()) ActionJournal.dismissOpen(h, subscriber, actor, clock.instant(), "unblocked");
            return planned.orElse(List.of());
        }, Optional.empty()));
        return known[0] ? Optional.of(done) : Optional.empty();
    }

    /**
     * Staff approve a pending action; it is carried out now.
     *
     * @throws NoSuchElementException no such action
     * @throws IllegalStateException  the action is not pending review
     */
    public ActionRecord confirm(long id, String staffUser) {
        String actor = staff(staffUser);
        synchronized (decisions) {
            db.useTransaction(h -> {
                ActionRecord a = ActionJournal.find(h, id).orElseThrow(() -> new NoSuchElementException("no action " + id));
                if (!ActionJournal.decide(h, id, ActionState.PENDING_REVIEW, ActionState.QUEUED, actor, clock.instant(), null)) {
                    throw new IllegalStateException("action " + id + " is " + a.state() + ", not pending review"
                            + (a.state() == ActionState.FAILED ? " (a failed action can be retried: trapline retry " + id + ")" : ""));
                }
            });
        }
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
    public ActionRecord retry(long id, String staffUser) {
        String actor = staff(staffUser);
        long retryId;
        synchronized (decisions) {
            retryId = db.inTransaction(h -> {
                ActionRecord a = ActionJournal.find(h, id).orElseThrow(() -> new NoSuchElementException("no action " + id));
                if (a.state() != ActionState.FAILED) {
                    throw new IllegalStateException("action " + id + " is " + a.state() + ", not FAILED: only a failed action can be retried"
                            + (a.state() == ActionState.PENDING_REVIEW ? " (confirm it: trapline confirm " + id + ")" : ""));
                }
                Optional<Long> later = ActionJournal.retriedBy(h, id);
                if (later.isPresent()) {
                    throw new IllegalStateException("action " + id + " was retried already as action " + later.get()
                            + "; retry that one if it failed too");
                }
                boolean blocked = engine.blocked(h, a.subscriber());
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
                return ActionJournal.insertRetry(h, again, id, actor, clock.instant());
            });
        }
        execute(retryId);
        return journal.find(retryId).orElseThrow();
    }

    /**
     * Staff turn a pending action down.
     *
     * @throws NoSuchElementException no such action
     * @throws IllegalStateException  the action is not pending review
     */
    public ActionRecord dismiss(long id, String staffUser) {
        String actor = staff(staffUser);
        synchronized (decisions) {
            return db.inTransaction(h -> {
                ActionRecord a = ActionJournal.find(h, id).orElseThrow(() -> new NoSuchElementException("no action " + id));
                if (!ActionJournal.decide(h, id, ActionState.PENDING_REVIEW, ActionState.DISMISSED, actor, clock.instant(), null)) {
                    throw new IllegalStateException("action " + id + " is " + a.state() + ", not pending review");
                }
                return ActionJournal.find(h, id).orElseThrow();
            });
        }
    }

    /** Carries out automatic actions a crash left queued. Call once at startup. */
    public List<ActionRecord> resumeQueued() {
        List<Long> queued = db.withHandle(h -> h.createQuery("SELECT id FROM enforcement_action WHERE state = 'QUEUED' ORDER BY id")
                .mapTo(Long.class).list());
        List<ActionRecord> out = new ArrayList<>();
        for (long id : queued) {
            execute(id);
            out.add(journal.find(id).orElseThrow());
        }
        return out;
    }

    /** The subscriber's standing now, or empty if the policy never saw them. */
    public Optional<SubscriberStatus> status(String subscriber) {
        return db.withHandle(h -> engine.status(h, subscriber));
    }

    /** Hits that named nobody, newest first, for staff review. */
    public List<UnattributedHit> unattributedHits(int limit) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM unattributed_hit ORDER BY at_ms DESC, hit_id LIMIT :n")
                .bind("n", limit)
                .map((rs, ctx) -> new UnattributedHit(rs.getString("hit_id"), Instant.ofEpochMilli(rs.getLong("at_ms")),
                        rs.getString("origin_ip"), HitAttribution.valueOf(rs.getString("attribution"))))
                .list());
    }

    /** Addresses blocked at routers right now (input of {@link AclExport}). */
    public List<BlockedAddress> blockedAddresses() {
        return db.withHandle(engine::blockedAddresses);
    }

    /**
     * Journals what {@code decide} calls for in one transaction and carries out the automatic actions
     * after it commits.
     *
     * @param exempt why the subscriber of these actions is exempt, if they are
     */
    private List<ActionRecord> decideAndRun(Decision decide, Optional<String> exempt) {
        List<Long> ids = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        List<ActionBrake.Event> told = new ArrayList<>();
        synchronized (decisions) {
            db.useTransaction(h -> {
                Instant now = clock.instant();
                List<ActionBrake.Event> events = new ArrayList<>();
                List<PlannedAction> planned = decide.decide(h, events);
                int journaled = journalBrake(h, events, 0, now, ids, run);
                ActionBrake.Decision decision = new ActionBrake.Decision();
                for (PlannedAction a : planned) {
                    ActionMode mode = settings.mode(a.type());
                    String held = null;
                    if (a.type().holdable() && mode != ActionMode.DRY_RUN) {
                        if (exempt.isPresent()) {
                            held = exempt.get();
                        } else if (mode == ActionMode.AUTO) {
                            held = brake.hold(h, a, decision, events).orElse(null);
                            journaled = journalBrake(h, events, journaled, now, ids, run);
                        }
                    }
                    if (held != null) {
                        mode = ActionMode.REVIEW;
                        if (decision.held == null) decision.held = held;
                        engine.markHeld(h, a.subscriber(), held);
                    } else if (mode == ActionMode.AUTO && a.type().cutsOff()) {
                        decision.ranCuttingOff = true;
                    }
                    ActionState state = switch (mode) {
                        case AUTO -> ActionState.QUEUED;
                        case REVIEW -> ActionState.PENDING_REVIEW;
                        case DRY_RUN -> ActionState.DRY_RUN;
                    };
                    long id = ActionJournal.insert(h, a, mode, state, now, held);
                    ids.add(id);
                    if (mode == ActionMode.AUTO) run.add(id);
                    if (mode == ActionMode.DRY_RUN) {
                        ActionJournal.finish(h, id, new ActionJournal.Execution(ActionState.DRY_RUN, null, "not sent (dry-run)",
                                null, null, null, intent(a.type(), a.target(), a.attributes()), null, null), now);
                    }
                }
                told.addAll(events);
            });
        }
        for (ActionBrake.Event e : told) {
            if (e.engaged()) {
                LOG.warn("{}; see bin/trapline actions --pending and bin/trapline brake status", e.entry().rule());
            } else {
                LOG.info("{}", e.entry().rule());
            }
        }
        for (long id : run) execute(id);
        List<ActionRecord> out = new ArrayList<>();
        for (long id : ids) out.add(journal.find(id).orElseThrow());
        return out;
    }

    /** Journals the brake's entries from {@code events[from..]}; they always run (they tell staff). */
    private static int journalBrake(Handle h, List<ActionBrake.Event> events, int from, Instant now, List<Long> ids, List<Long> run) {
        for (int i = from; i < events.size(); i++) {
            long id = ActionJournal.insert(h, events.get(i).entry(), ActionMode.AUTO, ActionState.QUEUED, now);
            ids.add(id);
            run.add(id);
        }
        return events.size();
    }

    private void execute(long id) {
        ActionRecord a = journal.find(id).orElseThrow();
        ActionJournal.Execution result;
        try {
            result = switch (a.type()) {
                case FENCE, RESTORE, DISCONNECT -> sendToNas(a);
                case ACL -> exportAddress(a);
                case NOTICE -> sendNotice(a);
                case BRAKE -> tellStaff(a);
            };
        } catch (RuntimeException e) {
            // Never leave an action QUEUED forever because of a bug or a bad row: journal the failure.
            result = new ActionJournal.Execution(ActionState.FAILED, null, "error: " + e, null, null, null, null, null, null);
        }
        ActionJournal.Execution r = result;
        boolean[] lateFence = {false};
        synchronized (decisions) {
            db.useTransaction(h -> {
                ActionJournal.finish(h, id, r, clock.instant());
                if (r.state() == ActionState.DONE && a.type() == ActionType.FENCE) {
                    engine.markFenced(h, a.subscriber(), r.target() != null ? r.target() : a.target());
                    lateFence[0] = !engine.blocked(h, a.subscriber());
                }
                if (r.state() == ActionState.DONE && a.type() == ActionType.ACL) {
                    engine.markAcl(h, a.subscriber(), a.target());
                }
                if (r.state() == ActionState.DONE && a.type() == ActionType.DISCONNECT) {
                    engine.clearHeld(h, a.subscriber());
                }
            });
        }
        if (lateFence[0]) {
            // The block ended (expiry or unblock) while the NAS was applying the fence: undo it, or the
            // subscriber would stay fenced with nothing left to restore them.
            String target = r.target() != null ? r.target() : a.target();
            decideAndRun((h, brakeEvents) -> List.of(new PlannedAction(ActionType.RESTORE, a.subscriber(), target,
                    settings.restoreAttributes(), "block ended while fence " + id + " was being applied", a.hitIds(), "expiry")),
                    Optional.empty());
        }
    }

    private ActionJournal.Execution sendToNas(ActionRecord a) {
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

    private static ActionJournal.Execution from(ActionState state, String newTarget, List<CoaResult> results, String note) {
        CoaResult last = results.get(results.size() - 1);
        int attempts = results.stream().mapToInt(CoaResult::attempts).sum();
        String request = String.join("\n\n", results.stream().map(CoaResult::request).toList());
        String answer = String.join("\n\n", results.stream().map(r -> r.answer().isEmpty() ? "(no answer: " + r.summary() + ")" : r.answer()).toList());
        String outcome = results.size() == 1 ? last.summary() : results.get(0).summary() + ", then " + last.summary();
        return new ActionJournal.Execution(state, newTarget, outcome, last.errorCause(), attempts, last.nas(), request, answer,
                note == null || note.isEmpty() ? null : note);
    }

    private ActionJournal.Execution exportAddress(ActionRecord a) {
        boolean blocked = db.withHandle(h -> engine.blocked(h, a.subscriber()));
        if (!blocked) {
            return new ActionJournal.Execution(ActionState.CLOSED, null, "block already ended", null, null, null,
                    intent(a.type(), a.target(), List.of()), null, null);
        }
        return new ActionJournal.Execution(ActionState.DONE, null, "exported", null, null, null,
                intent(a.type(), a.target(), List.of()), null, null);
    }

    private ActionJournal.Execution sendNotice(ActionRecord a) {
        Notice notice = db.withHandle(h -> buildNotice(h, a));
        try {
            String sent = notices.send(notice);
            return new ActionJournal.Execution(ActionState.DONE, null, "sent", null, null, null,
                    "notice to " + a.subscriber(), sent, null);
        } catch (Exception e) {
            return new ActionJournal.Execution(ActionState.FAILED, null, "failed: " + e.getMessage(), null, null, null,
                    "notice to " + a.subscriber(), null, e.getClass().getSimpleName());
        }
    }

    /** The brake's entry, e-mailed to {@code action.brake.notify} when one is set. */
    private ActionJournal.Execution tellStaff(ActionRecord a) {
        if (a.target() == null) {
            return new ActionJournal.Execution(ActionState.DONE, null, "journaled only (no action.brake.notify set)", null, null, null,
                    null, null, null);
        }
        int colon = a.rule().indexOf(": ");
        String subject = "Trapline: " + (colon > 0 ? a.rule().substring(0, colon) : a.rule());
        String text = a.rule() + "\n\n"
                + "Actions waiting for review:  bin/trapline actions --pending\n"
                + "Carry one out or turn it down:  bin/trapline confirm ID --by USER / bin/trapline dismiss ID --by USER\n"
                + "The brake:  bin/trapline brake status | on | off\n\n"
                + "Journal entry: action " + a.id() + " at " + a.createdAt() + "\n";
        try {
            String sent = notices.sendToStaff(new StaffNotice(a.id(), a.target(), subject, text));
            return new ActionJournal.Execution(ActionState.DONE, null, "sent", null, null, null, "mail to " + a.target(), sent, null);
        } catch (Exception e) {
            return new ActionJournal.Execution(ActionState.FAILED, null, "failed: " + e.getMessage(), null, null, null,
                    "mail to " + a.target(), null, e.getClass().getSimpleName());
        }
    }

    private Notice buildNotice(Handle h, ActionRecord a) {
        SubscriberStatus s = engine.status(h, a.subscriber()).orElse(
                new SubscriberStatus(a.subscriber(), 0, null, null, null, null, null, 0));
        List<String> ids = a.hitIds().isEmpty() ? List.of("") : a.hitIds();
        record Hit(String id, Instant at, String ip) {}
        List<Hit> hits = h.createQuery("SELECT hit_id, at_ms, origin_ip FROM strike_hit WHERE hit_id IN (<ids>) ORDER BY at_ms, hit_id")
                .bindList("ids", ids)
                .map((rs, ctx) -> new Hit(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3))).list();
        Hit sample = hits.isEmpty() ? null : hits.get(hits.size() - 1);
        return new Notice(a.id(), a.subscriber(), a.rule(), s.strikes(), s.suspended(), s.blockedUntil(), hits.size(),
                hits.isEmpty() ? null : hits.get(0).at(), sample == null ? null : sample.at(),
                sample == null ? null : sample.id(), sample == null ? null : sample.ip());
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

    private static String staff(String user) {
        if (user == null || user.isBlank()) throw new IllegalArgumentException("staff user name is required");
        return "staff:" + user.strip();
    }
}
