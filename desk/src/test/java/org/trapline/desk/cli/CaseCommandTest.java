package org.trapline.desk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.common.CliRun;
import org.trapline.desk.Desk;
import org.trapline.enforcement.StaffAct;
import org.trapline.desk.casebook.Casebook;
import org.trapline.enforcement.Enforcement;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.TwoHitsOfAlice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The case of a subscriber joins the evidence (hits by day and session) with the actions taken. */
class CaseCommandTest {
    @TempDir
    Path data;
    EvidenceStore store;
    final Casebook casebook = Casebook.inMemory("case-command-" + System.nanoTime());
    Enforcement enforcement;

    @BeforeEach
    void open() {
        TwoHitsOfAlice.record(data);
        store = EvidenceStore.open(data, Clock.systemUTC());
        enforcement = Enforcement.open(new Properties(), data, s -> Optional.empty(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
        casebook.close();
        enforcement.close();
    }

    CaseCommand command() {
        return new CaseCommand(() -> new Desk(() -> store, enforcement::enforcer, () -> casebook, Clock.systemUTC()));
    }

    @Test
    void caseSummarisesDaysAndSessions() {
        CliRun r = CliRun.of(command(), "alice");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("2 trap hits").contains("2026-11-20       1").contains("2026-11-21       1")
                .contains("S-1").contains("S-2").contains("actions: none").contains("status: open\n").doesNotContain("notes");
        assertThat(CliRun.of(command(), "bob").exit()).isEqualTo(1);
    }

    @Test
    void caseShowsItsStatusAndNotesNewestFirst() {
        Desk desk = new Desk(() -> store, enforcement::enforcer, () -> casebook, Clock.systemUTC());
        StaffAct anna = new StaffAct("anna", "cli:anna", "letter sent");
        desk.addNote("alice", anna, "called, no answer");
        desk.addNote("alice", anna, "sent a letter \u001b[2J");
        desk.setCaseStatus("alice", "waiting-for-customer", anna);
        CliRun r = CliRun.of(command(), "alice");
        assertThat(r.out()).contains("status: waiting-for-customer (set by anna at ", ": letter sent)", "notes, newest first:")
                .doesNotContain("\u001b");
        assertThat(r.out().indexOf("sent a letter")).isLessThan(r.out().indexOf("called, no answer"));
    }

    @Test
    void caseJsonHasDaysSessionsAndActions() throws Exception {
        CliRun r = CliRun.of(command(), "alice", "--json");
        assertThat(r.exit()).isZero();
        JsonNode c = new ObjectMapper().readTree(r.out());
        assertThat(c.get("subscriber").asText()).isEqualTo("alice");
        assertThat(c.get("hits").asInt()).isEqualTo(2);
        assertThat(c.get("first").asText()).isEqualTo("2026-11-20T03:12:00Z");
        assertThat(c.get("days")).hasSize(2);
        assertThat(c.get("days").get(0).get("day").asText()).isEqualTo("2026-11-20");
        assertThat(c.get("sessions")).extracting(s -> s.get("session_id").asText()).containsExactlyInAnyOrder("S-1", "S-2");
        assertThat(c.get("sessions").get(0).get("nas_ip").asText()).isEqualTo("10.0.0.1");
        assertThat(c.get("actions").isArray()).isTrue();
        assertThat(CliRun.of(command(), "bob", "--json").exit()).isEqualTo(1);
    }
}
