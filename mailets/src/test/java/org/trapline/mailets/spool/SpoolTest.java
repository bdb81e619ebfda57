package org.trapline.mailets.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    static final Envelope ENVELOPE = new Envelope("spammer@forged.example", List.of("a@trap.example.net", "b@trap.example.net"),
            "192.0.2.7", "zombie [with] odd\nhelo %41 \u00e9", Instant.parse("2026-11-25T03:12:00Z"));

    @Test
    void writtenMessagesComeBackByteForByteWithTheirEnvelope() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        byte[] raw = "Received: from x\r\nSubject: \u00ff\r\n\r\n\n\nbody with \0 NUL and \r\n.\r\n".getBytes(StandardCharsets.ISO_8859_1);
        SpooledMessage written = spool.write(ENVELOPE, raw);

        Spool reopened = new Spool(dir);
        reopened.open();
        List<SpooledMessage> pending = reopened.pending();
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).intakeKey()).isEqualTo(written.intakeKey());
        assertThat(pending.get(0).envelope()).isEqualTo(ENVELOPE);
        assertThat(pending.get(0).raw()).isEqualTo(raw);
    }

    @Test
    void intakeKeyCoversEnvelopeAndBytes() {
        byte[] raw = "x".getBytes(StandardCharsets.US_ASCII);
        String k = Spool.intakeKey("s@x", List.of("a@t"), raw);
        assertThat(k).hasSize(64).isEqualTo(Spool.intakeKey("s@x", List.of("a@t"), raw));
        assertThat(Spool.intakeKey("s@y", List.of("a@t"), raw)).isNotEqualTo(k);
        assertThat(Spool.intakeKey("s@x", List.of("b@t"), raw)).isNotEqualTo(k);
        assertThat(Spool.intakeKey("s@x", List.of("a@t"), "y".getBytes(StandardCharsets.US_ASCII))).isNotEqualTo(k);
        // The separator keeps "sa" + "b" apart from "s" + "ab".
        assertThat(Spool.intakeKey("sa", List.of("b"), raw)).isNotEqualTo(Spool.intakeKey("s", List.of("ab"), raw));
    }

    @Test
    void releaseForgetsAndIsIdempotent() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        SpooledMessage m = spool.write(ENVELOPE, new byte[] {1, 2, 3});
        spool.release(m.intakeKey());
        spool.release(m.intakeKey());
        assertThat(spool.pending()).isEmpty();
        assertThat(spool.find(m.intakeKey())).isEmpty();
    }

    @Test
    void quarantineKeepsBytesAndReasonOutOfTheReplayPath() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        SpooledMessage m = spool.write(ENVELOPE, new byte[] {1, 2, 3});
        spool.quarantine(m.intakeKey(), "mailet exploded");
        assertThat(spool.pending()).isEmpty();
        assertThat(spool.quarantined()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("quarantine").resolve(m.intakeKey() + ".reason"))).contains("mailet exploded");
        assertThat(Files.readAllBytes(dir.resolve("quarantine").resolve(m.intakeKey() + ".spool"))).endsWith(1, 2, 3);
    }

    @Test
    void whatWasNotReleasedComesBackAfterReopenAndReleasesStayReleased() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        SpooledMessage kept = spool.write(ENVELOPE, new byte[] {1});
        SpooledMessage done = spool.write(ENVELOPE, new byte[] {2});
        spool.release(done.intakeKey());
        // No close: a kill -9 leaves the files as they are.
        Spool reopened = new Spool(dir);
        reopened.open();
        assertThat(reopened.pending()).extracting(SpooledMessage::intakeKey).containsExactly(kept.intakeKey());
        assertThat(Spool.pendingOnDisk(dir)).isEqualTo(1);
        reopened.release(kept.intakeKey());
        assertThat(Spool.pendingOnDisk(dir)).isZero();
    }

    @Test
    void aRetryOfAWaitingMessageIsNotSpooledTwice() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        spool.write(ENVELOPE, new byte[] {7});
        spool.write(ENVELOPE, new byte[] {7});
        assertThat(spool.pendingCount()).isEqualTo(1);
        assertThat(Spool.pendingOnDisk(dir)).isEqualTo(1);
    }

    @Test
    void drainedSegmentsAreDeleted() throws Exception {
        Spool spool = new Spool(dir, Long.MAX_VALUE, 300);
        spool.open();
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            keys.add(spool.write(ENVELOPE, ("message " + i).getBytes(StandardCharsets.US_ASCII)).intakeKey());
        }
        assertThat(journals()).as("small segments roll").hasSizeGreaterThan(2);
        spool.release(keys);
        assertThat(journals()).as("only the segment still written to is left").hasSize(1);
        spool.close();
        Spool reopened = new Spool(dir);
        reopened.open();
        assertThat(reopened.pending()).isEmpty();
        assertThat(journals()).as("the drained one is gone, a fresh one started").hasSize(1);
    }

    @Test
    void aTornTailIsQuarantinedAndEverythingBeforeItReplayed() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        SpooledMessage a = spool.write(ENVELOPE, "first".getBytes(StandardCharsets.US_ASCII));
        SpooledMessage b = spool.write(ENVELOPE, "second".getBytes(StandardCharsets.US_ASCII));
        spool.close();
        Path journal = journals().get(0);
        long size = Files.size(journal);
        // A power cut in the middle of the second record's write, then garbage where the disk lied.
        try (var ch = java.nio.channels.FileChannel.open(journal, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size - 3);
        }
        Spool reopened = new Spool(dir);
        reopened.open();
        assertThat(reopened.pending()).extracting(SpooledMessage::intakeKey).containsExactly(a.intakeKey());
        assertThat(b.intakeKey()).isNotEqualTo(a.intakeKey());
        try (var q = Files.list(dir.resolve("quarantine"))) {
            List<Path> files = q.toList();
            assertThat(files).anySatisfy(p -> assertThat(p.toString()).endsWith(".damaged"));
            Path reason = files.stream().filter(p -> p.toString().endsWith(".reason")).findFirst().orElseThrow();
            assertThat(Files.readString(reason)).contains("a record cut short");
        }
    }

    @Test
    void aFlippedBitIsCaughtByTheChecksum() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        spool.write(ENVELOPE, "payload to damage".getBytes(StandardCharsets.US_ASCII));
        spool.close();
        Path journal = journals().get(0);
        byte[] bytes = Files.readAllBytes(journal);
        bytes[bytes.length - 2] ^= 0x20;
        Files.write(journal, bytes);
        Spool reopened = new Spool(dir);
        reopened.open();
        assertThat(reopened.pending()).isEmpty();
        try (var q = Files.list(dir.resolve("quarantine"))) {
            assertThat(q.filter(p -> p.toString().endsWith(".reason")).findFirst().map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })).hasValueSatisfying(r -> assertThat(r).contains("checksum mismatch"));
        }
    }

    @Test
    void concurrentWritersAreAllDurableAndDistinct() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        int threads = 8;
        int each = 50;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    spool.write(ENVELOPE, ("thread " + thread + " message " + i).getBytes(StandardCharsets.US_ASCII));
                }
                return null;
            }));
        }
        for (var f : done) {
            f.get();
        }
        pool.shutdown();
        Spool reopened = new Spool(dir);
        reopened.open();
        assertThat(reopened.pending()).hasSize(threads * each)
                .extracting(m -> new String(m.raw(), StandardCharsets.US_ASCII)).doesNotHaveDuplicates();
    }

    private List<Path> journals() throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".journal")).sorted().toList();
        }
    }

    @Test
    void keysThatCouldEscapeTheDirectoryAreRejected() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.release("../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backlogLimitRefusesNewMessagesUntilSomeAreReleased() throws Exception {
        Spool spool = new Spool(dir, 2, java.time.Duration.ZERO);
        spool.open();
        SpooledMessage a = spool.write(ENVELOPE, new byte[] {1});
        spool.write(ENVELOPE, new byte[] {2});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.write(ENVELOPE, new byte[] {3}))
                .isInstanceOf(Spool.SpoolFullException.class);
        spool.release(a.intakeKey());
        assertThat(spool.write(ENVELOPE, new byte[] {3}).intakeKey()).isNotEmpty();
        Spool reopened = new Spool(dir, 2, java.time.Duration.ZERO);
        reopened.open();
        assertThat(reopened.pendingCount()).as("counted again at open").isEqualTo(2);
    }

    @Test
    void anAppendReturnsBeforeTheDiskAndItsFutureOnlyAfterASyncThatCoversIt() throws Exception {
        CountDownLatch syncStarted = new CountDownLatch(1);
        CountDownLatch letSyncFinish = new CountDownLatch(1);
        Spool spool = new Spool(dir, Long.MAX_VALUE, Spool.SEGMENT_BYTES, java.time.Duration.ZERO, sync -> () -> {
            syncStarted.countDown();
            awaitQuietly(letSyncFinish);
            sync.run();
        });
        spool.open();
        Spool.Intake intake = spool.append(ENVELOPE, "Subject: held\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(syncStarted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(intake.durable()).as("not on disk while the sync runs").isNotDone();
        letSyncFinish.countDown();
        intake.durable().get(10, TimeUnit.SECONDS);
        assertThat(spool.acknowledged(intake.message().intakeKey())).isTrue();
        assertThat(spool.pending()).extracting(SpooledMessage::intakeKey).containsExactly(intake.message().intakeKey());
        spool.close();
    }

    @Test
    void aFailedSyncRefusesWhatItCoveredAndTheNextMessageGoesToAFreshSegment() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        Spool spool = new Spool(dir, Long.MAX_VALUE, Spool.SEGMENT_BYTES, java.time.Duration.ZERO, sync -> () -> {
            if (failing.get()) {
                throw new IOException("EIO (test)");
            }
            sync.run();
        });
        spool.open();
        Spool.Intake lost = spool.append(ENVELOPE, "Subject: lost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> lost.durable().get(10, TimeUnit.SECONDS)).hasRootCauseMessage("EIO (test)");
        String lostKey = lost.message().intakeKey();
        assertThat(spool.acknowledged(lostKey)).as("the pipeline drops it: its client heard 451").isFalse();
        assertThat(spool.pending()).as("not replayed either").isEmpty();
        List<Path> segmentsBefore = journals();

        failing.set(false);
        SpooledMessage kept = spool.write(ENVELOPE, "Subject: kept\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(spool.acknowledged(kept.intakeKey())).isTrue();
        assertThat(journals()).as("a fresh segment after the failure (the drained one is gone)").isNotEmpty().doesNotContainAnyElementsOf(segmentsBefore);
        spool.close();

        Spool reopened = new Spool(dir);
        reopened.open();
        assertThat(reopened.pending()).extracting(SpooledMessage::intakeKey).containsExactly(kept.intakeKey());
        reopened.close();
    }

    @Test
    void theAppendingThreadWritesNothingTheFlusherWritesTheRecordBeforeItsSync() throws Exception {
        CountDownLatch letSyncRun = new CountDownLatch(1);
        Spool spool = new Spool(dir, Long.MAX_VALUE, Spool.SEGMENT_BYTES, java.time.Duration.ZERO, sync -> () -> {
            awaitQuietly(letSyncRun);
            sync.run();
        });
        spool.open();
        byte[] raw = "Subject: placed\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        Spool.Intake intake = spool.append(ENVELOPE, raw);
        assertThat(Files.size(journals().get(0))).as("nothing written by the SMTP thread").isZero();
        letSyncRun.countDown();
        intake.durable().get(10, TimeUnit.SECONDS);
        assertThat(Files.size(journals().get(0))).isGreaterThan(raw.length);
        spool.close();
        Spool reopened = new Spool(dir);
        reopened.open();
        assertThat(reopened.pending()).extracting(SpooledMessage::raw).containsExactly(raw);
        reopened.close();
    }

    @Test
    void aFailedWriteRefusesItsRecordsAndTheNextMessageGoesToAFreshSegment() throws Exception {
        CountDownLatch letSyncRun = new CountDownLatch(1);
        AtomicBoolean diskFull = new AtomicBoolean(true);
        Spool spool = new Spool(dir, Long.MAX_VALUE, Spool.SEGMENT_BYTES, java.time.Duration.ZERO, sync -> () -> {
            awaitQuietly(letSyncRun);
            sync.run();
        }, new Spool.JournalIo() {
            @Override
            public long write(java.nio.channels.FileChannel journal, java.nio.ByteBuffer[] buffers) throws IOException {
                if (diskFull.get()) {
                    // Part of a record reaches the file, as with ENOSPC in the middle of a write.
                    journal.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
                    throw new IOException("ENOSPC (test)");
                }
                return journal.write(buffers);
            }
        });
        spool.open();
        Spool.Intake first = spool.append(ENVELOPE, "Subject: one\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Spool.Intake second = spool.append(ENVELOPE, "Subject: two\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        List<Path> segmentsBefore = journals();
        letSyncRun.countDown();
        for (Spool.Intake lost : List.of(first, second)) {
            assertThatThrownBy(() -> lost.durable().get(10, TimeUnit.SECONDS)).hasRootCauseMessage("ENOSPC (test)");
            assertThat(spool.acknowledged(lost.message().intakeKey())).as("the pipeline drops it: its client heard 451").isFalse();
        }
        assertThat(spool.pending()).as("not replayed either").isEmpty();

        diskFull.set(false);
        SpooledMessage kept = spool.write(ENVELOPE, "Subject: kept\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(journals()).as("a fresh segment after the failure (the cut one is gone)").isNotEmpty().doesNotContainAnyElementsOf(segmentsBefore);
        spool.close();

        Spool reopened = new Spool(dir);
        reopened.open();
        assertThat(reopened.pending()).extracting(SpooledMessage::intakeKey).containsExactly(kept.intakeKey());
        assertThat(reopened.quarantined()).as("the cut-off bytes are no damage").isZero();
        reopened.close();
    }

    @Test
    void aFailedSyncAlsoRefusesWhatItWroteForTheNextSyncToCover() throws Exception {
        CountDownLatch syncStarted = new CountDownLatch(1);
        CountDownLatch secondAppended = new CountDownLatch(1);
        AtomicBoolean failing = new AtomicBoolean(true);
        Spool spool = new Spool(dir, Long.MAX_VALUE, Spool.SEGMENT_BYTES, java.time.Duration.ZERO, sync -> () -> {
            syncStarted.countDown();
            awaitQuietly(secondAppended);
            sync.run();
        }, new Spool.JournalIo() {
            @Override
            public void force(java.nio.channels.FileChannel journal) throws IOException {
                if (failing.getAndSet(false)) {
                    throw new IOException("EIO (test)");
                }
                journal.force(false);
            }
        });
        spool.open();
        Spool.Intake first = spool.append(ENVELOPE, "Subject: one\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(syncStarted.await(10, TimeUnit.SECONDS)).isTrue();
        // Appended once the sync counted what it covers, but written by it: its bytes went with the failed sync.
        Spool.Intake second = spool.append(ENVELOPE, "Subject: two\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        secondAppended.countDown();
        for (Spool.Intake lost : List.of(first, second)) {
            assertThatThrownBy(() -> lost.durable().get(10, TimeUnit.SECONDS)).hasRootCauseMessage("EIO (test)");
            assertThat(spool.acknowledged(lost.message().intakeKey())).isFalse();
        }
        SpooledMessage kept = spool.write(ENVELOPE, "Subject: kept\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        spool.close();
        Spool reopened = new Spool(dir);
        reopened.open();
        assertThat(reopened.pending()).extracting(SpooledMessage::intakeKey).containsExactly(kept.intakeKey());
        reopened.close();
    }

    @Test
    void writeThrowsWhenTheSyncFails() throws Exception {
        Spool spool = new Spool(dir, Long.MAX_VALUE, Spool.SEGMENT_BYTES, java.time.Duration.ZERO, sync -> () -> {
            throw new IOException("EIO (test)");
        });
        spool.open();
        assertThatThrownBy(() -> spool.write(ENVELOPE, new byte[] {9})).isInstanceOf(IOException.class).hasMessage("EIO (test)");
        assertThat(spool.pending()).isEmpty();
        spool.close();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
