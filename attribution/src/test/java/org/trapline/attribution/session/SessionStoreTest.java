package org.trapline.attribution.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trapline.attribution.session.Events.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.trapline.common.net.IpAddress;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.StoreSettings;
import org.trapline.common.sql.TestStores;

/** Runs once per dialect, on the real database of each (TestStores). */
@ParameterizedClass
@MethodSource("org.trapline.common.sql.TestStores#dialects")
class SessionStoreTest {
    @Parameter
    Dialect dialect;
    @TempDir
    Path data;
    StoreSettings where;
    SessionStore store;

    @BeforeEach
    void open() {
        where = TestStores.settings(dialect, "sessions");
        store = SessionStore.open(data, where);
    }

    /** For what only H2 has: its migration history and its session-key table. */
    private void onlyH2() {
        Assumptions.assumeTrue(dialect == Dialect.H2, "H2's own schema history and session keys");
    }

    /** A plain connection to the store's tables, as an operator's SQL would have it. */
    private java.sql.Connection sql() throws java.sql.SQLException {
        if (where.embedded()) {
            return java.sql.DriverManager.getConnection(storeUrl(), "sa", "");
        }
        java.sql.Connection c = java.sql.DriverManager.getConnection(where.url(), where.user(), where.password().get());
        c.setSchema(SqlSessionStore.STORE);
        return c;
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Session session(String id) {
        return store.find(NAS, id).orElseThrow();
    }

    @Test
    void startInterimStopMakeOneClosedSession() {
        store.apply(start("s1", "alice", "100.64.1.23", 0));
        store.apply(interim("s1", "alice", "100.64.1.23", 300, 300));
        store.apply(stop("s1", "alice", "100.64.1.23", 900, 900));

        Session s = session("s1");
        assertThat(s.userName()).isEqualTo("alice");
        assertThat(s.framedIpAddress()).isEqualTo("100.64.1.23");
        assertThat(s.start()).isEqualTo(at(0));
        assertThat(s.lastUpdate()).isEqualTo(at(900));
        assertThat(s.stop()).isEqualTo(at(900));
        assertThat(s.terminateCause()).isEqualTo("User-Request");
        assertThat(s.startSeen()).isTrue();
        assertThat(s.stopSeen()).isTrue();
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void storeSurvivesReopening() {
        store.apply(start("s1", "alice", "100.64.1.23", 0));
        store.close();
        store = SessionStore.open(data, where);
        assertThat(session("s1").userName()).isEqualTo("alice");
    }

    @Test
    void stopWithoutStartEstimatesStartFromSessionTime() {
        store.apply(stop("s1", "alice", "100.64.1.23", 900, 600));
        Session s = session("s1");
        assertThat(s.start()).isEqualTo(at(300));
        assertThat(s.startSeen()).isFalse();
        assertThat(s.stop()).isEqualTo(at(900));
    }

    @Test
    void interimWithoutStartThenLateStartTakesTheStartsTime() {
        store.apply(interim("s1", "alice", "100.64.1.23", 600, 590));
        assertThat(session("s1").start()).isEqualTo(at(10));
        assertThat(session("s1").isOpen()).isTrue();
        store.apply(start("s1", "alice", "100.64.1.23", 12));
        assertThat(session("s1").start()).isEqualTo(at(12));
        assertThat(session("s1").lastUpdate()).isEqualTo(at(600));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void anyOrderAndDuplicatesGiveTheSameSession(long seed) {
        List<AccountingEvent> records = new ArrayList<>(List.of(
                start("s1", "alice", "100.64.1.23", 0),
                interim("s1", "alice", "100.64.1.23", 300, 300),
                interim("s1", "alice", "100.64.1.23", 600, 600),
                stop("s1", "alice", "100.64.1.23", 700, 700)));
        records.addAll(records.subList(0, (int) (seed % 4) + 1)); // duplicates
        Collections.shuffle(records, new Random(seed));
        // Half the seeds apply one by one, half in one batch.
        if (seed % 2 == 0) {
            records.forEach(store::apply);
        } else {
            store.apply(records);
        }
        Session s = session("s1");
        assertThat(s.start()).isEqualTo(at(0));
        assertThat(s.lastUpdate()).isEqualTo(at(700));
        assertThat(s.stop()).isEqualTo(at(700));
        assertThat(s.startSeen()).isTrue();
        assertThat(s.stopSeen()).isTrue();
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void interimAfterStopDoesNotReopen() {
        store.apply(start("s1", "alice", "100.64.1.23", 0));
        store.apply(stop("s1", "alice", "100.64.1.23", 700, 700));
        store.apply(interim("s1", "alice", "100.64.1.23", 600, 600));
        assertThat(session("s1").stop()).isEqualTo(at(700));
    }

    @Test
    void eventTimeIsReceiveTimeMinusDelayWithoutEventTimestamp() {
        AccountingEvent e = AccountingEvent.builder(AccountingStatus.START, NAS).acctSessionId("s1")
                .receivedAt(at(100)).delaySeconds(30L).build();
        assertThat(e.eventTime()).isEqualTo(at(70));
        AccountingEvent withTimestamp = AccountingEvent.builder(AccountingStatus.START, NAS).acctSessionId("s1")
                .receivedAt(at(100)).delaySeconds(30L).eventTimestamp(at(50)).build();
        assertThat(withTimestamp.eventTime()).isEqualTo(at(50));
    }

    @Test
    void accountingOnClosesOpenSessionsOfThatNasOnly() {
        store.apply(start("s1", "alice", "100.64.1.23", 0));
        store.apply(start("s2", "bob", "100.64.1.24", 10));
        store.apply(stop("s3", "carol", "100.64.1.25", 50, 40));
        store.apply(AccountingEvent.builder(AccountingStatus.START, "192.0.2.99").acctSessionId("s1")
                .framedIpAddress("100.64.2.1").eventTimestamp(at(0)).receivedAt(at(0)).build());
        store.apply(nas(AccountingStatus.ACCOUNTING_ON, 1000));

        assertThat(session("s1").stop()).isEqualTo(at(1000));
        assertThat(session("s1").terminateCause()).isEqualTo("NAS-Reboot");
        assertThat(session("s1").stopSeen()).isFalse();
        assertThat(session("s2").stop()).isEqualTo(at(1000));
        assertThat(session("s3").stop()).isEqualTo(at(50));
        assertThat(session("s3").terminateCause()).isEqualTo("User-Request");
        assertThat(store.find("192.0.2.99", "s1").orElseThrow().isOpen()).isTrue();
    }

    @Test
    void recordsArrivingAfterTheRebootStillEndAtTheReboot() {
        store.apply(nas(AccountingStatus.ACCOUNTING_OFF, 1000));
        store.apply(start("s1", "alice", "100.64.1.23", 0)); // sent before the reboot, delivered late
        assertThat(session("s1").stop()).isEqualTo(at(1000));
        store.apply(start("s2", "bob", "100.64.1.23", 1100)); // after the reboot: open
        assertThat(session("s2").isOpen()).isTrue();
        store.apply(stop("s1", "alice", "100.64.1.23", 800, 800)); // the real Stop wins over the reboot
        assertThat(session("s1").stop()).isEqualTo(at(800));
        assertThat(session("s1").stopSeen()).isTrue();
    }

    @Test
    void duplicateAccountingOnIsHarmless() {
        store.apply(start("s1", "alice", "100.64.1.23", 0));
        store.apply(List.of(nas(AccountingStatus.ACCOUNTING_ON, 1000), nas(AccountingStatus.ACCOUNTING_ON, 1000)));
        store.apply(nas(AccountingStatus.ACCOUNTING_ON, 1000));
        assertThat(session("s1").stop()).isEqualTo(at(1000));
    }

    @Test
    void ipv6PrefixesAreStoredCanonicallyAndFoundByAnAddressInside() throws Exception {
        store.apply(record(AccountingStatus.START, "s6", "dave", null, 0)
                .delegatedIpv6Prefix("2001:DB8:FF00:2300:0:0:0:0/56").framedIpv6Prefix("2001:db8:100:23::/64").build());
        assertThat(session("s6").delegatedIpv6Prefix()).isEqualTo("2001:db8:ff00:2300::/56");
        assertThat(store.candidates(IpAddress.parse("2001:db8:ff00:23ab::1"), at(10), 10))
                .extracting(Session::acctSessionId).containsExactly("s6");
        assertThat(store.candidates(IpAddress.parse("2001:db8:100:23::99"), at(10), 10))
                .extracting(Session::acctSessionId).containsExactly("s6");
        assertThat(store.candidates(IpAddress.parse("2001:db8:ff00:2400::1"), at(10), 10)).isEmpty();
    }

    @Test
    void candidatesAreNewestFirstAndStartedByTheInstant() throws Exception {
        store.apply(List.of(stop("a", "alice", "100.64.1.23", 100, 100), start("b", "bob", "100.64.1.23", 101),
                start("c", "carol", "100.64.1.23", 500)));
        assertThat(store.candidates(IpAddress.parse("100.64.1.23"), at(200), 10))
                .extracting(Session::acctSessionId).containsExactly("b", "a");
    }
    @Test
    void ipv6LookupsSeeTheSessionsTimesAsTheyChange() throws Exception {
        AccountingEvent.Builder dual = record(AccountingStatus.START, "d1", "erin", "100.64.9.9", 0)
                .framedIpv6Address("2001:db8:100:9::9").delegatedIpv6Prefix("2001:db8:ff00:900::/56");
        store.apply(dual.build());
        store.apply(record(AccountingStatus.INTERIM_UPDATE, "d1", "erin", "100.64.9.9", 300).sessionTime(300L).build());
        SessionSpan open = new SessionSpan(session("d1").radAcctId(), at(0), at(300), null, false);
        for (String ip : List.of("100.64.9.9", "2001:db8:100:9::9", "2001:db8:ff00:9ab::1")) {
            assertThat(store.spans(IpAddress.parse(ip), at(400), 10)).as(ip).containsExactly(open);
        }
        store.apply(nas(AccountingStatus.ACCOUNTING_ON, 1000));
        SessionSpan rebooted = new SessionSpan(open.radAcctId(), at(0), at(300), at(1000), false);
        for (String ip : List.of("100.64.9.9", "2001:db8:100:9::9", "2001:db8:ff00:9ab::1")) {
            assertThat(store.spans(IpAddress.parse(ip), at(400), 10)).as(ip).containsExactly(rebooted);
        }
        store.apply(record(AccountingStatus.STOP, "d1", "erin", "100.64.9.9", 900).sessionTime(900L).build());
        assertThat(store.spans(IpAddress.parse("2001:db8:ff00:9ab::1"), at(400), 10))
                .containsExactly(new SessionSpan(open.radAcctId(), at(0), at(900), at(900), true));
        // An IPv4-only session is never an IPv6 candidate.
        store.apply(start("v4", "frank", "100.64.9.10", 0));
        assertThat(store.spans(IpAddress.parse("2001:db8:100:9::10"), at(400), 10)).isEmpty();
    }

    /** Migration V5 moved the IPv6 and open-session lookups to generated columns, V6 to trapline_session_key. */
    @ParameterizedTest
    @ValueSource(strings = {"4", "5"})
    void sessionsStoredByAnEarlierSchemaAreFoundAndClosedAfterTheMigrations(String version) throws Exception {
        onlyH2();
        store.close();
        java.nio.file.Files.walk(data).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        String url = storeUrl();
        org.flywaydb.core.Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/sessions/h2").target(version).load().migrate();
        try (var c = java.sql.DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("INSERT INTO radacct (acctsessionid, acctuniqueid, nasipaddress, username, framedipv6prefix,"
                    + " acctstarttime, acctupdatetime) VALUES ('old', '" + NAS + " old', '" + NAS + "', 'gina', '2001:db8:100:7::/64',"
                    + " TIMESTAMP WITH TIME ZONE '2025-11-23 12:00:00+00', TIMESTAMP WITH TIME ZONE '2025-11-23 12:05:00+00')");
            c.createStatement().execute("INSERT INTO radacct (acctsessionid, acctuniqueid, nasipaddress, username, delegatedipv6prefix,"
                    + " framedipv6address, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen) VALUES ('done', '" + NAS
                    + " done', '" + NAS + "', 'hal', '2001:db8:ff00:700::/56', '2001:db8:100:8::8',"
                    + " TIMESTAMP WITH TIME ZONE '2025-11-23 12:00:00+00', TIMESTAMP WITH TIME ZONE '2025-11-23 12:01:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2025-11-23 12:01:00+00', TRUE)");
            c.createStatement().execute("INSERT INTO trapline_ipv6_prefix_length VALUES (64), (56)");
        }
        store = SessionStore.open(data, where);
        long id = session("old").radAcctId();
        long done = session("done").radAcctId();
        assertThat(store.spans(IpAddress.parse("2001:db8:100:7::1"), at(400), 10))
                .containsExactly(new SessionSpan(id, at(0), at(300), null, false));
        SessionSpan stopped = new SessionSpan(done, at(0), at(60), at(60), true);
        assertThat(store.spans(IpAddress.parse("2001:db8:ff00:7ab::1"), at(400), 10)).containsExactly(stopped);
        assertThat(store.spans(IpAddress.parse("2001:db8:100:8::8"), at(400), 10)).containsExactly(stopped);
        assertThat(store.newestOpenSession("gina")).map(Session::radAcctId).contains(id);
        assertThat(store.newestOpenSession("hal")).isEmpty();
        store.apply(nas(AccountingStatus.ACCOUNTING_OFF, 1000));
        assertThat(session("old").stop()).isEqualTo(at(1000));
        assertThat(session("done").stop()).as("stopped before the reboot").isEqualTo(at(60));
        assertThat(store.newestOpenSession("gina")).isEmpty();
        assertThat(store.spans(IpAddress.parse("2001:db8:100:7::1"), at(400), 10))
                .containsExactly(new SessionSpan(id, at(0), at(300), at(1000), false));
    }

    /**
     * A V6 upgrade killed half way (H2 commits each DDL statement by itself) is run again from the top at
     * the next start and ends as if it had run once.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 4, 7, 8, 9, 11, 13})
    void migrationSixStoppedAfterAnyStatementCompletesAtTheNextStart(int statementsRun) throws Exception {
        onlyH2();
        store.close();
        java.nio.file.Files.walk(data).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        String url = storeUrl();
        org.flywaydb.core.Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/sessions/h2").target("5").load().migrate();
        String v6;
        try (var in = SessionStore.class.getResourceAsStream("/db/sessions/h2/V6__session_keys_only_where_present.sql")) {
            v6 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
        }
        String[] statements = v6.strip().split(";\\s*\\n");
        assertThat(statements).as("V6: table, clearing, five fills, index, trigger, four old indexes, columns").hasSize(14);
        try (var c = java.sql.DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("INSERT INTO radacct (acctsessionid, acctuniqueid, nasipaddress, username, delegatedipv6prefix,"
                    + " acctstarttime, acctupdatetime) VALUES ('old', '" + NAS + " old', '" + NAS + "', 'gina', '2001:db8:ff00:700::/56',"
                    + " TIMESTAMP WITH TIME ZONE '2025-11-23 12:00:00+00', TIMESTAMP WITH TIME ZONE '2025-11-23 12:05:00+00')");
            c.createStatement().execute("INSERT INTO trapline_ipv6_prefix_length VALUES (56)");
            for (int i = 0; i < statementsRun; i++) {
                c.createStatement().execute(statements[i]);
            }
        }
        store = SessionStore.open(data, where);
        long id = session("old").radAcctId();
        assertThat(store.spans(IpAddress.parse("2001:db8:ff00:7ab::1"), at(400), 10))
                .containsExactly(new SessionSpan(id, at(0), at(300), null, false));
        assertThat(store.newestOpenSession("gina")).map(Session::radAcctId).contains(id);
        assertThat(sessionKeys()).as("the prefix, the NAS and the subscriber, once each").isEqualTo(3);
        store.apply(nas(AccountingStatus.ACCOUNTING_ON, 1000));
        assertThat(session("old").stop()).isEqualTo(at(1000));
    }

    /**
     * The IPv6 and open-session keys follow radacct whoever writes it (an operator's SQL here), and only
     * what is committed: a rolled-back write leaves no key behind.
     */
    @Test
    void rowsWrittenByPlainSqlAreFoundByIpv6AndClosedByAReboot() throws Exception {
        store.apply(record(AccountingStatus.START, "seed", "ivan", null, 0).framedIpv6Prefix("2001:db8:100:1::/64").build());
        try (var c = sql()) {
            c.createStatement().execute("INSERT INTO radacct (acctsessionid, acctuniqueid, nasipaddress, username, framedipaddress,"
                    + " delegatedipv6prefix, acctstarttime, acctupdatetime) VALUES ('sql', '" + NAS + " sql', '" + NAS + "', 'judy',"
                    + " '100.64.5.5', '2001:db8:ff00:500::/56', TIMESTAMP WITH TIME ZONE '2025-11-23 12:00:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2025-11-23 12:00:00+00')");
            c.createStatement().execute("INSERT INTO trapline_ipv6_prefix_length VALUES (56)");
            c.setAutoCommit(false);
            c.createStatement().execute("UPDATE radacct SET delegatedipv6prefix = '2001:db8:ff00:600::/56' WHERE acctsessionid = 'sql'");
            c.createStatement().execute("INSERT INTO radacct (acctsessionid, acctuniqueid, nasipaddress, framedipv6address,"
                    + " acctstarttime, acctupdatetime) VALUES ('gone', '" + NAS + " gone', '" + NAS + "', '2001:db8:100:9::9',"
                    + " TIMESTAMP WITH TIME ZONE '2025-11-23 12:00:00+00', TIMESTAMP WITH TIME ZONE '2025-11-23 12:00:00+00')");
            c.rollback();
            c.setAutoCommit(true);
        }
        store.close();
        store = SessionStore.open(data, where); // learns the prefix length written by SQL
        long id = session("sql").radAcctId();
        assertThat(store.spans(IpAddress.parse("2001:db8:ff00:5ab::1"), at(10), 10))
                .containsExactly(new SessionSpan(id, at(0), at(0), null, false));
        assertThat(store.newestOpenSession("judy")).map(Session::radAcctId).contains(id);
        assertThat(store.spans(IpAddress.parse("2001:db8:ff00:6ab::1"), at(10), 10)).as("rolled back").isEmpty();
        assertThat(store.spans(IpAddress.parse("2001:db8:100:9::9"), at(10), 10)).as("rolled back").isEmpty();

        store.apply(nas(AccountingStatus.ACCOUNTING_ON, 600));
        assertThat(session("sql").stop()).isEqualTo(at(600));
        assertThat(session("seed").stop()).isEqualTo(at(600));
        assertThat(store.spans(IpAddress.parse("2001:db8:ff00:5ab::1"), at(10), 10))
                .containsExactly(new SessionSpan(id, at(0), at(0), at(600), false));

        try (var c = sql()) {
            c.createStatement().execute("DELETE FROM radacct WHERE acctsessionid = 'sql'");
        }
        assertThat(store.spans(IpAddress.parse("2001:db8:ff00:5ab::1"), at(10), 10)).as("deleted").isEmpty();
        if (dialect == Dialect.H2) {
            assertThat(sessionKeys()).as("only the seed's prefix and open marker are left").isEqualTo(2);
        }
    }

    /**
     * The open-session keys of a NAS with an IPv6 address are no IPv6 lookup keys (kept out by the lookup's
     * kind range, and since they carry no start, by its start condition too).
     */
    @Test
    void aNasAddressIsNeverTakenForASubscribersAddress() throws Exception {
        store.apply(AccountingEvent.builder(AccountingStatus.START, "2001:db8:1::1").acctSessionId("n1").userName("kim")
                .framedIpAddress("100.64.7.7").eventTimestamp(at(0)).receivedAt(at(0)).build());
        assertThat(store.spans(IpAddress.parse("2001:db8:1::1"), at(10), 10)).isEmpty();
        assertThat(store.spans(IpAddress.parse("100.64.7.7"), at(10), 10)).hasSize(1);
    }

    /** A stopped IPv4-only session, the common case, costs the key table nothing. */
    @Test
    void aStoppedIpv4OnlySessionHasNoKeys() throws Exception {
        onlyH2();
        store.apply(start("s1", "alice", "100.64.1.23", 0));
        assertThat(sessionKeys()).as("open: its NAS and its subscriber").isEqualTo(2);
        store.apply(stop("s1", "alice", "100.64.1.23", 900, 900));
        assertThat(sessionKeys()).isZero();
    }

    @Test
    void newestOpenSessionIsTheSubscribersNewestWithoutAStop() {
        store.apply(List.of(start("a", "alice", "100.64.1.1", 0), start("b", "alice", "100.64.1.2", 100),
                stop("c", "alice", "100.64.1.3", 300, 50), start("d", "bob", "100.64.1.4", 200)));
        assertThat(store.newestOpenSession("alice")).map(Session::acctSessionId).contains("b");
        store.apply(stop("b", "alice", "100.64.1.2", 400, 300));
        assertThat(store.newestOpenSession("alice")).map(Session::acctSessionId).contains("a");
        // A late Start moves the session's start; the current session follows it.
        store.apply(record(AccountingStatus.INTERIM_UPDATE, "e", "alice", "100.64.1.5", 600).sessionTime(600L).build());
        assertThat(store.newestOpenSession("alice")).map(Session::acctSessionId).contains("a");
        store.apply(start("e", "alice", "100.64.1.5", 500));
        assertThat(store.newestOpenSession("alice")).map(Session::acctSessionId).contains("e");
        store.apply(nas(AccountingStatus.ACCOUNTING_ON, 1000));
        assertThat(store.newestOpenSession("alice")).as("a reboot closed them all").isEmpty();
        assertThat(store.newestOpenSession("carol")).isEmpty();
    }

    /** Flyway's history of a store migrated through V6, as the layout before db/sessions/h2/ recorded it. */
    private static final List<String> HISTORY_BEFORE_THE_MOVE = List.of(
            "1 V1__radacct.sql 765995921",
            "2 V2__followed_files.sql -388498597",
            "3 V3__journal_position.sql -1789281",
            "4 V4__radacct_id_cache.sql -39049686",
            "5 V5__narrow_index_entries_for_absent_keys.sql 681422866",
            "6 V6__session_keys_only_where_present.sql -1953800925");

    /**
     * A store migrated while the migrations were in db/sessions/ (that layout rebuilt here from the same
     * files) opens without a repair or a new migration, and its sessions are found, closed and updated.
     */
    @Test
    void aStoreMigratedFromTheLayoutBeforeTheMoveOpensAndWorks(@TempDir Path classpathBefore) throws Exception {
        onlyH2();
        store.close();
        java.nio.file.Files.walk(data).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Path before = java.nio.file.Files.createDirectories(classpathBefore.resolve("db/sessions"));
        for (String row : HISTORY_BEFORE_THE_MOVE) {
            String script = row.split(" ")[1];
            try (var in = SessionStore.class.getResourceAsStream("/db/sessions/h2/" + script)) {
                java.nio.file.Files.copy(in, before.resolve(script));
            }
        }
        String url = storeUrl();
        org.flywaydb.core.Flyway.configure().dataSource(url, "sa", "").locations("filesystem:" + before).load().migrate();
        assertThat(history()).isEqualTo(HISTORY_BEFORE_THE_MOVE);
        try (var c = java.sql.DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("INSERT INTO radacct (acctsessionid, acctuniqueid, nasipaddress, username, framedipaddress,"
                    + " framedipv6prefix, acctstarttime, acctupdatetime) VALUES ('old', '" + NAS + " old', '" + NAS + "', 'kim',"
                    + " '100.64.7.7', '2001:db8:100:7::/64', TIMESTAMP WITH TIME ZONE '2025-11-23 12:00:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2025-11-23 12:05:00+00')");
            c.createStatement().execute("INSERT INTO trapline_ipv6_prefix_length VALUES (64)");
        }

        store = SessionStore.open(data, where);
        assertThat(history()).as("nothing repaired, nothing migrated again").isEqualTo(HISTORY_BEFORE_THE_MOVE);
        long id = session("old").radAcctId();
        SessionSpan open = new SessionSpan(id, at(0), at(300), null, false);
        assertThat(store.spans(IpAddress.parse("100.64.7.7"), at(400), 10)).containsExactly(open);
        assertThat(store.spans(IpAddress.parse("2001:db8:100:7::1"), at(400), 10)).containsExactly(open);
        assertThat(store.newestOpenSession("kim")).map(Session::radAcctId).contains(id);
        store.apply(interim("old", "kim", "100.64.7.7", 600, 600));
        assertThat(session("old").lastUpdate()).isEqualTo(at(600));
        store.apply(nas(AccountingStatus.ACCOUNTING_ON, 1000));
        assertThat(session("old").stop()).isEqualTo(at(1000));
        assertThat(store.newestOpenSession("kim")).isEmpty();
    }

    private List<String> history() throws Exception {
        List<String> rows = new ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection(storeUrl(), "sa", "");
             var rs = c.createStatement().executeQuery("SELECT \"version\", \"script\", \"checksum\" FROM \"flyway_schema_history\""
                     + " WHERE \"version\" IS NOT NULL AND \"success\" ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3));
            }
        }
        return rows;
    }

    private String storeUrl() {
        return "jdbc:h2:file:" + data.resolve(SessionStore.DIRECTORY).resolve("radacct").toAbsolutePath() + "";
    }

    private long sessionKeys() throws Exception {
        try (var c = java.sql.DriverManager.getConnection(storeUrl(), "sa", "");
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM trapline_session_key")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
