package org.trapline.desk;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.trapline.attribution.session.Session;
import org.trapline.desk.casebook.Casebook;
import org.trapline.desk.view.ActionView;
import org.trapline.desk.view.AuditCheck;
import org.trapline.desk.view.AuditEntry;
import org.trapline.desk.view.BlockView;
import org.trapline.desk.view.BrakeView;
import org.trapline.desk.view.CaseNote;
import org.trapline.desk.view.CaseStatus;
import org.trapline.desk.view.CaseView;
import org.trapline.desk.view.EvidenceSummary;
import org.trapline.desk.view.HitView;
import org.trapline.desk.view.MboxReport;
import org.trapline.desk.view.PurgeView;
import org.trapline.desk.view.RawMessage;
import org.trapline.desk.view.ReceivedChain;
import org.trapline.desk.view.ReviewItem;
import org.trapline.desk.view.SearchView;
import org.trapline.desk.view.Standing;
import org.trapline.desk.view.UnattributedView;
import org.trapline.desk.view.UnblockView;
import org.trapline.enforcement.ActionJournal;
import org.trapline.enforcement.ActionRecord;
import org.trapline.enforcement.ActionState;
import org.trapline.enforcement.Enforcer;
import org.trapline.enforcement.StaffAct;
import org.trapline.evidence.CaseSummary;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.StoredHit;
import org.trapline.evidence.export.Mbox;
import org.trapline.evidence.mime.MessageFiles;
import org.trapline.evidence.search.QuerySyntaxException;
import org.trapline.evidence.search.SearchCursor;
import org.trapline.evidence.search.SearchResult;
import org.trapline.reports.out.Incident;

/**
 * What abuse staff look at and decide, joined from the evidence and the strike policy: searches over
 * trap hits, one hit with its trace, a subscriber's case, the action journal and its review queue, and
 * the staff decisions on actions. Every answer is a view ({@link org.trapline.desk.view}) with one JSON
 * form; the command line prints it as text or JSON, the web desk will serve it.
 *
 * <p>Absence is a value (an empty {@link Optional}: no such hit, no case); a refusal is a
 * {@link DeskException} saying why. Decisions go through the {@link Enforcer}, so they are journaled and
 * serialised with the hits arriving meanwhile; each names its {@link StaffAct} (who, from where, why), and
 * every staff act the desk performs is entered in the hash-chained audit of its {@link Casebook}, which
 * also keeps the notes and status of a case.
 *
 * <p>The stores are asked for on first use: a command that only lists actions does not open the search
 * index. Whoever opened them closes them; the desk holds no state of its own and is thread-safe as the
 * stores are.
 */
public final class Desk {
    /** Most hits one search page may list. */
    public static final int MAX_LIMIT = 100_000;
    /** Most values one facet may count. */
    public static final int MAX_FACET_VALUES = 10_000;
    /** Hit ids of one action looked up for its evidence summary, the newest: a long list would make a queue slow. */
    static final int SUMMARY_HITS = 50;
    /** Distinct values per list of an evidence summary. */
    static final int SUMMARY_VALUES = 5;
    private static final int EXPORT_PAGE = 200;
    /** Notes a case shows, the newest. */
    static final int CASE_NOTES = 500;
    /** Days a review item's "hits this week" counts. */
    static final int WEEK_DAYS = 7;

    private final Supplier<EvidenceStore> evidence;
    private final Supplier<Enforcer> enforcer;
    private final Supplier<Casebook> casebook;
    private final SessionLookup sessions;
    private final Clock clock;

    /**
     * @param evidence the data directory's evidence store, opened on first use by whoever owns it
     * @param enforcer the data directory's enforcer (strike policy and action journal), likewise
     * @param casebook the data directory's casebook (staff audit, case notes and status), likewise
     * @param clock    what "now" is when the desk says whether a block holds, and when staff acted
     */
    public Desk(Supplier<EvidenceStore> evidence, Supplier<Enforcer> enforcer, Supplier<Casebook> casebook, Clock clock) {
        this(evidence, enforcer, casebook, SessionLookup.NONE, clock);
    }

