package org.trapline.attribution.detail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trapline.attribution.session.AccountingEvent;
import org.trapline.attribution.session.SessionStore;

/**
 * The bulk load must leave exactly the rows that applying the same records one at a time leaves:
 * compared column by column over whole radacct tables, for files full of what real accounting has
 * (missing Starts and Stops, duplicates, reordering, NAS reboots, address reuse, IPv6 delegations).
 */
class BulkImportTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final DateTimeFormatter HEADER = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ENGLISH);
    private static final AtomicLong STORES = new AtomicLong();

    @TempDir
    Path dir;

    /** Bulk load for any size, holding at most a few sessions in memory so that every merge path runs. */
    private static DetailImportSettings bulk(int openSessions, int writeRows) {
        Properties p = new Properties();
        p.setProperty(DetailImportSettings.BULK_MIN_BYTES, "0");
        p.setProperty(DetailImportSettings.BULK_OPEN_SESSIONS, Integer.toString(openSessions));
        p.setProperty(DetailImportSettings.BULK_WRITE_ROWS, Integer.toString(writeRows));
        return DetailImportSettings.from(p);
    }

    @ParameterizedTest(name = "{0} sessions")
    // 400 sessions: a file read on the caller's thread; 3000: over 1 MiB, read on a second thread.
    @ValueSource(ints = {400, 3000})
    void bulkImportLeavesTheRowsThatApplyingRecordByRecordLeaves(int sessions) throws Exception {
        Path file = dir.resolve("detail-a");
        Files.writeString(file, accounting(new Random(sessions), sessions, 0), StandardCharsets.UTF_8);

        String reference = recordByRecord(List.of(file));
        for (DetailImportSettings settings : List.of(bulk(3, 2), bulk(50, 17), DetailImportSettings.defaults())) {
            String name = name();
            try (SessionStore store = SessionStore.inMemory(name)) {
                DetailImporter.Result r = new DetailImporter(store, UTC, settings).importFile(file, p -> {
                    throw new AssertionError(p.toString());
                }, DetailImporter.Progress.NONE);
                assertThat(r.records()).isPositive();
                assertThat(table(memory(name))).as("bulk load with %s", settings).isEqualTo(tableOf(reference));
            }
        }
    }

    @Test
    void bulkImportMergesIntoSessionsAlreadyStored() throws Exception {
        // The second file continues sessions of the first (Interims and Stops of sessions it started)
        // and has reboots that close sessions stored before.
        Random random = new Random(7);
        String all = accounting(random, 600, 0);
        int cut = all.indexOf("\n\n", all.length() / 2) + 2;
        Path first = dir.resolve("detail-1");
        Path second = dir.resolve("detail-2");
        Files.writeString(first, all.substring(0, cut), StandardCharsets.UTF_8);
        Files.writeString(second, all.substring(cut), StandardCharsets.UTF_8);

        String reference = recordByRecord(List.of(first, second));
        String name = name();
        try (SessionStore store = SessionStore.inMemory(name)) {
            Properties byBatch = new Properties();
            byBatch.setProperty(DetailImportSettings.BULK_MIN_BYTES, Long.toString(Long.MAX_VALUE));
            new DetailImporter(store, UTC, DetailImportSettings.from(byBatch)).importFile(first, p -> { }, DetailImporter.Progress.NONE);
            long before = store.count();
            new DetailImporter(store, UTC, bulk(5, 4)).importFile(second, p -> { }, DetailImporter.Progress.NONE);
            assertThat(table(memory(name))).isEqualTo(tableOf(reference));
            assertThat(store.count()).isGreaterThan(before);
        }
    }

    @Test
    void aBadRecordInABigFileIsReportedWithItsLineAndSkipped() throws Exception {
        String good = accounting(new Random(5), 3000, 0);
        int at = good.indexOf("\n\n", good.length() / 2) + 2;
        String bad = "Sun Nov 23 10:00:00 2025\n\tAcct-Status-Type = Start\n\tthis line is garbage\n\n";
        Path file = dir.resolve("detail-bad");
        Files.writeString(file, good.substring(0, at) + bad + good.substring(at), StandardCharsets.UTF_8);
        assertThat(Files.size(file)).as("read on the reader thread, bulk loaded").isGreaterThan(1L << 20);
        long badLine = good.substring(0, at).chars().filter(c -> c == '\n').count() + 3;
        long records = good.split("Acct-Status-Type = ", -1).length - 1;

        List<DetailProblem> problems = new ArrayList<>();
        try (SessionStore store = SessionStore.inMemory(name())) {
            DetailImporter.Result r = new DetailImporter(store, UTC, bulk(200_000, 20_000))
                    .importFile(file, problems::add, DetailImporter.Progress.NONE);
            assertThat(problems).extracting(DetailProblem::toString)
                    .containsExactly(file + ":" + badLine + ": expected 'Attribute = value', got 'this line is garbage'");
            assertThat(r.records()).isEqualTo(records);
            assertThat(r.problems()).isEqualTo(1);
        }
    }

    @Test
    void importingTheSameFileAgainChangesNothing() throws Exception {
        Path file = dir.resolve("detail-again");
        Files.writeString(file, accounting(new Random(3), 500, 0), StandardCharsets.UTF_8);
        String name = name();
        try (SessionStore store = SessionStore.inMemory(name)) {
            DetailImporter importer = new DetailImporter(store, UTC, bulk(10, 7));
            importer.importFile(file, p -> { }, DetailImporter.Progress.NONE);
            List<String> once = table(memory(name));
            importer.importFile(file, p -> { }, DetailImporter.Progress.NONE);
            assertThat(table(memory(name))).isEqualTo(once);
            assertThat(store.count()).isEqualTo(once.stream().filter(r -> r.contains("|ACCTSESSIONID=")).count());
        }
    }

    @Test
    void interruptedBulkImportLeavesAUsableStoreAndImportingAgainCompletesIt() throws Exception {
        Path file = dir.resolve("detail-big");
        Files.writeString(file, accounting(new Random(11), 6000, 0), StandardCharsets.UTF_8);
        assertThat(Files.size(file)).as("big enough for several chunks on the reader thread").isGreaterThan(2L << 20);
        List<String> indexes;
        try (SessionStore fresh = SessionStore.open(dir.resolve("fresh"))) {
            indexes = indexes(url(dir.resolve("fresh")));
        }
        Path data = dir.resolve("data");
        try (SessionStore store = SessionStore.open(data)) {
            DetailImporter importer = new DetailImporter(store, UTC, bulk(100, 500));
            int[] calls = {0};
            // The process "dies" after the second chunk: what was written stays, the rest is lost.
            assertThatThrownBy(() -> importer.importFile(file, p -> { }, (done, total, records) -> {
                if (++calls[0] == 2) {
                    throw new IllegalStateException("killed");
                }
            })).hasMessage("killed");
            assertThat(store.count()).isPositive();
            // Usable as it is: lookups, live records.
            assertThat(indexes(url(data))).isEqualTo(indexes);
            store.apply(AccountingEvent.builder(org.trapline.attribution.session.AccountingStatus.START, "192.0.2.9")
                    .acctSessionId("live-1").receivedAt(java.time.Instant.parse("2025-11-23T00:00:00Z")).build());
        }
        String reference = recordByRecord(List.of(file));
        try (SessionStore store = SessionStore.open(data)) {
            assertThat(indexes(url(data))).isEqualTo(indexes);
            new DetailImporter(store, UTC, bulk(100, 500)).importFile(file, p -> { }, DetailImporter.Progress.NONE);
            List<String> rows = new ArrayList<>(table(url(data)));
            rows.removeIf(r -> r.startsWith("192.0.2.9 live-1|"));
            assertThat(rows).isEqualTo(tableOf(reference));
        }
    }

    /**
     * A bulk load holds one database connection from start to end; a failed import must give it back, or
     * after as many failures as the pool has connections (10) no import could start again.
     */
    @Test
    void failedBulkImportsLetGoOfTheirConnection() throws Exception {
        Path file = dir.resolve("detail-c");
        Files.writeString(file, accounting(new Random(12), 400, 0), StandardCharsets.UTF_8);
        String name = name();
        try (SessionStore store = SessionStore.inMemory(name)) {
            DetailImporter importer = new DetailImporter(store, UTC, bulk(100, 500));
            for (int i = 0; i < 12; i++) {
                assertThatThrownBy(() -> importer.importFile(file, p -> { }, (done, total, records) -> {
                    throw new IllegalStateException("killed");
                })).hasMessage("killed");
            }
            importer.importFile(file, p -> {
                throw new AssertionError(p.toString());
            }, DetailImporter.Progress.NONE);
            assertThat(table(memory(name))).isEqualTo(tableOf(recordByRecord(List.of(file))));
        }
    }

    /** The radacct rows left by applying each record of the files alone, in order (the reference). */
    private String recordByRecord(List<Path> files) throws IOException, SQLException {
        String name = name();
        try (SessionStore store = SessionStore.inMemory(name)) {
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    new DetailReader(file.toString(), UTC).read(in, DetailReader.Position.START, true, new DetailReader.Sink() {
                        @Override
                        public void record(AccountingEvent event) {
                            store.apply(event);
                        }

                        @Override
                        public void problem(DetailProblem problem) {
                            throw new AssertionError(problem.toString());
                        }
                    });
                }
            }
            return String.join("\n", table(memory(name)));
        }
    }

    private static List<String> tableOf(String joined) {
        return List.of(joined.split("\n"));
    }

    private String name() {
        return "bulk-" + STORES.incrementAndGet() + "-" + System.nanoTime();
    }

    /** Every column but radacctid (which depends on insert order), ordered by acctuniqueid; plus the reboots seen. */
    private static List<String> table(String url) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM radacct ORDER BY acctuniqueid")) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder(rs.getString("acctuniqueid"));
                    for (int i = 1; i <= columns; i++) {
                        if (!rs.getMetaData().getColumnName(i).equalsIgnoreCase("radacctid")) {
                            row.append('|').append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i));
                        }
                    }
                    out.add(row.toString());
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT nasipaddress, eventtime FROM trapline_nas_reboot ORDER BY 1, 2")) {
                while (rs.next()) {
                    out.add("reboot " + rs.getString(1) + " " + rs.getString(2));
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT prefixlength FROM trapline_ipv6_prefix_length ORDER BY 1")) {
                while (rs.next()) {
                    out.add("prefix length " + rs.getInt(1));
                }
            }
        }
        return out;
    }

    private static String memory(String name) {
        return "jdbc:h2:mem:" + name;
    }

    private static String url(Path data) {
        return "jdbc:h2:file:" + data.resolve("sessions/radacct").toAbsolutePath() + "";
    }

    private static List<String> indexes(String url) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT i.INDEX_NAME, i.INDEX_TYPE_NAME, c.COLUMN_NAME, c.ORDERING_SPECIFICATION"
                     + " FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c"
                     + " ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME"
                     + " WHERE i.TABLE_NAME = 'RADACCT' ORDER BY i.INDEX_NAME, c.ORDINAL_POSITION")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    /**
     * A detail file of {@code sessions} sessions on two NASes, as real accounting has them: most
     * with Start, a few Interim-Updates and Stop, some without Start or Stop, some records twice or
     * out of order, addresses handed from one session to the next, IPv6 prefixes on some, and
     * Accounting-On from both NASes in between.
     */
    static String accounting(Random random, int sessions, long startEpoch) {
        long t0 = 1_763_856_000L + startEpoch; // 2025-11-23T00:00:00Z
        List<long[]> order = new ArrayList<>(); // {time, session, step}
        List<List<String>> records = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            List<String> own = new ArrayList<>();
            long begin = t0 + random.nextInt(sessions * 20);
            String nas = random.nextInt(3) == 0 ? "192.0.2.2" : "192.0.2.1";
            String ip = "100.64." + random.nextInt(4) + "." + random.nextInt(60);
            String user = "user" + random.nextInt(sessions / 2 + 1) + "@isp.example";
            String v6 = random.nextInt(3) == 0 ? "2001:db8:" + Integer.toHexString(s) + "::/64" : null;
            String delegated = random.nextInt(4) == 0 ? "2001:db8:ff00:" + String.format("%02x", s % 256) + "00::/56" : null;
            int interims = random.nextInt(4);
            boolean hasStart = random.nextInt(10) != 0, hasStop = random.nextInt(5) != 0;
            long at = begin;
            for (int step = 0; step <= interims + 1; step++) {
                boolean start = step == 0, stop = step == interims + 1;
                if ((start && !hasStart) || (stop && !hasStop)) {
                    at += 300;
                    continue;
                }
                StringBuilder r = new StringBuilder();
                long delay = random.nextInt(4) == 0 ? random.nextInt(30) : 0;
                r.append(HEADER.format(java.time.Instant.ofEpochSecond(at + delay).atOffset(ZoneOffset.UTC))).append('\n');
                r.append("\tAcct-Status-Type = ").append(start ? "Start" : stop ? "Stop" : "Interim-Update").append('\n');
                // Some NASes leave User-Name or the address out of a record: the first one given counts.
                if (random.nextInt(6) != 0) {
                    r.append("\tUser-Name = \"").append(step == 2 ? "renamed-" + user : user).append("\"\n");
                }
                r.append("\tAcct-Session-Id = \"").append(Long.toHexString(s * 7919L)).append("\"\n");
                r.append("\tNAS-IP-Address = ").append(nas).append('\n');
                if (random.nextInt(8) != 0) {
                    r.append("\tFramed-IP-Address = ").append(ip).append('\n');
                }
                if (v6 != null) {
                    r.append("\tFramed-IPv6-Prefix = ").append(v6).append('\n');
                }
                if (delegated != null) {
                    r.append("\tDelegated-IPv6-Prefix = ").append(delegated).append('\n');
                }
                r.append("\tCalling-Station-Id = \"00-11-22-33-").append(String.format("%02X-%02X", s % 256, step)).append("\"\n");
                if (!start) {
                    r.append("\tAcct-Session-Time = ").append(at - begin).append('\n');
                    r.append("\tAcct-Input-Octets = ").append((at - begin) * 1000 + random.nextInt(1000)).append('\n');
                    r.append("\tAcct-Output-Gigawords = ").append(random.nextInt(2)).append('\n');
                }
                if (stop) {
                    r.append("\tAcct-Terminate-Cause = ").append(random.nextBoolean() ? "User-Request" : "Lost-Carrier").append('\n');
                }
                r.append("\tCisco-AVPair = \"subscriber:sa=internet-").append(step).append("\"\n");
                // Padding a real BRAS sends too (FreeRADIUS writes every attribute it got).
                r.append("\tAcct-Authentic = RADIUS\n\tNAS-Port-Type = Ethernet\n\tService-Type = Framed-User\n");
                r.append("\tAcct-Delay-Time = ").append(delay).append('\n');
                r.append("\tAcct-Unique-Session-Id = \"").append(Long.toHexString(s * 2654435761L)).append("\"\n");
                r.append("\tTimestamp = ").append(at + delay).append("\n\n");
                own.add(r.toString());
                order.add(new long[] {at + delay, s, own.size() - 1});
                at += 60 + random.nextInt(900);
            }
            records.add(own);
        }
        order.sort((a, b) -> Long.compare(a[0], b[0]));
        List<String> out = new ArrayList<>();
        for (long[] o : order) {
            out.add(records.get((int) o[1]).get((int) o[2]));
        }
        // Reordered neighbours and duplicated records.
        for (int i = 1; i < out.size(); i++) {
            if (random.nextInt(12) == 0) {
                out.set(i - 1, out.set(i, out.get(i - 1)));
            }
        }
        for (int i = out.size() - 1; i > 0; i--) {
            if (random.nextInt(25) == 0) {
                out.add(i + random.nextInt(Math.min(40, out.size() - i)), out.get(i));
            }
        }
        // NAS reboots at a third and two thirds of the file (the second NAS twice).
        for (int k = 2; k >= 1; k--) {
            int i = out.size() * k / 3;
            long at = order.get(Math.min(order.size() - 1, i)).length > 0 ? order.get(Math.min(order.size() - 1, i))[0] : t0;
            out.add(i, reboot("192.0.2.2", at + 1));
            if (k == 1) {
                out.add(i, reboot("192.0.2.1", at));
            }
        }
        return String.join("", out);
    }

    private static String reboot(String nas, long at) {
        return HEADER.format(java.time.Instant.ofEpochSecond(at).atOffset(ZoneOffset.UTC)) + "\n\tAcct-Status-Type = Accounting-On\n"
                + "\tNAS-IP-Address = " + nas + "\n\tAcct-Delay-Time = 0\n\tTimestamp = " + at + "\n\n";
    }
}
