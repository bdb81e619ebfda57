package org.trapline.mailets.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolFlusherTest {
    @Test
    void noRecordIsDurableBeforeASyncThatStartedAfterItWasAppended() throws Exception {
        AtomicLong changes = new AtomicLong();
        AtomicLong syncedUpTo = new AtomicLong();
        AtomicInteger syncs = new AtomicInteger();
        SpoolFlusher flusher = new SpoolFlusher(() -> {
            long covered = changes.get();
            syncs.incrementAndGet();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            syncedUpTo.accumulateAndGet(covered, Math::max);
        }, "test-flush", java.time.Duration.ZERO);
        flusher.start();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Boolean>> results = new ArrayList<>();
        Object appendLock = new Object();
        for (int i = 0; i < 400; i++) {
            results.add(pool.submit(() -> {
                long mine;
                java.util.concurrent.CompletableFuture<Void> durable;
                synchronized (appendLock) {
                    mine = changes.incrementAndGet();
                    durable = flusher.appended(mine);
                }
                durable.get();
                return syncedUpTo.get() >= mine;
            }));
        }
        for (Future<Boolean> f : results) {
            assertThat(f.get()).isTrue();
        }
        pool.shutdown();
        flusher.close();
        // Sixteen writers share syncs: far fewer fsyncs than writes.
        assertThat(syncs.get()).isLessThan(400);
    }

    @Test
    void aFailedSyncFailsEveryRecordItCoveredAndTheNextSyncServesTheRest() throws Exception {
        FirstSyncHeld sync = new FirstSyncHeld(true);
        SpoolFlusher flusher = new SpoolFlusher(sync, "test-flush", java.time.Duration.ZERO);
        flusher.start();
        var first = flusher.appended(1);
        sync.running.await();
        var second = flusher.appended(2);
        sync.finish.countDown();
        assertThatThrownBy(first::get).hasCauseInstanceOf(java.io.IOException.class).hasMessageContaining("EIO");
        // Appended while the failing sync ran: it needs a sync of its own, which succeeds.
        second.get();
        assertThat(sync.calls.get()).isEqualTo(2);
        flusher.close();
    }

    @Test
    void aLoneWriterNeverWaitsForCompany() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        SpoolFlusher flusher = new SpoolFlusher(syncs::incrementAndGet, "test-flush", java.time.Duration.ofSeconds(30));
        flusher.start();
        long started = System.nanoTime();
        for (long change = 1; change <= 20; change++) {
            flusher.appended(change).get();
        }
        // Each record is synced on its own at once: nothing arrived during the sync before it.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(10));
        assertThat(syncs.get()).isEqualTo(20);
        flusher.close();
    }

    @Test
    void aRecordThatArrivedDuringASyncWaitsForCompanyUntilABatchIsFull() throws Exception {
        FirstSyncHeld sync = new FirstSyncHeld(false);
        SpoolFlusher flusher = new SpoolFlusher(sync, "test-flush", java.time.Duration.ofSeconds(30));
        flusher.start();
        var first = flusher.appended(1);
        sync.running.await();
        // Another session appended while the first sync ran: sessions are sending concurrently.
        var second = flusher.appended(2);
        sync.finish.countDown();
        first.get();
        Thread.sleep(300);
        assertThat(second).as("waits for more records to share its sync").isNotDone();
        List<java.util.concurrent.CompletableFuture<Void>> rest = new ArrayList<>();
        for (long change = 3; change < 1 + SpoolFlusher.FULL_BATCH; change++) {
            rest.add(flusher.appended(change));
        }
        assertThat(rest).as("not yet a full batch").allMatch(f -> !f.isDone());
        rest.add(flusher.appended(1 + SpoolFlusher.FULL_BATCH));
        // A full batch goes at once, long before the 30 s wait is over.
        second.get(10, java.util.concurrent.TimeUnit.SECONDS);
        for (var f : rest) {
            f.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(sync.calls.get()).isEqualTo(2);
        flusher.close();
    }

    /** A sync whose first run blocks until {@link #finish} is counted down, then fails if told to; later runs pass at once. */
    private static final class FirstSyncHeld implements SpoolFlusher.Sync {
        final AtomicInteger calls = new AtomicInteger();
        final java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        private final boolean firstFails;

        FirstSyncHeld(boolean firstFails) {
            this.firstFails = firstFails;
        }

        @Override
        public void run() throws java.io.IOException {
            if (calls.incrementAndGet() != 1) {
                return;
            }
            running.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            if (firstFails) {
                throw new java.io.IOException("EIO");
            }
        }
    }

    @Test
    void closeRunsALastSyncForWhatStillWaits() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        SpoolFlusher flusher = new SpoolFlusher(syncs::incrementAndGet, "test-flush", java.time.Duration.ZERO);
        var waiting = flusher.appended(1);
        flusher.start();
        flusher.close();
        assertThat(waiting).isCompleted();
        assertThat(syncs.get()).isEqualTo(1);
        assertThat(flusher.appended(2)).isCompletedExceptionally();
    }

    @TempDir
    Path dir;

    @Test
    void concurrentWritersAllEndUpPending() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<String> keys = ConcurrentHashMap.newKeySet();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            fs.add(pool.submit(() -> {
                keys.add(spool.write(new Envelope("s@x", List.of("t@trap.example.net"), "192.0.2.1", "h", Instant.now()),
                        ("Subject: " + n + "\r\n\r\nbody\r\n").getBytes()).intakeKey());
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        assertThat(keys).hasSize(200);
        assertThat(spool.pending()).extracting(SpooledMessage::intakeKey).containsExactlyInAnyOrderElementsOf(keys);
    }
}