    /**
     * @param sessions the access session a hit fell in, read from the session store when a hit is shown
     */
    public Desk(Supplier<EvidenceStore> evidence, Supplier<Enforcer> enforcer, Supplier<Casebook> casebook, SessionLookup sessions,
            Clock clock) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.enforcer = Objects.requireNonNull(enforcer, "enforcer");
        this.casebook = Objects.requireNonNull(casebook, "casebook");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Where a case export writes; opened only once there is something to write. */
    @FunctionalInterface
    public interface Output {
        OutputStream open() throws IOException;
    }

    /**
     * One page of trap hits matching a desk query, newest first.
     *
     * @param query  the desk's query language; null or blank lists every hit
     * @param limit  hits on the page, 0 to {@value #MAX_LIMIT} (0 counts without listing)
     * @param facets values to count per facet over every match, 0 (none) to {@value #MAX_FACET_VALUES}
     * @param after  the {@code next} of the page before, or null for the first page
     * @throws DeskException BAD_INPUT for a query, cursor or bound the desk cannot run; the message says
     *                       what is wrong ({@code bad query: ...})
     */
    public SearchView search(String query, int limit, int facets, String after) {
        if (limit < 0 || limit > MAX_LIMIT) {
            throw badInput("limit must be between 0 and " + MAX_LIMIT);
        }
        if (facets < 0 || facets > MAX_FACET_VALUES) {
            throw badInput("facet values must be between 0 and " + MAX_FACET_VALUES);
        }
        SearchCursor cursor;
        try {
            cursor = after == null || after.isBlank() ? null : SearchCursor.parse(after);
        } catch (IllegalArgumentException e) {
            throw badInput(e.getMessage());
        }
        SearchResult r;
        try {
            r = evidence.get().search(query == null ? "" : query, limit, facets, cursor);
        } catch (QuerySyntaxException e) {
            throw badInput("bad query: " + e.getMessage());
        }
        return new SearchView(r.total(), r.hits(), r.facets(), r.next());
    }

    /**
     * How many hits matching a desk query were recorded after hit {@code afterId}: what a page that showed
     * hits up to that id has not shown yet.
     *
     * @throws DeskException BAD_INPUT for a query the desk cannot run
     */
    public long newHits(String query, long afterId) {
        try {
            return evidence.get().countAfter(query == null ? "" : query, afterId);
        } catch (QuerySyntaxException e) {
            throw badInput("bad query: " + e.getMessage());
        }
    }

    /**
     * One trap hit with its decoded message and its attachments (while the raw body is kept), its Received
     * chain and the access session it was attributed to (while the session store has it).
     */
    public Optional<HitView> hit(long id) {
        EvidenceStore store = evidence.get();
        return store.find(id).map(s -> {
            MessageFiles.Attachments files = s.hasRaw() ? store.raw(id).map(raw -> MessageFiles.of(raw).attachments()).orElse(null) : null;
            return new HitView(s, s.hasRaw() ? store.content(id).orElse(null) : null,
                    ReceivedChain.parse(s.hit().traceJson()).orElse(null), sessionOf(s), files);
        });
    }

    private Session sessionOf(StoredHit s) {
        String id = s.hit().sessionId();
        String nas = s.hit().nasIp();
        return id == null || id.isBlank() || nas == null || nas.isBlank() ? null : sessions.find(nas, id).orElse(null);
    }

    /** A hit's message byte for byte; its bytes are null once retention purged them. Empty: no such hit. */
    public Optional<RawMessage> raw(long id) {
        EvidenceStore store = evidence.get();
        return store.find(id).map(s -> new RawMessage(id, s.sha256(), store.raw(id).orElse(null), s.rawPurgedAt()));
    }

