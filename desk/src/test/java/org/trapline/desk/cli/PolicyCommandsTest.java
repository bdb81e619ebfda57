package org.trapline.desk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.trapline.attribution.session.SessionTarget;
import org.trapline.common.CliRun;
import org.trapline.desk.Desk;
import org.trapline.desk.casebook.Casebook;
import org.trapline.enforcement.Enforcer;
import org.trapline.enforcement.HitAttribution;
import org.trapline.enforcement.PolicyDatabase;
import org.trapline.enforcement.PolicySettings;
import org.trapline.enforcement.StrikeHit;
import org.trapline.enforcement.cli.AclCommand;
import org.trapline.enforcement.cli.SeededPolicy;
import org.trapline.evidence.EvidenceStore;

/** The staff commands on actions run in-process on a desk over a policy database seeded through the enforcer. */
class PolicyCommandsTest extends SeededPolicy {
    EvidenceStore evidence;
    Casebook casebook;

    /** The desk as the process owning the data directory makes it: the stores opened on first use, per run. */
    Desk desk() {
        return new Desk(this::evidence, () -> enforcement().enforcer(), this::casebook, clock);
    }

    Casebook casebook() {
        if (casebook == null) {
            casebook = Casebook.open(data);
        }
        return casebook;
    }

    @AfterEach
    void closeCasebook() {
        if (casebook != null) {
            casebook.close();
        }
    }

    EvidenceStore evidence() {
        if (evidence == null) {
            evidence = EvidenceStore.open(data, clock);
        }
        return evidence;
    }

    @Override
    protected void runEnded() {
        super.runEnded();
        if (evidence != null) {
            evidence.close();
            evidence = null;
        }
    }

    @Test
    void pendingReviewsAreListedConfirmedAndDismissed() {
        CliRun pending = run(new ActionsCommand(this::desk), "--pending");
        assertThat(pending.exit()).isZero();
        assertThat(pending.out().lines()).hasSize(2).allMatch(l -> l.contains("FENCE") && l.contains("PENDING_REVIEW"));
        long bobId = Long.parseLong(pending.out().lines().filter(l -> l.contains("bob")).findFirst().orElseThrow().split("\\s+")[0]);
        long aliceId = Long.parseLong(pending.out().lines().filter(l -> l.contains("alice")).findFirst().orElseThrow().split("\\s+")[0]);

        // The NAS is silent: the confirmed fence is carried out and journaled as a timeout with its retry.
        CliRun confirm = run(new ConfirmCommand(this::desk), Long.toString(aliceId), "--by", "erin", "--reason", "15 hits this week");
        assertThat(confirm.exit()).isZero();
        assertThat(confirm.out()).contains("FAILED", "TIMEOUT after 2 attempts", "decided: staff:erin", "reason: 15 hits this week", "retries: 1",
                "Filter-Id = smtp-block").doesNotContain("cli-test");

        CliRun again = run(new ConfirmCommand(this::desk), Long.toString(aliceId), "--reason", "again");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("not pending review");
        assertThat(run(new ConfirmCommand(this::desk), "9999", "--reason", "x").exit()).isEqualTo(1);
        assertThat(run(new ConfirmCommand(this::desk), "abc").exit()).isEqualTo(2);

        CliRun dismiss = run(new DismissCommand(this::desk), Long.toString(bobId), "--by", "erin", "--reason", "forged chain");
        assertThat(dismiss.exit()).isZero();
        assertThat(dismiss.out()).contains("DISMISSED");
        assertThat(run(new ActionsCommand(this::desk), "--pending").out()).isEmpty();

        CliRun all = run(new ActionsCommand(this::desk), "--subscriber", "alice", "--details");
        assertThat(all.out()).contains("request:", "CoA-Request", "answer:", "no answer");
    }

