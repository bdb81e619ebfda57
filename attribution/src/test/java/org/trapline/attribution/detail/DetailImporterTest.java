package org.trapline.attribution.detail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.session.Session;
import org.trapline.attribution.session.SessionStore;

class DetailImporterTest {
    static final Path TESTDATA = Path.of(System.getProperty("trapline.repo", "..")).resolve("../shared/testdata/radius");

    @TempDir
    Path dir;
    SessionStore store;
    DetailImporter importer;
    List<DetailProblem> problems = new ArrayList<>();

    @BeforeEach
    void open() {
        store = SessionStore.open(dir);
        importer = new DetailImporter(store, ZoneId.of("Europe/Berlin"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void freeradius321DetailFileGivesTheSessionsItRecorded() throws Exception {
        DetailImporter.Result r = importer.importFile(TESTDATA.resolve("freeradius-3.2.1-detail-sample.txt"), problems::add,
                DetailImporter.Progress.NONE);
        assertThat(problems).isEmpty();
        assertThat(r.records()).isEqualTo(5);
        assertThat(store.count()).isEqualTo(2);

        Session alice = store.find("127.0.0.1", "sess-0001").orElseThrow();
        assertThat(alice.userName()).isEqualTo("alice@isp.example");
        assertThat(alice.framedIpAddress()).isEqualTo("100.64.1.23");
        assertThat(alice.framedIpv6Prefix()).isEqualTo("2001:db8:100:23::/64");
        assertThat(alice.delegatedIpv6Prefix()).isEqualTo("2001:db8:ff00:2300::/56");
        assertThat(alice.callingStationId()).isEqualTo("00-11-22-33-44-55");
        assertThat(alice.start()).isEqualTo(Instant.parse("2025-11-23T12:13:20Z"));
        // The last record repeats the Stop as written with TZ=Europe/Berlin ("13:33:20 CET"): same instant.
        assertThat(alice.stop()).isEqualTo(Instant.parse("2025-11-23T12:33:20Z"));
        assertThat(alice.lastUpdate()).isEqualTo(Instant.parse("2025-11-23T12:33:20Z"));
        assertThat(alice.terminateCause()).isEqualTo("User-Request");

        Session bob = store.find("127.0.0.1", "s2").orElseThrow();
        assertThat(bob.userName()).isEqualTo("bob\"q\\ Müller");
        assertThat(bob.acctClass()).isEqualTo("0x00ff41");
        assertThat(bob.framedIpAddress()).isEqualTo("100.64.9.9");
    }

    @Test
    void vendorAttributesAreKeptAsWritten() throws Exception {
        importer.importFile(TESTDATA.resolve("freeradius-3.2.1-detail-sample.txt"), problems::add, DetailImporter.Progress.NONE);
        // Session's vendor attributes are not on the record type: read them through the store's row.
        assertThat(vendorAttributes("sess-0001"))
                .contains("Cisco-AVPair = \"subscriber:sa=internet\"")
                .contains("ERX-Service-Activate:1 = \"internet\"")
                .doesNotContain("Acct-Unique-Session-Id");
    }

    private String vendorAttributes(String sessionId) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("sessions/radacct").toAbsolutePath()
                + "", "sa", "");
             var st = c.prepareStatement("SELECT trapline_vendor_attributes FROM radacct WHERE acctsessionid = ?")) {
            st.setString(1, sessionId);
            var rs = st.executeQuery();
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void freeradiusSourceTestRecordWithoutSessionIdUsesTheUniqueId() throws Exception {
        DetailImporter.Result r = importer.importFile(TESTDATA.resolve("freeradius_src_tests_detail_one.txt"), problems::add,
                DetailImporter.Progress.NONE);
        assertThat(problems).isEmpty();
        assertThat(r.records()).isEqualTo(1);
        Session s = store.find("10.10.0.179", "ed8119f6919c6f6f").orElseThrow();
        assertThat(s.userName()).isEqualTo("bob");
        assertThat(s.start()).isEqualTo(Instant.ofEpochSecond(1554226681));
    }

    @Test
    void badRecordsAreReportedWithFileAndLineAndTheRestIsImported() throws Exception {
        Path file = dir.resolve("detail-bad");
        Files.writeString(file, """
                Mon Nov 23 16:09:23 2026
                \tAcct-Status-Type = Start
                \tAcct-Session-Id = "ok-1"
                \tNAS-IP-Address = 192.0.2.1

                Mon Nov 23 16:09:24 2026
                \tAcct-Status-Type = Start
                \tthis line is garbage
                \tNAS-IP-Address = 192.0.2.1

                Mon Nov 23 16:09:25 2026
                \tAcct-Status-Type = Start
                \tAcct-Session-Id = "bad-time"
                \tEvent-Timestamp = "Nov 31 2025 25:00:00 UTC"
                \tNAS-IP-Address = 192.0.2.1

                Mon Nov 23 16:09:26 2026
                \tAcct-Session-Id = "no-status"
                \tNAS-IP-Address = 192.0.2.1
                \tTimestamp = 1795450163

                Mon Nov 23 16:09:27 2026
                \tAcct-Status-Type = Start
                \tUser-Name = "esc\\303\\274\\n"
                \tAcct-Session-Id = "ok-2"
                \tNAS-IP-Address = 192.0.2.1
                \tEvent-Timestamp = "Nov  3 2025 01:02:03 CEST"
                """, StandardCharsets.UTF_8);
        DetailImporter.Result r = importer.importFile(file, problems::add, DetailImporter.Progress.NONE);
        assertThat(r.records()).isEqualTo(2);
        assertThat(r.problems()).isEqualTo(3);
        assertThat(problems).extracting(DetailProblem::toString).containsExactly(
                file + ":8: expected 'Attribute = value', got 'this line is garbage'",
                problems.get(1).toString(), problems.get(2).toString());
        assertThat(problems.get(1).line()).isEqualTo(14);
        assertThat(problems.get(1).message()).contains("Event-Timestamp");
        assertThat(problems.get(2).line()).isEqualTo(17);
        assertThat(problems.get(2).message()).contains("Acct-Status-Type");
        Session ok2 = store.find("192.0.2.1", "ok-2").orElseThrow();
        assertThat(ok2.userName()).isEqualTo("escü\n");
        assertThat(ok2.start()).isEqualTo(Instant.parse("2025-11-02T23:02:03Z"));
        // No Timestamp, no Event-Timestamp: the header line, in the FreeRADIUS server's zone.
        assertThat(store.find("192.0.2.1", "ok-1").orElseThrow().start()).isEqualTo(Instant.parse("2026-11-23T15:09:23Z"));
    }

    @Test
    void hostileValuesAreRefusedPerRecordNotPerFile() throws Exception {
        Path file = dir.resolve("detail-hostile");
        String longName = "x".repeat(5000);
        Files.writeString(file, "Mon Nov 23 16:09:23 2026\n\tAcct-Status-Type = Start\n\tAcct-Session-Id = \"h1\"\n"
                + "\tUser-Name = \"" + longName + "\"\n\tNAS-IP-Address = 192.0.2.1\n\tTimestamp = 1795450163\n\n"
                + "Mon Nov 23 16:09:23 2026\n\tAcct-Status-Type = Start\n\tAcct-Session-Id = \"h2\"\n"
                + "\tFramed-IP-Address = 100.64.1.<script>\n\tNAS-IP-Address = 192.0.2.1\n\tTimestamp = 1795450163\n\n"
                + "Mon Nov 23 16:09:23 2026\n\tAcct-Status-Type = Start\n\tAcct-Session-Id = \"h3\"\n"
                + "\tNAS-IP-Address = 192.0.2.1\n\tTimestamp = 1795450163\n\n", StandardCharsets.UTF_8);
        DetailImporter.Result r = importer.importFile(file, problems::add, DetailImporter.Progress.NONE);
        assertThat(r.records()).isEqualTo(1);
        assertThat(problems).extracting(DetailProblem::line).containsExactly(1L, 8L);
        assertThat(problems.get(0).message()).contains("User-Name is 5000 characters long");
        assertThat(problems.get(1).message()).contains("Framed-IP-Address");
        assertThat(store.find("192.0.2.1", "h3")).isPresent();
    }

    @Test
    void watcherImportsRecordsAsTheyAreAppendedAndResumesAfterRestart() throws Exception {
        Path watched = Files.createDirectories(dir.resolve("radacct/127.0.0.1"));
        Path file = watched.resolve("detail-20251123");
        String start = "Mon Nov 23 16:09:23 2026\n\tAcct-Status-Type = Start\n\tAcct-Session-Id = \"w1\"\n"
                + "\tUser-Name = \"carol\"\n\tFramed-IP-Address = 100.64.3.3\n\tNAS-IP-Address = 127.0.0.1\n\tTimestamp = 1795450163\n\n";
        String stopHalf = "Mon Nov 23 16:19:23 2026\n\tAcct-Status-Type = Stop\n\tAcct-Session-Id = \"w1\"\n";
        String stopRest = "\tNAS-IP-Address = 127.0.0.1\n\tAcct-Session-Time = 600\n\tTimestamp = 1795450763\n\n";
        Files.writeString(file, start + stopHalf);
        DetailWatchSettings settings = new DetailWatchSettings(dir.resolve("radacct"), Duration.ofMillis(50));
        DetailWatcher watcher = new DetailWatcher(settings, importer, store);
        watcher.poll();
        assertThat(store.find("127.0.0.1", "w1").orElseThrow().isOpen()).isTrue();
        assertThat(watcher.records()).isEqualTo(1);

        Files.writeString(file, stopRest, java.nio.file.StandardOpenOption.APPEND);
        watcher.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (watcher.records() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        watcher.stop();
        assertThat(store.find("127.0.0.1", "w1").orElseThrow().stop()).isEqualTo(Instant.ofEpochSecond(1795450763));

        // A new watcher (server restart) does not read the file again.
        DetailWatcher again = new DetailWatcher(settings, importer, store);
        again.poll();
        assertThat(again.records()).isZero();
    }
}