    /**
     * Writes every kept message of a subscriber as one mbox, oldest first, and closes the output.
     *
     * @return empty, with nothing opened, when the subscriber has no trap hits
     */
    public Optional<MboxReport> caseMbox(String subscriber, Output output) throws IOException {
        return caseIncidents(subscriber, output, (out, incident) -> Mbox.write(out, incident.mailFrom(), incident.arrival(), incident.original()));
    }

    /** Writes one incident of a case to the case's output. */
    public interface IncidentWriter {
        void write(OutputStream out, Incident incident) throws IOException;
    }

    /**
     * Hands every kept message of a subscriber, oldest first, as the incident an abuse report is about to
     * the writer, on one output it then closes: what a case export in any format walks.
     *
     * @return empty, with nothing opened, when the subscriber has no trap hits
     */
    public Optional<MboxReport> caseIncidents(String subscriber, Output output, IncidentWriter writer) throws IOException {
        EvidenceStore store = evidence.get();
        if (store.caseSummary(subscriber).hits() == 0) {
            return Optional.empty();
        }
        long written = 0;
        long purged = 0;
        try (OutputStream out = output.open()) {
            long after = 0;
            List<StoredHit> page;
            while (!(page = store.hitsOf(subscriber, after, EXPORT_PAGE)).isEmpty()) {
                for (StoredHit h : page) {
                    Optional<byte[]> raw = store.raw(h.id());
                    if (raw.isPresent()) {
                        writer.write(out, HitIncident.of(h, raw.get()));
                        written++;
                    } else {
                        purged++;
                    }
                    after = h.id();
                }
            }
        }
        return Optional.of(new MboxReport(written, purged));
    }

    /**
     * A kept hit as the incident an abuse report is about (origin address and port, arrival, envelope,
     * the message byte for byte). Empty when there is no such hit or retention purged its message.
     */
    public Optional<Incident> incident(long id) {
        EvidenceStore store = evidence.get();
        return store.find(id).flatMap(s -> store.raw(id).map(raw -> HitIncident.of(s, raw)));
    }

    /**
     * A subscriber's case: hits by day and session, the standing with the strike policy, every action
     * taken, staff's notes (newest first) and the case's status. Empty when the evidence holds no trap
     * hit of theirs.
     */
    public Optional<CaseView> caseOf(String subscriber) {
        CaseSummary c = evidence.get().caseSummary(subscriber);
        if (c.hits() == 0) {
            return Optional.empty();
        }
        Enforcer e = enforcer.get();
        Standing standing = e.status(subscriber).map(s -> Standing.of(s, clock.instant())).orElse(null);
        Casebook book = casebook.get();
        return Optional.of(new CaseView(c, standing, e.journal().forSubscriber(subscriber).stream().map(ActionView::new).toList(),
                book.notes(subscriber, CASE_NOTES), book.status(subscriber).orElse(CaseStatus.unset())));
    }

    /**
     * Staff write a note on a subscriber's case; audited.
     *
     * @throws DeskException NOT_FOUND when the evidence holds no trap hit of theirs, BAD_INPUT for an
     *                       empty note or one longer than {@value Casebook#MAX_NOTE} characters
     */
    public CaseNote addNote(String subscriber, StaffAct act, String text) {
        String note = text == null ? "" : text.strip();
        if (note.isEmpty() || note.length() > Casebook.MAX_NOTE) {
            throw badInput("a note is 1 to " + Casebook.MAX_NOTE + " characters");
        }
        requireCase(subscriber);
        return casebook.get().addNote(subscriber, act, note, clock.instant());
    }