    @Test
    void pendingListsHitsWithoutOriginOrTimeWithTheirReasonAndNothingIsDoneForThem() {
        List<String> before = run(new ActionsCommand(this::desk), "--json").out().lines().toList();
        try (PolicyDatabase db = PolicyDatabase.open(data)) {
            Properties every = new Properties();
            every.setProperty("strike.max-hits", "0");
            Enforcer e = new Enforcer(PolicySettings.from(every), db.jdbi(), c -> { throw new AssertionError("sent " + c); }, n -> {
                throw new AssertionError("notice " + n);
            }, s -> Optional.empty(), clock);
            e.onHit(StrikeHit.unattributed("n1", clock.instant(), null, HitAttribution.NO_ORIGIN));
            e.onHit(StrikeHit.unattributed("u1", clock.instant().plusSeconds(1), "10.0.9.77", HitAttribution.UNDATED));
            e.onHit(StrikeHit.unattributed("x1", clock.instant().plusSeconds(2), "192.0.2.1", HitAttribution.NOT_OURS));
        }

        CliRun pending = run(new ActionsCommand(this::desk), "--pending");
        assertThat(pending.exit()).isZero();
        List<String> lines = pending.out().lines().toList();
        assertThat(lines).filteredOn(l -> l.contains("PENDING_REVIEW")).hasSize(2);
        assertThat(lines).filteredOn(l -> l.startsWith("hit ")).satisfiesExactly(
                u -> assertThat(u).contains("u1", "UNDATED", "10.0.9.77", "no usable time"),
                n -> assertThat(n).contains("n1", "NO_ORIGIN", "no origin hop"));
        assertThat(pending.out()).as("a hit from elsewhere is no fault").doesNotContain("x1");
        assertThat(run(new ActionsCommand(this::desk), "--json").out().lines().toList()).as("nothing journaled for them")
                .isEqualTo(before);
        assertThat(run(new ActionsCommand(this::desk), "--json", "--pending").out().lines())
                .as("--json keeps one action per line").allMatch(l -> l.contains("\"state\":\"PENDING_REVIEW\""));
        assertThat(desk().faultyHits(10)).extracting(v -> v.json().get("hit_id").asText()).containsExactly("u1", "n1");
    }

    @Test
    void actionsJsonIsOneObjectPerLineWithEveryDetail() throws Exception {
        String pending = run(new ActionsCommand(this::desk), "--pending").out();
        long aliceId = idOf(pending, "alice");
        run(new ConfirmCommand(this::desk), Long.toString(aliceId), "--by", "erin", "--reason", "15 hits this week");
        try (PolicyDatabase db = PolicyDatabase.open(data)) {
            Properties every = new Properties();
            every.setProperty("strike.max-hits", "0");
            new Enforcer(PolicySettings.from(every), db.jdbi(), c -> { throw new AssertionError(); }, n -> "", s -> Optional.empty(), clock)
                    .onHit(StrikeHit.fixedAddress("e1", clock.instant(), "192.0.2.66", "eve\u001b[2J"));
        }

        CliRun r = run(new ActionsCommand(this::desk), "--json");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).doesNotContain("\u001b");
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
        for (String line : r.out().lines().toList()) lines.add(mapper.readTree(line));
        assertThat(lines).hasSize(4).allSatisfy(j -> assertThat(j.fieldNames()).toIterable().containsExactly("id", "created_at",
                "type", "state", "subscriber", "outcome", "rule", "target", "attributes", "mode", "actor", "hit_ids", "decided_by",
                "decided_at", "reason", "nas", "attempts", "retries", "error_cause", "request", "answer", "note", "finished_at", "held_reason",
                "retry_of"));
        assertThat(lines.get(0).get("subscriber").asText()).isEqualTo("eve\u001b[2J");
        com.fasterxml.jackson.databind.JsonNode alice = lines.stream().filter(j -> j.get("id").asLong() == aliceId).findFirst().orElseThrow();
        assertThat(alice.get("type").asText()).isEqualTo("FENCE");
        assertThat(alice.get("state").asText()).isEqualTo("FAILED");
        assertThat(alice.get("subscriber").asText()).isEqualTo("alice");
        assertThat(alice.get("outcome").asText()).isEqualTo("TIMEOUT after 2 attempts");
        assertThat(alice.get("created_at").asText()).isEqualTo(T0.toString());
        assertThat(alice.get("mode").asText()).isEqualTo("review");
        assertThat(alice.get("actor").asText()).isEqualTo("rule");
        assertThat(alice.get("target").asText()).isEqualTo(ALICE.describe());
        assertThat(alice.get("attributes").asText()).isEqualTo("Filter-Id=smtp-block");
        assertThat(alice.get("hit_ids")).extracting(com.fasterxml.jackson.databind.JsonNode::asText).containsExactly("a0", "a1", "a2", "a3");
        assertThat(alice.get("decided_by").asText()).isEqualTo("staff:erin");
        assertThat(alice.get("decided_at").asText()).isEqualTo(clock.instant().toString());
        assertThat(alice.get("attempts").asInt()).isEqualTo(2);
        assertThat(alice.get("retries").asInt()).isEqualTo(1);
        assertThat(alice.get("request").asText()).contains("CoA-Request", "Filter-Id = smtp-block");
        assertThat(alice.get("answer").asText()).contains("no answer");
        assertThat(alice.get("finished_at").asText()).isEqualTo(clock.instant().toString());
        assertThat(alice.get("nas").asText()).isNotEmpty();
        assertThat(alice.get("error_cause").isNull()).isTrue();
        assertThat(alice.get("held_reason").isNull()).isTrue();
        assertThat(alice.get("retry_of").isNull()).isTrue();

