package org.trapline.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.StoreSettings;
import org.trapline.common.sql.TestStores;
import org.trapline.evidence.raw.RawPacks;

/** Runs once per dialect of the hits, on the real database of each (TestStores). */
@ParameterizedClass
@MethodSource("org.trapline.common.sql.TestStores#dialects")
class EvidenceStoreTest {
    static final Instant T0 = Instant.parse("2026-11-20T03:12:00Z");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC);

    @Parameter
    Dialect dialect;
    @TempDir
    Path data;
    StoreSettings where;

    @BeforeEach
    void where() {
        where = TestStores.settings(dialect, "evidence");
    }

    EvidenceStore open() {
        return EvidenceStore.open(data, CLOCK, EvidenceSettings.defaults(), where);
    }

    /** A plain connection to the hits' tables, as an operator's SQL would have it. */
    java.sql.Connection sql() throws java.sql.SQLException {
        if (where.embedded()) {
            return java.sql.DriverManager.getConnection("jdbc:h2:file:" + data.resolve("evidence"), "sa", "");
        }
        java.sql.Connection c = java.sql.DriverManager.getConnection(where.url(), where.user(), where.password().get());
        c.setSchema("evidence");
        return c;
    }

    static byte[] message(String subject, String body) {
        return ("From: spammer@example.com\r\nTo: trap1@trap.example.net\r\nSubject: " + subject
                + "\r\nMessage-ID: <abc." + subject.hashCode() + "@example.com>\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Everything the raw packs hold, concatenated. */
    static byte[] packBytes(Path data) throws java.io.IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        try (var files = Files.list(data.resolve("raw"))) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".pack")).sorted().toList()) {
                all.write(Files.readAllBytes(p));
            }
        }
        return all.toByteArray();
    }

    static TrapHit hit(String key) {
        return TrapHit.of(key, T0, "spammer@example.com", List.of("trap1@trap.example.net"))
                .withClient("zombie.example", "192.0.2.7")
                .withOrigin("198.51.100.23", T0.minusSeconds(5), "pc-42")
                .withAttribution("MATCHED", "alice", "sess-1", "10.0.0.1")
                .withTrace("{\"hops\":[]}");
    }

    @Test
    void recordsRawOnceAndRowWithDerivedFields() throws Exception {
        byte[] raw = message("Cheap pills", "Buy now");
        try (EvidenceStore store = open()) {
            RecordResult r = store.record(hit("intake-1"), raw);
            assertThat(r.isNew()).isTrue();
            assertThat(r.sha256()).isEqualTo(RawPacks.sha256(raw));
            assertThat(packBytes(data)).as("the exact bytes are in a pack file").containsSequence(raw);

            StoredHit stored = store.find(r.hitId()).orElseThrow();
            assertThat(stored.hit()).isEqualTo(hit("intake-1").withId(r.hitId()));
            assertThat(stored.sha256()).isEqualTo(r.sha256());
            assertThat(stored.size()).isEqualTo(raw.length);
            assertThat(stored.subject()).isEqualTo("Cheap pills");
            assertThat(stored.messageId()).isEqualTo("<abc." + "Cheap pills".hashCode() + "@example.com>");
            assertThat(stored.recordedAt()).isEqualTo(CLOCK.instant());
            assertThat(store.findByIntakeKey("intake-1")).contains(stored);
            assertThat(store.raw(r.hitId())).hasValue(raw);
            assertThat(store.find(r.hitId() + 1000)).isEmpty();
        }
        // Reopening sees the same hit (the database is a file, migrations run once).
        try (EvidenceStore store = open()) {
            assertThat(store.count()).isEqualTo(1);
        }
    }

    /** Flyway's history of an evidence database migrated through V3, as the layout before db/evidence/h2/ recorded it. */
    private static final List<String> HISTORY_BEFORE_THE_MOVE = List.of(
            "1 V1__trap_hits.sql 39948927",
            "2 V2__raw_packs.sql -1034968598",
            "3 V3__hit_id_reservation.sql 1704484886");

    /**
     * An evidence database migrated while the migrations were in db/evidence/ (that layout rebuilt here from
     * the same files) opens without a repair or a new migration: its hits are found, and new ones recorded
     * under ids after theirs.
     */
    @Test
    void aStoreMigratedFromTheLayoutBeforeTheMoveOpensAndWorks(@TempDir Path classpathBefore) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dialect == Dialect.H2, "H2's own schema history");
        Path before = Files.createDirectories(classpathBefore.resolve("db/evidence"));
        for (String row : HISTORY_BEFORE_THE_MOVE) {
            String script = row.split(" ")[1];
            try (var in = EvidenceStore.class.getResourceAsStream("/db/evidence/h2/" + script)) {
                Files.copy(in, before.resolve(script));
            }
        }
        String url = "jdbc:h2:file:" + data.toAbsolutePath().resolve("evidence");
        org.flywaydb.core.Flyway.configure().dataSource(url, "sa", "").locations("filesystem:" + before).load().migrate();
        assertThat(history(url)).isEqualTo(HISTORY_BEFORE_THE_MOVE);
        try (var c = java.sql.DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("INSERT INTO trap_hit (id, intake_key, received_at, recorded_at, trap_recipients, subscriber,"
                    + " sha256, size, raw_purged_at) VALUES (7000, 'intake-old', TIMESTAMP WITH TIME ZONE '2026-11-20 03:12:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2026-11-20 03:12:01+00', 'trap1@trap.example.net', 'alice', '" + "ab".repeat(32)
                    + "', 10, TIMESTAMP WITH TIME ZONE '2026-11-20 04:00:00+00')");
        }

        try (EvidenceStore store = open()) {
            assertThat(store.findByIntakeKey("intake-old")).map(StoredHit::id).contains(7000L);
            RecordResult recorded = store.record(hit("intake-new"), message("After the move", "a new hit"));
            assertThat(recorded.hitId()).as("after the ids already stored").isGreaterThan(7000L);
            assertThat(store.find(recorded.hitId()).map(h -> h.hit().intakeKey())).contains("intake-new");
            assertThat(store.caseSummary("alice").hits()).isEqualTo(2);
        }
        assertThat(history(url)).as("nothing repaired, nothing migrated again").isEqualTo(HISTORY_BEFORE_THE_MOVE);
    }

    private static List<String> history(String url) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection(url, "sa", "");
             var rs = c.createStatement().executeQuery("SELECT \"version\", \"script\", \"checksum\" FROM \"flyway_schema_history\""
                     + " WHERE \"version\" IS NOT NULL AND \"success\" ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3));
            }
        }
        return rows;
    }

    @Test
    void replayOfSameIntakeIsNotASecondHit() throws Exception {
        byte[] raw = message("Replay", "same bytes");
        try (EvidenceStore store = open()) {
            RecordResult first = store.record(hit("intake-r"), raw);
            long kept = packBytes(data).length;
            RecordResult again = store.record(hit("intake-r"), raw);
            assertThat(again.isNew()).isFalse();
            assertThat(again.hitId()).isEqualTo(first.hitId());
            assertThat(store.count()).isEqualTo(1);
            // Same bytes through another intake (another trap, another time) is another hit sharing the raw file.
            RecordResult other = store.record(hit("intake-s"), raw);
            assertThat(other.isNew()).isTrue();
            assertThat(other.sha256()).isEqualTo(first.sha256());
            assertThat(store.count()).isEqualTo(2);
            assertThat(packBytes(data)).as("the same bytes are stored once").hasSize((int) kept);
            assertThat(store.raw(other.hitId())).hasValue(raw);
        }
    }

    @Test
    void aReplayWhoseRowSurvivedAPowerCutButWhoseBytesDidNotGetsTheBytesBack() throws Exception {
        byte[] raw = message("Power cut", "row on disk, bytes not");
        long id;
        try (EvidenceStore store = open()) {
            id = store.recordDeferringSync(hit("intake-p"), raw).hitId();
        }
        // What a power cut can leave: H2 wrote the row, the pack's unsynced tail is gone.
        try (var files = Files.list(data.resolve("raw"))) {
            for (Path p : files.toList()) {
                Files.write(p, new byte[0]);
            }
        }
        try (EvidenceStore store = open()) {
            assertThat(store.raw(id)).isEmpty();
            RecordResult replay = store.recordDeferringSync(hit("intake-p"), raw);
            assertThat(replay.isNew()).isFalse();
            assertThat(replay.hitId()).isEqualTo(id);
            assertThat(store.raw(id)).hasValue(raw);
        }
    }

    @Test
    void concurrentReplaysCreateOneRow() throws Exception {
        byte[] raw = message("Race", "racing replays");
        try (EvidenceStore store = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<RecordResult>> results = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    results.add(pool.submit(() -> store.record(hit("intake-race"), raw)));
                }
                long newOnes = 0;
                long id = -1;
                for (Future<RecordResult> f : results) {
                    RecordResult r = f.get();
                    newOnes += r.isNew() ? 1 : 0;
                    if (id >= 0) {
                        assertThat(r.hitId()).isEqualTo(id);
                    }
                    id = r.hitId();
                }
                assertThat(newOnes).isEqualTo(1);
                assertThat(store.count()).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void messagesKeptOneFileEachByEarlierVersionsAreMovedIntoPacksAtOpen() throws Exception {
        byte[] a = message("One level", "kept as raw/ab/<sha>");
        byte[] b = message("Two levels", "kept as raw/ab/cd/<sha>");
        long idA;
        long idB;
        long idGone;
        try (EvidenceStore store = open()) {
            idA = store.record(hit("intake-a"), a).hitId();
            idB = store.record(hit("intake-b"), b).hitId();
            idGone = store.record(hit("intake-gone"), message("Gone", "file lost before the upgrade")).hitId();
        }
        // Turn the store into what an earlier version left: rows without a pack, one file per message.
        try (var c = sql()) {
            c.createStatement().execute("UPDATE trap_hit SET raw_pack = NULL, raw_offset = NULL");
        }
        try (var files = Files.list(data.resolve("raw"))) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        String shaA = RawPacks.sha256(a);
        String shaB = RawPacks.sha256(b);
        Path shardA = Files.createDirectories(data.resolve("raw").resolve(shaA.substring(0, 2)));
        Files.write(shardA.resolve(shaA), a);
        Path shardB = Files.createDirectories(data.resolve("raw").resolve(shaB.substring(0, 2)).resolve(shaB.substring(2, 4)));
        Files.write(shardB.resolve(shaB), b);
        Files.writeString(shardB.resolve(".incoming-123.tmp"), "half");

        try (EvidenceStore store = open()) {
            assertThat(store.raw(idA)).hasValue(a);
            assertThat(store.raw(idB)).hasValue(b);
            assertThat(store.raw(idGone)).isEmpty();
        }
        try (var files = Files.list(data.resolve("raw"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("only packs are left")
                    .isNotEmpty().allMatch(n -> n.endsWith(".pack"));
        }
        try (EvidenceStore store = open()) {
            assertThat(store.raw(idA)).as("and a second open reads them from the packs").hasValue(a);
        }
    }

    @Test
    void unwritableRawStoreFailsLoudlyAndRecordsNothing() throws Exception {
        try (EvidenceStore store = open()) {
            Path rawDir = data.resolve("raw");
            // chmod does not stop root, so make raw/ something no file can be created under.
            Files.delete(rawDir);
            Files.writeString(rawDir, "not a directory");
            assertThatThrownBy(() -> store.record(hit("intake-ro"), message("RO", "x")))
                    .isInstanceOf(EvidenceException.class)
                    .hasMessageContaining("intake-ro");
            assertThat(store.count()).isZero();
            assertThat(store.findByIntakeKey("intake-ro")).isEmpty();
        }
    }

    @Test
    void readOnlyDataDirectoryFailsLoudly() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "file permissions do not bind root; the not-a-directory case covers the same path");
        try (EvidenceStore store = open()) {
            Path rawDir = data.resolve("raw");
            rawDir.toFile().setWritable(false);
            try {
                assertThatThrownBy(() -> store.record(hit("intake-ro2"), message("RO2", "y")))
                        .isInstanceOf(EvidenceException.class);
                assertThat(store.count()).isZero();
            } finally {
                rawDir.toFile().setWritable(true);
            }
        }
    }

    @Test
    void rejectsHitWithoutIntakeKey() {
        assertThatThrownBy(() -> TrapHit.of(" ", T0, null, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oversizedTraceAndRecipientListStillRecord() throws Exception {
        String hugeTrace = "{\"hops\":\"" + "x".repeat(1_500_000) + "\"}";
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            many.add("trap" + i + "-" + "y".repeat(60) + "@trap.example.net");
        }
        try (EvidenceStore store = open()) {
            TrapHit hit = TrapHit.of("big", T0, "s@x", many).withTrace(hugeTrace);
            StoredHit stored = store.find(store.record(hit, message("big", "b")).hitId()).orElseThrow();
            assertThat(stored.hit().traceJson()).startsWith("{\"trace_truncated\":true,\"original_chars\":" + hugeTrace.length());
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored.hit().traceJson());
            assertThat(stored.hit().trapRecipients()).hasSizeBetween(1000, 1999).allSatisfy(r -> assertThat(many).contains(r));
        }
    }
}
