package org.trapline.evidence.hit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.trapline.common.sql.StoreSettings;
import org.trapline.common.sql.TestStores;
import org.trapline.evidence.EvidenceSettings;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.Statements;
import org.trapline.evidence.EvidenceStore;

/** The reservation over the hits store of each dialect, on the real database of each (TestStores). */
@ParameterizedClass
@MethodSource("org.trapline.common.sql.TestStores#dialects")
class HitIdsTest {
    @Parameter
    Dialect dialect;
    @TempDir
    Path data;

    @Test
    void idsFromConcurrentCallersAreDistinctAcrossBlocksAndReopens() throws Exception {
        Set<Long> seen = new HashSet<>();
        long highest = 0;
        StoreSettings where = TestStores.settings(dialect, "hit_ids");
        for (int open = 0; open < 2; open++) {
            List<Long> ids = new ArrayList<>();
            try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC(), EvidenceSettings.defaults(), where)) {
                ExecutorService threads = Executors.newFixedThreadPool(4);
                List<Future<List<Long>>> taken = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    taken.add(threads.submit(() -> {
                        List<Long> mine = new ArrayList<>();
                        for (int i = 0; i < 900; i++) {
                            mine.add(store.reserveHitId());
                        }
                        return mine;
                    }));
                }
                for (Future<List<Long>> f : taken) {
                    ids.addAll(f.get(60, TimeUnit.SECONDS));
                }
                threads.shutdown();
            }
            long lowestNow = ids.stream().mapToLong(Long::longValue).min().orElseThrow();
            assertThat(lowestNow).as("ids after a reopen are above every id before it").isGreaterThan(highest);
            for (long id : ids) {
                assertThat(seen.add(id)).as("id %d handed out once", id).isTrue();
            }
            highest = ids.stream().mapToLong(Long::longValue).max().orElseThrow();
        }
        assertThat(seen).hasSize(2 * 4 * 900);
    }

    @Test
    void theNextBlockIsReservedWhileOneIsHandedOutAndUsedOnlyOnceOnDisk() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dialect == Dialect.H2, "H2's CHECKPOINT SYNC, the sync this holds back");
        Jdbi jdbi = Jdbi.create("jdbc:h2:mem:hit-ids-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE trap_hit (id BIGINT PRIMARY KEY)");
            h.execute("CREATE TABLE hit_id_reservation (next_free BIGINT NOT NULL)");
            h.execute("INSERT INTO hit_id_reservation VALUES (1)");
        });
        // Every reservation after the first hangs on its CHECKPOINT SYNC until the test lets it go.
        CountDownLatch diskBack = new CountDownLatch(1);
        AtomicInteger checkpoints = new AtomicInteger();
        jdbi.addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement stmt, StatementContext ctx) throws java.sql.SQLException {
                if (ctx.getRawSql().startsWith("CHECKPOINT") && checkpoints.incrementAndGet() > 1) {
                    try {
                        diskBack.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        HitIds ids = new HitIds(jdbi, Statements.load(HitIds.class, SqlHitStore.STORE, Dialect.H2));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            List<Long> firstBlock = caller.submit(() -> {
                List<Long> got = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    got.add(ids.next());
                }
                return got;
            }).get(10, TimeUnit.SECONDS);
            assertThat(firstBlock).first().isEqualTo(1L);
            assertThat(firstBlock).last().isEqualTo(1000L);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (checkpoints.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(checkpoints.get()).as("the next block's reservation started while this one was handed out").isEqualTo(2);
            assertThat(nextFree(jdbi)).isEqualTo(2001L);

            Future<Long> firstOfNext = caller.submit(ids::next);
            Thread.sleep(200);
            assertThat(firstOfNext).as("the next block is not handed out before it is on disk").isNotDone();
            diskBack.countDown();
            assertThat(firstOfNext.get(10, TimeUnit.SECONDS)).isEqualTo(1001L);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (nextFree(jdbi) < 3001 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(nextFree(jdbi)).as("the block after it is reserved in turn").isEqualTo(3001L);
        } finally {
            diskBack.countDown();
            caller.shutdownNow();
        }
    }

    private static long nextFree(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT next_free FROM hit_id_reservation").mapTo(Long.class).one());
    }
}