    /**
     * Staff set where a subscriber's case stands ({@code open}, {@code waiting-for-customer},
     * {@code resolved}, {@code ignored}), with the act's reason; audited.
     *
     * @throws DeskException NOT_FOUND when the evidence holds no trap hit of theirs, BAD_INPUT for a
     *                       status there is not
     */
    public CaseStatus setCaseStatus(String subscriber, String status, StaffAct act) {
        CaseStatus.State state;
        try {
            state = CaseStatus.State.parse(status);
        } catch (IllegalArgumentException e) {
            throw badInput(e.getMessage());
        }
        requireCase(subscriber);
        return casebook.get().setStatus(subscriber, state, act, clock.instant());
    }

    private void requireCase(String subscriber) {
        if (evidence.get().caseSummary(subscriber).hits() == 0) {
            throw new DeskException(DeskException.Reason.NOT_FOUND, "no trap hits of subscriber " + subscriber);
        }
    }

    /**
     * Enters a staff act the desk did not perform itself in the audit: a login, a failed one, a logout,
     * a look at raw evidence.
     *
     * @param subject what it was done to ({@code hit:7}, {@code user:anna}), or null
     * @param detail  more words, or null
     */
    public AuditEntry audit(StaffAct act, AuditAct what, String subject, String detail) {
        return casebook.get().record(act, what, subject, detail, clock.instant());
    }

