package org.trapline.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.session.SessionTarget;
import org.trapline.desk.casebook.Casebook;
import org.trapline.desk.view.ActionView;
import org.trapline.desk.view.AuditEntry;
import org.trapline.desk.view.CaseNote;
import org.trapline.desk.view.CaseStatus;
import org.trapline.desk.view.BlockView;
import org.trapline.desk.view.CaseView;
import org.trapline.desk.view.HitView;
import org.trapline.desk.view.Json;
import org.trapline.desk.view.RawMessage;
import org.trapline.desk.view.ReviewItem;
import org.trapline.desk.view.SearchView;
import org.trapline.enforcement.ActionState;
import org.trapline.enforcement.ActionType;
import org.trapline.enforcement.Enforcer;
import org.trapline.enforcement.HitAttribution;
import org.trapline.enforcement.PolicyDatabase;
import org.trapline.enforcement.PolicySettings;
import org.trapline.enforcement.StaffAct;
import org.trapline.enforcement.StrikeHit;
import org.trapline.enforcement.coa.CoaResult;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.TwoHitsOfAlice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The desk over two trap hits of alice in the evidence and, in the strike policy, a fence for her
 * that rests on those two hits and waits for review; the NAS ACKs whatever is sent.
 */
class DeskTest {
    static final Instant T0 = Instant.parse("2026-11-21T04:00:00Z");
    static final SessionTarget ALICE = SessionTarget.of("10.0.0.1", "S-2", "alice", "198.51.100.7");
    static final StaffAct ERIN = new StaffAct("erin", "192.0.2.80", "15 hits this week from her session");
    static final StaffAct FINN = new StaffAct("finn", "cli:finn", "");

    @TempDir
    Path data;
    EvidenceStore evidence;
    PolicyDatabase policy;
    Enforcer enforcer;
    Casebook casebook;
    Desk desk;
    long first;
    long second;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void open() {
        long[] ids = TwoHitsOfAlice.record(data);
        first = ids[0];
        second = ids[1];
        evidence = EvidenceStore.open(data, Clock.systemUTC());
        evidence.refreshIndex();
        policy = PolicyDatabase.open(data);
        Properties props = new Properties();
        props.setProperty("strike.max-hits", "1");
        props.setProperty("action.fence.mode", "review");
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        enforcer = new Enforcer(PolicySettings.from(props), policy.jdbi(),
                c -> new CoaResult(CoaResult.Outcome.ACK, null, 1, "x", "", "", "", T0, T0), n -> "", s -> Optional.empty(), clock);
        enforcer.onHit(StrikeHit.matched(Long.toString(first), T0.minusSeconds(60), "198.51.100.7", "alice", ALICE));
        enforcer.onHit(StrikeHit.matched(Long.toString(second), T0, "198.51.100.7", "alice", ALICE));
        casebook = Casebook.inMemory("desk-test-" + System.nanoTime());
        desk = new Desk(() -> evidence, () -> enforcer, () -> casebook, clock);
    }

    @AfterEach
    void close() {
        evidence.close();
        policy.close();
        casebook.close();
    }

    JsonNode json(org.trapline.desk.view.View view) throws Exception {
        return mapper.readTree(Json.write(view));
    }

    long pendingFence() {
        return desk.actions(ActionFilter.pending(), 10).get(0).action().id();
    }