        CliRun onlyPending = run(new ActionsCommand(this::desk), "--json", "--pending");
        assertThat(onlyPending.out().lines()).hasSize(1).allSatisfy(l -> assertThat(l).contains("\"subscriber\":\"bob\"", "\"decided_by\":null"));
    }

    @Test
    void unblockLiftsAKnownSubscriberOnly() {
        CliRun ok = run(new UnblockCommand(this::desk), "shop-42", "--by", "erin", "--reason", "customer cleaned up");
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("unblocked shop-42");
        assertThat(run(new AclCommand(this::enforcement, clock), "--format", "cisco").out()).doesNotContain("192.0.2.25");

        CliRun unknown = run(new UnblockCommand(this::desk), "nobody", "--reason", "x");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("nobody");
    }

    @Test
    void blockRecordsABlockWithItsReasonAndUnblockLiftsIt() {
        CliRun noReason = run(new BlockCommand(this::desk), "carol");
        assertThat(noReason.exit()).isEqualTo(2);
        assertThat(noReason.err()).contains("--reason");

        CliRun blocked = run(new BlockCommand(this::desk), "carol", "--reason", "peer complaint", "--for", "PT2H", "--by", "erin");
        assertThat(blocked.exit()).isZero();
        assertThat(blocked.out()).contains("blocked carol until " + DeskCommand.TIME.format(clock.instant().plus(java.time.Duration.ofHours(2))),
                "no session to fence now");
        assertThat(desk().caseOf("carol")).isEmpty();
        assertThat(enforcement().enforcer().status("carol").orElseThrow().blockedAt(clock.instant())).isTrue();

        assertThat(run(new UnblockCommand(this::desk), "carol", "--by", "erin", "--reason", "peer withdrew it").exit()).isZero();
        assertThat(enforcement().enforcer().status("carol").orElseThrow().blockedAt(clock.instant())).isFalse();
        assertThat(casebook().newest(null, 10)).extracting(e -> e.act() + " " + e.staff() + " " + e.detail())
                .containsExactly("unblock erin peer withdrew it", "block erin peer complaint");
    }

    /** A NAS that ACKs one CoA-Request signed with {@code secret}. */
    static java.util.concurrent.CompletableFuture<Void> ackOnce(DatagramSocket nas, String secret) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                nas.setSoTimeout(10_000);
                java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[4096], 4096);
                nas.receive(in);
                org.tinyradius.packet.RadiusPacket request = org.tinyradius.packet.RadiusPacket.decodeRequestPacket(
                        new java.io.ByteArrayInputStream(in.getData(), 0, in.getLength()), secret);
                org.tinyradius.packet.RadiusPacket ack = new org.tinyradius.packet.RadiusPacket(
                        org.tinyradius.packet.RadiusPacket.COA_ACK, request.getPacketIdentifier());
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                ack.encodeResponsePacket(out, secret, request);
                byte[] b = out.toByteArray();
                nas.send(new java.net.DatagramPacket(b, b.length, in.getSocketAddress()));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void aFenceThatFailedForWantOfASecretIsRetriedOnceTheSecretIsSet() throws Exception {
        String pending = run(new ActionsCommand(this::desk), "--pending").out();
        long aliceId = idOf(pending, "alice");
        long bobId = idOf(pending, "bob");
        props.remove("coa.secret");
        CliRun failed = run(new ConfirmCommand(this::desk), Long.toString(aliceId), "--by", "erin", "--reason", "15 hits this week");
        assertThat(failed.out()).contains("FAILED", "no CoA secret for NAS 127.0.0.1");

        props.setProperty("coa.secret", "fixed-secret");
        java.util.concurrent.CompletableFuture<Void> nas = ackOnce(silentNas, "fixed-secret");
        CliRun retry = run(new RetryCommand(this::desk), Long.toString(aliceId), "--by", "finn");
        nas.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(retry.exit()).isZero();
        assertThat(retry.out()).contains("DONE", "ACK", "retry of action " + aliceId, "decided: staff:finn", "Filter-Id = smtp-block")
                .doesNotContain("fixed-secret");
        List<String> journal = run(new ActionsCommand(this::desk), "--subscriber", "alice").out().lines().toList();
        assertThat(journal).hasSize(2);
        assertThat(journal.get(0)).contains("DONE", "retry of action " + aliceId);
        assertThat(journal.get(1)).startsWith(Long.toString(aliceId)).contains("FAILED");

        CliRun twice = run(new RetryCommand(this::desk), Long.toString(aliceId));
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).contains("retried already");
        CliRun notFailed = run(new RetryCommand(this::desk), Long.toString(bobId));
        assertThat(notFailed.exit()).isEqualTo(2);
        assertThat(notFailed.err()).contains("PENDING_REVIEW, not FAILED", "trapline confirm " + bobId);
        assertThat(run(new RetryCommand(this::desk), "9999").exit()).isEqualTo(1);
    }

    static long idOf(String actionLines, String subscriber) {
        return Long.parseLong(actionLines.lines().filter(l -> l.contains(subscriber)).findFirst().orElseThrow().split("\\s+")[0]);
    }

    @Test
    void brakeSwitchIsJournaledAndShown() {
        CliRun on = run(new BrakeCommand(this::desk), "on", "--by", "erin", "--reason", "forged flood");
        assertThat(on.exit()).isZero();
        assertThat(on.out()).contains("BRAKE", "DONE", "brake switched on by staff:erin: forged flood", "actor: staff:erin");
        CliRun again = run(new BrakeCommand(this::desk), "on", "--by", "finn");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("on already", "staff:erin").hasLineCount(1);

        CliRun status = run(new BrakeCommand(this::desk), "status");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("switch:    on since " + clock.instant() + " by staff:erin: forged flood",
                "limits:    20 automatic actions per NAS per hour, 50 in all", "staff told at nobody",
                "pending:   2 actions wait for review");
        // The switch is in the policy database: whatever enforcer decides next (the server's) holds back.
        try (PolicyDatabase db = PolicyDatabase.open(data)) {
            Properties auto = new Properties();
            auto.setProperty("strike.max-hits", "0");
            Enforcer e = new Enforcer(PolicySettings.from(auto), db.jdbi(), c -> { throw new AssertionError("nothing may be sent"); },
                    n -> "", s -> Optional.empty(), clock);
            assertThat(e.onHit(StrikeHit.matched("carol-1", clock.instant(), "10.0.9.79", "carol",
                    SessionTarget.of("127.0.0.1", "carol-s1", "carol", "10.0.9.79")))).singleElement()
                    .satisfies(a -> assertThat(a.heldReason()).startsWith("brake: switched on by staff:erin"));
        }
        assertThat(run(new ActionsCommand(this::desk)).out()).contains("BRAKE");

        CliRun off = run(new BrakeCommand(this::desk), "off", "--by", "finn");
        assertThat(off.exit()).isZero();
        assertThat(off.out()).contains("brake switched off by staff:finn (on since");
        assertThat(run(new BrakeCommand(this::desk), "status").out()).contains("switch:    off");
        assertThat(run(new BrakeCommand(this::desk), "off").exit()).isEqualTo(2);
        assertThat(run(new BrakeCommand(this::desk), "maybe").exit()).isEqualTo(2);
    }

    long pendingOf(String subscriber) {
        return Long.parseLong(run(new ActionsCommand(this::desk), "--pending").out().lines().filter(l -> l.contains(subscriber))
                .findFirst().orElseThrow().split("\\s+")[0]);
    }

    @Test
    void confirmDismissAndUnblockSayWhy() {
        long aliceId = pendingOf("alice");
        for (java.util.concurrent.Callable<Integer> command : List.of(new ConfirmCommand(this::desk), new DismissCommand(this::desk))) {
            CliRun r = run(command, Long.toString(aliceId), "--by", "erin");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().strip()).matches("trapline: (confirm|dismiss) needs --reason TEXT \\(why, for the journal and the audit\\)");
            assertThat(run(command, Long.toString(aliceId), "--reason", " ").exit()).isEqualTo(2);
        }
        CliRun unblock = run(new UnblockCommand(this::desk), "shop-42");
        assertThat(unblock.exit()).isEqualTo(2);
        assertThat(unblock.err()).contains("unblock needs --reason TEXT");
        assertThat(run(new ActionsCommand(this::desk), "--pending").out()).as("still pending").contains(Long.toString(aliceId));
        assertThat(run(new AuditCommand(this::desk)).out()).as("nothing done, nothing audited").isEmpty();

        CliRun confirm = run(new ConfirmCommand(this::desk), Long.toString(aliceId), "--by", "erin", "--reason", "15 hits this week");
        assertThat(confirm.exit()).isZero();
        String json = run(new ActionsCommand(this::desk), "--json", "--subscriber", "alice").out();
        assertThat(json).contains("\"decided_by\":\"staff:erin\"", "\"reason\":\"15 hits this week\"");
    }

    @Test
    void theAuditListsWhatStaffDidAndVerifiesItsChain() throws Exception {
        long aliceId = pendingOf("alice");
        long bobId = pendingOf("bob");
        run(new ConfirmCommand(this::desk), Long.toString(aliceId), "--by", "erin", "--reason", "15 hits this week");
        run(new DismissCommand(this::desk), Long.toString(bobId), "--by", "finn", "--reason", "forged \u001b[2J chain");
        run(new BrakeCommand(this::desk), "on", "--by", "erin", "--reason", "flood");

        CliRun list = run(new AuditCommand(this::desk));
        assertThat(list.exit()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("#3 ").contains("erin", "cli:", "brake-on", "flood");
        assertThat(lines.get(1)).contains("finn", "dismiss", "action:" + bobId).doesNotContain("\u001b");
        assertThat(lines.get(2)).startsWith("#1 ").contains("confirm", "action:" + aliceId, "15 hits this week");
        CliRun json = run(new AuditCommand(this::desk), "--json", "--since", "2000-01-01");
        assertThat(json.out().lines()).hasSize(3).allSatisfy(l -> assertThat(l).contains("\"prev_hash\"", "\"hash\"", "\"at_ms\""));
        assertThat(run(new AuditCommand(this::desk), "--since", "2999-01-01T00:00:00Z").out()).isEmpty();
        assertThat(run(new AuditCommand(this::desk), "--since", "yesterday").exit()).isEqualTo(2);

        CliRun ok = run(new AuditCommand(this::desk), "--verify");
        assertThat(ok.exit()).isZero();
        assertThat(ok.out().strip()).isEqualTo("chain intact, 3 entries");

        casebook().close();
        casebook = null;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("casebook"), "sa", "");
             java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE staff_audit SET staff = 'mallory' WHERE seq = 2");
        }
        CliRun changed = run(new AuditCommand(this::desk), "--verify");
        assertThat(changed.exit()).isEqualTo(1);
        assertThat(changed.out().strip()).startsWith("chain broken at entry 2: ");

        casebook().close();
        casebook = null;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("casebook"), "sa", "");
             java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM staff_audit WHERE seq = 2");
        }
        CliRun removed = run(new AuditCommand(this::desk), "--verify", "--json");
        assertThat(removed.exit()).isEqualTo(1);
        assertThat(removed.out()).contains("\"intact\":false", "\"broken_at\":2", "entry 2 is missing");
    }
}