    /**
     * The audit's entries at or after {@code since} (null: from the first), newest first.
     *
     * @param limit most entries, 1 to {@value #MAX_LIMIT}
     */
    public List<AuditEntry> auditLog(Instant since, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw badInput("limit must be between 1 and " + MAX_LIMIT);
        }
        return casebook.get().newest(since, limit);
    }

    /** The audit's entries numbered after {@code afterSeq}, oldest first, at most {@code limit}: an export pages through them. */
    public List<AuditEntry> auditAfter(long afterSeq, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw badInput("limit must be between 1 and " + MAX_LIMIT);
        }
        return casebook.get().after(afterSeq, limit);
    }

    /** Walks the audit's hash chain: intact with its length, or the first entry changed, missing or out of the chain. */
    public AuditCheck verifyAudit() {
        return casebook.get().verify();
    }

    /**
     * Actions of the journal, newest first.
     *
     * @param limit most actions to list ({@link Integer#MAX_VALUE} for all)
     */
    public List<ActionView> actions(ActionFilter filter, int limit) {
        if (limit < 0) {
            throw badInput("limit must not be negative");
        }
        ActionJournal journal = enforcer.get().journal();
        Stream<ActionRecord> listed = filter.subscriber() == null ? journal.list(filter.pendingOnly()).stream()
                : journal.forSubscriber(filter.subscriber()).stream()
                        .filter(a -> !filter.pendingOnly() || a.state() == ActionState.PENDING_REVIEW)
                        .sorted(Comparator.comparingLong(ActionRecord::id).reversed());
        return listed.limit(limit).map(ActionView::new).toList();
    }

    /** One action of the journal. */
    public Optional<ActionView> action(long id) {
        return enforcer.get().journal().find(id).map(ActionView::new);
    }

    /** The actions waiting for staff, newest first, each with a summary of the trap hits it rests on. */
    public List<ReviewItem> reviewQueue(int limit) {
        return actions(ActionFilter.pending(), limit).stream().map(a -> new ReviewItem(a, evidenceOf(a.action()))).toList();
    }

    /**
     * Trap hits that named nobody because our trace or a clock failed (no origin hop, no usable time),
     * newest first: listed beside the review queue so that the fault is seen; the policy never acts on them.
     */
    public List<UnattributedView> faultyHits(int limit) {
        if (limit < 0) {
            throw badInput("limit must not be negative");
        }
        return enforcer.get().faultyHits(limit).stream().map(UnattributedView::new).toList();
    }

    /**
     * Every trap hit that named nobody, newest first: AMBIGUOUS, NO_SESSION and NOT_OURS as well as the
     * faults of {@link #faultyHits}; never acted on, listed for a human to look at.
     */
    public List<UnattributedView> unattributedHits(int limit) {
        if (limit < 0) {
            throw badInput("limit must not be negative");
        }
        return enforcer.get().unattributedHits(limit).stream().map(UnattributedView::new).toList();
    }

    private EvidenceSummary evidenceOf(ActionRecord action) {
        List<String> ids = action.hitIds();
        List<String> newest = new ArrayList<>(ids.subList(Math.max(0, ids.size() - SUMMARY_HITS), ids.size()));
        Collections.reverse(newest);
        EvidenceStore store = evidence.get();
        List<StoredHit> found = newest.stream().map(Desk::hitId).flatMap(Optional::stream).map(store::find).flatMap(Optional::stream)
                .toList();
        Instant first = found.stream().map(h -> h.hit().receivedAt()).min(Comparator.naturalOrder()).orElse(null);
        Instant last = found.stream().map(h -> h.hit().receivedAt()).max(Comparator.naturalOrder()).orElse(null);
        return new EvidenceSummary(ids.size(), found.size(), hitsThisWeek(store, action.subscriber()), first, last,
                distinct(found, h -> h.hit().originIp()),
                distinct(found, h -> h.hit().sessionId()), distinct(found, h -> h.hit().attributionStatus()),
                distinct(found, StoredHit::subject));
    }

    /** The subscriber's trap hits on the last {@value #WEEK_DAYS} UTC days, today's included, from the case's one count by day. */
    private long hitsThisWeek(EvidenceStore store, String subscriber) {
        if (subscriber == null || subscriber.isEmpty()) {
            return 0;
        }
        LocalDate from = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(WEEK_DAYS - 1);
        return store.caseSummary(subscriber).days().stream().filter(d -> !d.day().isBefore(from)).mapToLong(CaseSummary.Day::hits).sum();
    }

    /** Hit ids travel through the policy as text; one that is no number names no stored hit. */
    private static Optional<Long> hitId(String text) {
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException notAHitId) {
            return Optional.empty();
        }
    }

    private static List<String> distinct(List<StoredHit> hits, Function<StoredHit, String> value) {
        return hits.stream().map(value).filter(Objects::nonNull).distinct().limit(SUMMARY_VALUES).toList();
    }

    /**
     * Staff approve a pending action; it is carried out now.
     *
     * @return the action as it ended (the NAS's answer in it)
     * @throws DeskException NOT_FOUND for no such action, CONFLICT when it is not pending review,
     *                       BAD_INPUT without a reason
     */
    public ActionView confirm(long id, StaffAct act) {
        requireReason(act, "confirming an action");
        return audited(act, AuditAct.CONFIRM, "action:" + id, decided(() -> enforcer.get().confirm(id, act)));
    }

    /**
     * Staff turn a pending action down; nothing is sent.
     *
     * @throws DeskException NOT_FOUND for no such action, CONFLICT when it is not pending review,
     *                       BAD_INPUT without a reason
     */
    public ActionView dismiss(long id, StaffAct act) {
        requireReason(act, "dismissing an action");
        return audited(act, AuditAct.DISMISS, "action:" + id, decided(() -> enforcer.get().dismiss(id, act)));
    }

    /**
     * Staff carry out a FAILED action again, as a new action naming it.
     *
     * @return the new action as it ended
     * @throws DeskException NOT_FOUND for no such action, CONFLICT when it did not fail, was retried
     *                       already or is no longer right
     */
    public ActionView retry(long id, StaffAct act) {
        return audited(act, AuditAct.RETRY, "action:" + id, decided(() -> enforcer.get().retry(id, act)));
    }

    /**
     * Staff lift a subscriber's block or suspension: strikes reset, pending actions dismissed, the
     * session restored.
     *
     * @throws DeskException NOT_FOUND when the strike policy never saw the subscriber, BAD_INPUT without a reason
     */
    public UnblockView unblock(String subscriber, StaffAct act) {
        requireReason(act, "unblocking a subscriber");
        Optional<List<ActionRecord>> done = refusalsTranslated(() -> enforcer.get().unblock(subscriber, act));
        UnblockView view = done.map(actions -> new UnblockView(subscriber, actions.stream().map(ActionView::new).toList()))
                .orElseThrow(() -> new DeskException(DeskException.Reason.NOT_FOUND,
                        "no strikes or blocks recorded for subscriber " + subscriber));
        return audited(act, AuditAct.UNBLOCK, "subscriber:" + subscriber, view);
    }

    /**
     * Staff block a subscriber by hand: the block recorded and their current session fenced now, through
     * the journal like the rule's fences.
     *
     * @param length how long, or null for the block the next strike would earn
     * @throws DeskException BAD_INPUT without a reason or for a length that is not positive, CONFLICT when
     *                       the account is suspended already
     */
    public BlockView block(String subscriber, StaffAct act, Duration length) {
        requireReason(act, "blocking a subscriber");
        Enforcer.Blocked b = refusalsTranslated(() -> enforcer.get().block(subscriber, act, length));
        BlockView view = new BlockView(subscriber, Standing.of(b.status(), clock.instant()), b.actions().stream().map(ActionView::new).toList());
        return audited(act, AuditAct.BLOCK, "subscriber:" + subscriber, view);
    }

    /**
     * Staff drop one hit's raw message, as retention would: the row stays, marked purged; journaled in the
     * evidence journal with who and why.
     *
     * @return empty for no such hit
     * @throws DeskException BAD_INPUT without a reason
     */
    public Optional<PurgeView> purge(long hitId, StaffAct act) {
        requireReason(act, "a purge");
        Optional<PurgeView> done = evidence.get().purgeRaw(hitId, act.actor(), act.reason())
                .map(r -> new PurgeView(hitId, r.hits() > 0, r.rawMessagesErased() > 0, r.journalId()));
        done.ifPresent(v -> audited(act, AuditAct.PURGE, "hit:" + hitId, v));
        return done;
    }

    /**
     * Staff turn every automatic action to review at once, until {@link #brakeOff}.
     *
     * @return the journal entry
     * @throws DeskException CONFLICT when the brake is on already
     */
    public ActionView brakeOn(StaffAct act) {
        return audited(act, AuditAct.BRAKE_ON, "", decided(() -> enforcer.get().engageBrake(act)));
    }

    /**
     * Staff let automatic actions run again, within the hourly limits.
     *
     * @return the journal entry
     * @throws DeskException CONFLICT when the brake is not on
     */
    public ActionView brakeOff(StaffAct act) {
        return audited(act, AuditAct.BRAKE_OFF, "", decided(() -> enforcer.get().releaseBrake(act)));
    }

    /** The brake's switch, the limits reached, the last hour's automatic actions and the review queue's length. */
    public BrakeView brake() {
        Enforcer e = enforcer.get();
        return new BrakeView(e.brakeStatus(), e.journal().list(true).size());
    }

    /** Enters what staff did in the audit once it is done: a refused decision changed nothing. */
    private <T> T audited(StaffAct act, AuditAct what, String subject, T done) {
        audit(act, what, subject, act.reason());
        return done;
    }

    private static void requireReason(StaffAct act, String what) {
        if (act.reason().isEmpty()) {
            throw badInput(what + " needs a reason");
        }
    }

    private static ActionView decided(Supplier<ActionRecord> decision) {
        return new ActionView(refusalsTranslated(decision));
    }

    /** The enforcer's refusals in the desk's terms. */
    private static <T> T refusalsTranslated(Supplier<T> decision) {
        try {
            return decision.get();
        } catch (NoSuchElementException e) {
            throw new DeskException(DeskException.Reason.NOT_FOUND, e.getMessage());
        } catch (IllegalStateException e) {
            throw new DeskException(DeskException.Reason.CONFLICT, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw badInput(e.getMessage());
        }
    }

    private static DeskException badInput(String message) {
        return new DeskException(DeskException.Reason.BAD_INPUT, message);
    }
}