    @Test
    void searchPagesOnByItsCursor() throws Exception {
        SearchView page = desk.search("subscriber:alice", 1, 0, null);
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.hits()).singleElement().satisfies(h -> assertThat(h.id()).isEqualTo(second));
        JsonNode j = json(page);
        assertThat(j.fieldNames()).toIterable().containsExactly("total", "hits", "next");
        SearchView next = desk.search("subscriber:alice", 1, 3, j.get("next").asText());
        assertThat(next.total()).isEqualTo(2);
        assertThat(next.hits()).singleElement().satisfies(h -> assertThat(h.id()).isEqualTo(first));
        assertThat(next.next()).isNull();
        JsonNode last = json(next);
        assertThat(last.get("next").isNull()).isTrue();
        assertThat(last.get("facets").get("subscribers").get(0).get("value").asText()).isEqualTo("alice");
        assertThat(last.get("facets").get("subscribers").get(0).get("count").asLong()).isEqualTo(2);
    }

    @Test
    void searchRefusesWhatItCannotRunAsBadInput() {
        assertThatThrownBy(() -> desk.search("ip:300.1.1.1", 10, 0, null)).isInstanceOfSatisfying(DeskException.class,
                e -> assertThat(e.reason()).isEqualTo(DeskException.Reason.BAD_INPUT)).hasMessageStartingWith("bad query: ip:");
        assertThatThrownBy(() -> desk.search("", 10, 0, "page-2")).isInstanceOfSatisfying(DeskException.class,
                e -> assertThat(e.reason()).isEqualTo(DeskException.Reason.BAD_INPUT)).hasMessageStartingWith("not a page cursor");
        assertThatThrownBy(() -> desk.search("", Desk.MAX_LIMIT + 1, 0, null)).isInstanceOf(DeskException.class);
        assertThatThrownBy(() -> desk.search("", 10, -1, null)).isInstanceOf(DeskException.class);
        assertThat(desk.search(null, 0, 0, " ").total()).as("no query, no cursor: every hit counted").isEqualTo(2);
    }

    @Test
    void aHitShowsTheSessionItFellInAsTheSessionStoreHasIt() throws Exception {
        org.trapline.attribution.session.Session session = new org.trapline.attribution.session.Session(7, "u-7", "S-1", "alice",
                "10.0.0.1", "198.51.100.7", null, null, null, Instant.parse("2026-11-20T01:00:00Z"), Instant.parse("2026-11-20T03:00:00Z"),
                Instant.parse("2026-11-20T05:00:00Z"), "User-Request", null, null, true, true);
        java.util.List<String> asked = new java.util.ArrayList<>();
        Desk withSessions = new Desk(() -> evidence, () -> enforcer, () -> casebook, (nas, id) -> {
            asked.add(nas + " " + id);
            return nas.equals("10.0.0.1") && id.equals("S-1") ? Optional.of(session) : Optional.empty();
        }, Clock.fixed(T0, ZoneOffset.UTC));
        HitView hit = withSessions.hit(first).orElseThrow();
        assertThat(asked).containsExactly("10.0.0.1 S-1");
        assertThat(hit.session()).isEqualTo(session);
        JsonNode s = json(hit).get("attribution").get("session");
        assertThat(s.get("id").asText()).isEqualTo("S-1");
        assertThat(s.get("start").asText()).isEqualTo("2026-11-20T01:00:00Z");
        assertThat(s.get("stop").asText()).isEqualTo("2026-11-20T05:00:00Z");
        assertThat(s.get("framed_ip").asText()).isEqualTo("198.51.100.7");
        assertThat(json(desk.hit(first).orElseThrow()).get("attribution").get("session").get("start").isNull())
                .as("without the session store the hit still names its session").isTrue();
    }

    @Test
    void aHitHasItsEnvelopeOriginAttributionContentAndReceivedChain() throws Exception {
        HitView hit = desk.hit(first).orElseThrow();
        assertThat(hit.chain().origin().ip()).isEqualTo("198.51.100.7");
        assertThat(hit.chain().trusted()).isEmpty();
        JsonNode j = json(hit);
        assertThat(j.fieldNames()).toIterable().containsExactly("id", "received_at", "envelope", "origin", "attribution", "subject",
                "message_id", "size", "sha256", "intake_key", "raw", "content", "trace", "files");
        assertThat(j.get("received_at").asText()).isEqualTo("2026-11-20T03:12:00Z");
        assertThat(j.get("envelope").get("sender").asText()).isEqualTo("s@spam.example");
        assertThat(j.get("envelope").get("recipients")).extracting(JsonNode::asText).containsExactly("a@trap.example.net");
        assertThat(j.get("envelope").get("client_ip").isNull()).isTrue();
        assertThat(j.get("origin").get("ip").asText()).isEqualTo("198.51.100.7");
        assertThat(j.get("origin").get("time").isNull()).isTrue();
        assertThat(j.get("attribution").get("status").asText()).isEqualTo("MATCHED");
        assertThat(j.get("attribution").get("session").get("id").asText()).isEqualTo("S-1");
        assertThat(j.get("attribution").get("session").get("nas_ip").asText()).isEqualTo("10.0.0.1");
        assertThat(j.get("subject").asText()).isEqualTo(hit.stored().subject()).contains("red");
        assertThat(j.get("raw").get("kept").asBoolean()).isTrue();
        assertThat(j.get("content").get("urls")).extracting(JsonNode::asText).contains("http://pills.example/");
        assertThat(j.get("content").get("text").asText()).contains("Buy pills");
        assertThat(j.get("trace").get("origin").get("ip").asText()).isEqualTo("198.51.100.7");
        assertThat(j.get("trace").get("origin").get("rdns").isNull()).as("what the stored trace lacks is null").isTrue();
        assertThat(j.get("trace").get("untrusted").isArray()).isTrue();

        JsonNode plain = json(desk.hit(second).orElseThrow());
        assertThat(plain.get("origin").isNull()).as("nulls stay in").isTrue();
        assertThat(plain.get("trace").isNull()).isTrue();
        assertThat(desk.hit(424242)).isEmpty();
    }

    @Test
    void theRawMessageIsTheBytesOurMxAccepted() {
        RawMessage raw = desk.raw(first).orElseThrow();
        assertThat(raw.bytes()).isEqualTo(TwoHitsOfAlice.FIRST);
        assertThat(raw.sha256()).isEqualTo(desk.hit(first).orElseThrow().stored().sha256());
        assertThat(raw.purged()).isFalse();
        assertThat(desk.raw(424242)).isEmpty();
    }

    @Test
    void aCaseMboxOpensItsOutputOnlyForAKnownSubscriber() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(desk.caseMbox("alice", () -> out).orElseThrow()).satisfies(r -> {
            assertThat(r.written()).isEqualTo(2);
            assertThat(r.purged()).isZero();
        });
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).startsWith("From s@spam.example ");
        assertThat(desk.caseMbox("bob", () -> {
            throw new AssertionError("nothing to write for bob");
        })).isEmpty();
    }

    @Test
    void aCaseJoinsTheEvidenceTheStandingAndTheActions() throws Exception {
        CaseView c = desk.caseOf("alice").orElseThrow();
        assertThat(c.summary().hits()).isEqualTo(2);
        assertThat(c.standing().status().strikes()).isEqualTo(1);
        assertThat(c.actions()).extracting(a -> a.action().type()).contains(ActionType.FENCE);
        JsonNode j = json(c);
        assertThat(j.fieldNames()).toIterable().containsExactly("subscriber", "hits", "first", "last", "days", "sessions", "standing",
                "actions", "strikes", "notes", "status");
        assertThat(j.get("sessions").get(0).fieldNames()).toIterable().containsExactly("session_id", "nas_ip", "address", "hits", "first",
                "last");
        assertThat(c.strikes()).singleElement().satisfies(s -> {
            assertThat(s.rule()).startsWith("strike 1 of ");
            assertThat(s.actions()).extracting(a -> a.action().type()).containsExactly(ActionType.FENCE);
        });
        assertThat(j.get("strikes").get(0).get("actions").get(0).get("state").asText()).isEqualTo("PENDING_REVIEW");
        assertThat(j.get("standing").get("strikes").asInt()).isEqualTo(1);
        assertThat(j.get("standing").get("blocked").asBoolean()).isTrue();
        assertThat(j.get("standing").get("blocked_until").asText()).isNotEmpty();
        assertThat(j.get("actions").get(0).get("state").asText()).isEqualTo("PENDING_REVIEW");
        assertThat(desk.caseOf("bob")).isEmpty();
    }

    @Test
    void aCaseWithoutStrikesHasNoStanding() throws Exception {
        try (PolicyDatabase empty = PolicyDatabase.open(data.resolve("elsewhere"))) {
            Enforcer none = new Enforcer(PolicySettings.from(new Properties()), empty.jdbi(), c -> {
                throw new AssertionError("nothing may be sent");
            }, n -> "", s -> Optional.empty(), Clock.systemUTC());
            JsonNode j = json(new Desk(() -> evidence, () -> none, () -> casebook, Clock.systemUTC()).caseOf("alice").orElseThrow());
            assertThat(j.get("standing").isNull()).isTrue();
            assertThat(j.get("actions")).isEmpty();
        }
    }

    @Test
    void theReviewQueueShowsTheEvidenceBesideEachAction() throws Exception {
        ReviewItem item = desk.reviewQueue(10).get(0);
        assertThat(item.action().action().state()).isEqualTo(ActionState.PENDING_REVIEW);
        assertThat(item.evidence().hits()).isEqualTo(item.action().action().hitIds().size());
        assertThat(item.evidence().found()).isEqualTo(item.evidence().hits());
        assertThat(item.evidence().originIps()).containsExactly("198.51.100.7");
        assertThat(item.evidence().attributions()).containsExactly("MATCHED");
        JsonNode j = json(item);
        assertThat(j.fieldNames()).toIterable().containsExactly("action", "evidence");
        assertThat(j.get("evidence").fieldNames()).toIterable().containsExactly("hits", "found", "hits_this_week", "first", "last",
                "origin_ips", "sessions", "attributions", "subjects");
        // Both hits of alice fell on 2026-11-20 and -21, within the seven days before T0.
        assertThat(item.evidence().week()).isEqualTo(2);
        assertThat(j.get("evidence").get("last").asText()).isEqualTo("2026-11-21T04:00:00Z");
        assertThat(desk.reviewQueue(0)).isEmpty();
    }

    @Test
    void actionsAreFilteredAndBounded() {
        int all = desk.actions(ActionFilter.all(), Integer.MAX_VALUE).size();
        assertThat(all).isPositive();
        assertThat(desk.actions(ActionFilter.of("alice"), Integer.MAX_VALUE)).hasSize(all)
                .extracting(a -> a.action().id()).isSortedAccordingTo((x, y) -> Long.compare(y, x));
        assertThat(desk.actions(ActionFilter.of("bob"), Integer.MAX_VALUE)).isEmpty();
        assertThat(desk.actions(new ActionFilter(true, "alice"), 1)).singleElement()
                .satisfies(a -> assertThat(a.action().state()).isEqualTo(ActionState.PENDING_REVIEW));
        assertThat(desk.action(pendingFence())).isPresent();
        assertThat(desk.action(9999)).isEmpty();
        assertThatThrownBy(() -> desk.actions(ActionFilter.all(), -1)).isInstanceOf(DeskException.class);
    }

    @Test
    void decisionsReturnTheActionAndRefuseInTheDesksTerms() {
        long fence = pendingFence();
        ActionView confirmed = desk.confirm(fence, ERIN);
        assertThat(confirmed.action().state()).isEqualTo(ActionState.DONE);
        assertThat(confirmed.action().decidedBy()).isEqualTo("staff:erin");
        assertRefused(() -> desk.confirm(fence, ERIN), DeskException.Reason.CONFLICT, "not pending review");
        assertRefused(() -> desk.dismiss(fence, ERIN), DeskException.Reason.CONFLICT, "not pending review");
        assertRefused(() -> desk.retry(fence, ERIN), DeskException.Reason.CONFLICT, "not FAILED");
        assertRefused(() -> desk.confirm(9999, ERIN), DeskException.Reason.NOT_FOUND, "no action 9999");

        assertThat(desk.unblock("alice", ERIN).actions()).extracting(a -> a.action().type()).contains(ActionType.RESTORE);
        assertRefused(() -> desk.unblock("nobody", ERIN), DeskException.Reason.NOT_FOUND,
                "no strikes or blocks recorded for subscriber nobody");
    }

    @Test
    void aManualBlockIsRecordedAndRefusedWithoutAReason() throws Exception {
        BlockView b = desk.block("alice", new StaffAct("erin", "192.0.2.80", "abuse report from a peer"), Duration.ofHours(3));
        assertThat(b.standing().blocked()).isTrue();
        assertThat(json(b).fieldNames()).toIterable().containsExactly("subscriber", "standing", "actions");
        assertRefused(() -> desk.block("alice", new StaffAct("erin", "192.0.2.80", ""), null), DeskException.Reason.BAD_INPUT, "reason");
        assertThat(casebook.newest(null, 10)).singleElement().satisfies(e -> {
            assertThat(e.act()).isEqualTo("block");
            assertThat(e.subject()).isEqualTo("subscriber:alice");
            assertThat(e.detail()).isEqualTo("abuse report from a peer");
        });
        // Offline (no current session): the block is recorded and nothing is sent.
        assertThat(b.actions()).isEmpty();
        assertThat(desk.caseOf("alice").orElseThrow().standing().status().blockedUntil()).isEqualTo(T0.plus(Duration.ofHours(3)));
    }

    @Test
    void hitsThatNamedNobodyAreListedWithTheirReason() {
        enforcer.onHit(StrikeHit.unattributed("77", T0, "203.0.113.9", HitAttribution.AMBIGUOUS));
        assertThat(desk.unattributedHits(10)).singleElement().satisfies(u -> {
            assertThat(u.hit().hitId()).isEqualTo("77");
            assertThat(u.hit().attribution()).isEqualTo(HitAttribution.AMBIGUOUS);
        });
        assertThat(desk.faultyHits(10)).isEmpty();
    }

    @Test
    void theBrakeIsSwitchedAndShown() throws Exception {
        assertThat(desk.brakeOn(new StaffAct("erin", "192.0.2.80", "forged flood")).action().type()).isEqualTo(ActionType.BRAKE);
        assertRefused(() -> desk.brakeOn(FINN), DeskException.Reason.CONFLICT, "on already");
        JsonNode on = json(desk.brake());
        assertThat(on.fieldNames()).toIterable().containsExactly("switch", "limits", "last_hour", "per_nas", "engaged", "pending");
        assertThat(on.get("switch").get("by").asText()).isEqualTo("staff:erin");
        assertThat(on.get("switch").get("reason").asText()).isEqualTo("forged flood");
        assertThat(on.get("limits").get("per_nas_per_hour").asInt()).isEqualTo(20);
        assertThat(on.get("limits").get("notify").isNull()).isTrue();
        assertThat(on.get("pending").asInt()).isEqualTo(1);
        desk.brakeOff(FINN);
        assertThat(json(desk.brake()).get("switch").isNull()).isTrue();
        assertRefused(() -> desk.brakeOff(FINN), DeskException.Reason.CONFLICT, "not on");
    }

    @Test
    void decisionsKeepWhoAndWhyInTheJournalAndTheAudit() throws Exception {
        long fence = pendingFence();
        assertRefused(() -> desk.confirm(fence, FINN), DeskException.Reason.BAD_INPUT, "needs a reason");
        assertRefused(() -> desk.dismiss(fence, FINN), DeskException.Reason.BAD_INPUT, "needs a reason");
        assertThat(desk.action(fence).orElseThrow().action().state()).isEqualTo(ActionState.PENDING_REVIEW);
        assertThat(desk.auditLog(null, 10)).as("nothing was done, nothing audited").isEmpty();

        ActionView confirmed = desk.confirm(fence, ERIN);
        JsonNode j = json(confirmed);
        assertThat(j.get("decided_by").asText()).isEqualTo("staff:erin");
        assertThat(j.get("reason").asText()).isEqualTo("15 hits this week from her session");
        desk.unblock("alice", new StaffAct("finn", "cli:finn", "cleaned up"));

        List<AuditEntry> audit = desk.auditLog(null, 10);
        assertThat(audit).extracting(AuditEntry::act).containsExactly("unblock", "confirm");
        AuditEntry confirm = audit.get(1);
        assertThat(confirm.staff()).isEqualTo("erin");
        assertThat(confirm.from()).isEqualTo("192.0.2.80");
        assertThat(confirm.subject()).isEqualTo("action:" + fence);
        assertThat(confirm.detail()).isEqualTo("15 hits this week from her session");
        assertThat(confirm.at()).isEqualTo(T0);
        assertThat(audit.get(0).subject()).isEqualTo("subscriber:alice");
        assertThat(desk.verifyAudit().text()).isEqualTo("chain intact, 2 entries");
    }

    @Test
    void notesAndTheStatusAreKeptOnTheCaseAndAudited() throws Exception {
        CaseView fresh = desk.caseOf("alice").orElseThrow();
        assertThat(fresh.notes()).isEmpty();
        assertThat(json(fresh).get("status").get("status").asText()).isEqualTo("open");
        assertThat(json(fresh).get("status").get("by").isNull()).isTrue();

        desk.addNote("alice", ERIN, "called the customer, no answer");
        CaseNote second = desk.addNote("alice", FINN, "  <script>alert(1)</script> sent a letter ");
        assertThat(second.text()).isEqualTo("<script>alert(1)</script> sent a letter");
        desk.setCaseStatus("alice", "waiting-for-customer", new StaffAct("finn", "cli:finn", "letter sent"));

        CaseView c = desk.caseOf("alice").orElseThrow();
        assertThat(c.notes()).extracting(CaseNote::staff).containsExactly("finn", "erin");
        assertThat(c.status().state()).isEqualTo(CaseStatus.State.WAITING_FOR_CUSTOMER);
        JsonNode j = json(c);
        assertThat(j.get("notes").get(0).fieldNames()).toIterable().containsExactly("id", "at", "staff", "text");
        assertThat(j.get("notes").get(1).get("text").asText()).isEqualTo("called the customer, no answer");
        assertThat(j.get("status").fieldNames()).toIterable().containsExactly("status", "by", "at", "reason");
        assertThat(j.get("status").get("status").asText()).isEqualTo("waiting-for-customer");
        assertThat(j.get("status").get("by").asText()).isEqualTo("finn");
        assertThat(j.get("status").get("at").asText()).isEqualTo("2026-11-21T04:00:00Z");
        assertThat(j.get("status").get("reason").asText()).isEqualTo("letter sent");

        assertRefused(() -> desk.setCaseStatus("alice", "closed", ERIN), DeskException.Reason.BAD_INPUT,
                "open, waiting-for-customer, resolved, ignored");
        assertRefused(() -> desk.addNote("alice", ERIN, "  "), DeskException.Reason.BAD_INPUT, "a note is 1 to");
        assertRefused(() -> desk.addNote("alice", ERIN, "x".repeat(Casebook.MAX_NOTE + 1)), DeskException.Reason.BAD_INPUT, "a note is 1 to");
        assertRefused(() -> desk.addNote("nobody", ERIN, "hello"), DeskException.Reason.NOT_FOUND, "no trap hits of subscriber nobody");
        assertRefused(() -> desk.setCaseStatus("nobody", "resolved", ERIN), DeskException.Reason.NOT_FOUND, "nobody");

        assertThat(desk.auditLog(null, 10)).extracting(AuditEntry::act).containsExactly("case-status", "note", "note");
        assertThat(desk.auditLog(null, 10).get(0).detail()).isEqualTo("waiting-for-customer: letter sent");
        assertThat(desk.verifyAudit().intact()).isTrue();
    }

    static void assertRefused(Runnable call, DeskException.Reason reason, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DeskException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
    }
}
