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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.evidence.raw.RawStore;

class EvidenceStoreTest {
    static final Instant T0 = Instant.parse("2026-11-20T03:12:00Z");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path data;

    static byte[] message(String subject, String body) {
        return ("From: spammer@example.com\r\nTo: trap1@trap.example.net\r\nSubject: " + subject
                + "\r\nMessage-ID: <abc." + subject.hashCode() + "@example.com>\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
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
        try (EvidenceStore store = EvidenceStore.open(data, CLOCK)) {
            RecordResult r = store.record(hit("intake-1"), raw);
            assertThat(r.isNew()).isTrue();
            assertThat(r.sha256()).isEqualTo(RawStore.sha256(raw));
            Path file = data.resolve("raw").resolve(r.sha256().substring(0, 2)).resolve(r.sha256());
            assertThat(Files.readAllBytes(file)).isEqualTo(raw);

            StoredHit stored = store.find(r.hitId()).orElseThrow();
            assertThat(stored.hit()).isEqualTo(hit("intake-1"));
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
        try (EvidenceStore store = EvidenceStore.open(data, CLOCK)) {
            assertThat(store.count()).isEqualTo(1);
        }
    }

    @Test
    void replayOfSameIntakeIsNotASecondHit() {
        byte[] raw = message("Replay", "same bytes");
        try (EvidenceStore store = EvidenceStore.open(data, CLOCK)) {
            RecordResult first = store.record(hit("intake-r"), raw);
            RecordResult again = store.record(hit("intake-r"), raw);
            assertThat(again.isNew()).isFalse();
            assertThat(again.hitId()).isEqualTo(first.hitId());
            assertThat(store.count()).isEqualTo(1);
            // Same bytes through another intake (another trap, another time) is another hit sharing the raw file.
            RecordResult other = store.record(hit("intake-s"), raw);
            assertThat(other.isNew()).isTrue();
            assertThat(other.sha256()).isEqualTo(first.sha256());
            assertThat(store.count()).isEqualTo(2);
        }
    }

    @Test
    void concurrentReplaysCreateOneRow() throws Exception {
        byte[] raw = message("Race", "racing replays");
        try (EvidenceStore store = EvidenceStore.open(data, CLOCK)) {
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
    void messagesKeptInTheEarlierTwoLevelLayoutAreMovedAtOpenAndStillRead() throws Exception {
        byte[] raw = message("Old layout", "kept before the upgrade");
        long id;
        String sha;
        try (EvidenceStore store = EvidenceStore.open(data, CLOCK)) {
            RecordResult r = store.record(hit("intake-old"), raw);
            id = r.hitId();
            sha = r.sha256();
        }
        // Put it where an earlier version kept it: raw/ab/cd/<sha256>, plus a temp file that was never renamed.
        Path shard = data.resolve("raw").resolve(sha.substring(0, 2));
        Path legacy = Files.createDirectories(shard.resolve(sha.substring(2, 4)));
        Files.move(shard.resolve(sha), legacy.resolve(sha));
        Files.writeString(legacy.resolve(".incoming-123.tmp"), "half");
        try (EvidenceStore store = EvidenceStore.open(data, CLOCK)) {
            assertThat(store.raw(id)).hasValue(raw);
        }
        assertThat(shard.resolve(sha)).exists();
        assertThat(legacy).doesNotExist();
    }

    @Test
    void unwritableRawStoreFailsLoudlyAndRecordsNothing() throws Exception {
        try (EvidenceStore store = EvidenceStore.open(data, CLOCK)) {
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
        try (EvidenceStore store = EvidenceStore.open(data, CLOCK)) {
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
        try (EvidenceStore store = EvidenceStore.open(data, CLOCK)) {
            TrapHit hit = TrapHit.of("big", T0, "s@x", many).withTrace(hugeTrace);
            StoredHit stored = store.find(store.record(hit, message("big", "b")).hitId()).orElseThrow();
            assertThat(stored.hit().traceJson()).startsWith("{\"trace_truncated\":true,\"original_chars\":" + hugeTrace.length());
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored.hit().traceJson());
            assertThat(stored.hit().trapRecipients()).hasSizeBetween(1000, 1999).allSatisfy(r -> assertThat(many).contains(r));
        }
    }
}
