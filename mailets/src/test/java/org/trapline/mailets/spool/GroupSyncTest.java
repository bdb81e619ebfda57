package org.trapline.mailets.spool;

import static org.assertj.core.api.Assertions.assertThat;

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

class GroupSyncTest {
    @Test
    void noWriterReturnsBeforeASyncThatStartedAfterItsChange() throws Exception {
        AtomicLong changes = new AtomicLong();
        AtomicLong syncedUpTo = new AtomicLong();
        AtomicInteger syncs = new AtomicInteger();
        GroupSync sync = new GroupSync(() -> {
            long covered = changes.get();
            syncs.incrementAndGet();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            syncedUpTo.accumulateAndGet(covered, Math::max);
        }, changes::get);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            results.add(pool.submit(() -> {
                long mine = changes.incrementAndGet();
                sync.syncCovering(mine);
                return syncedUpTo.get() >= mine;
            }));
        }
        for (Future<Boolean> f : results) {
            assertThat(f.get()).isTrue();
        }
        pool.shutdown();
        // Sixteen writers share syncs: far fewer fsyncs than writes.
        assertThat(syncs.get()).isLessThan(400);
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
