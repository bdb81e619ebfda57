// Evidence store benchmark: run with ./run.sh (see README.md). Not part of the test suite.
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.StoredHit;
import org.trapline.evidence.index.EvidenceIndex;
import org.trapline.evidence.index.HitDocuments;
import org.trapline.evidence.mime.MessageContent;
import org.trapline.evidence.mime.MessageReader;
import org.trapline.evidence.search.HitSearch;
import org.trapline.evidence.search.SearchResult;

/**
 * Generates N evidence documents from the real test corpus (each message with its own headers,
 * subject words, origin IP, subscriber, session, trap and time), indexes them through the same
 * MIME decoding and document building the store uses, then measures desk query latency, index size
 * per message, and the durable record() path (raw fsync + H2 commit + index) on a smaller count.
 */
public class EvidenceBench {
    private static final GeneratedHits.Spread SPREAD = GeneratedHits.Spread.EVIDENCE;

    public static void main(String[] args) throws Exception {
        int docs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int records = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        int pipelineHits = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Path corpus = Path.of(System.getProperty("corpus", "../shared/testdata/messages"));
        Path work = Files.createTempDirectory("evidence-bench");
        System.out.printf("evidence bench: %,d documents, %d indexing threads, %d cores, heap %d MB, work dir %s%n",
                docs, threads, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, work);

        GeneratedHits generated = new GeneratedHits(GeneratedHits.loadTemplates(corpus), SPREAD);
        System.out.printf("corpus: %d real messages from %s%n", generated.templates(), corpus);

        if (docs > 0) {
            indexAndQueryPhases(work.resolve("index"), generated, docs, threads);
        }
        recordPhase(work.resolve("store"), generated, records);
        pipelinePhase(work.resolve("pipeline"), generated, pipelineHits);
        deleteTree(work);
    }

    /** Index DOCS documents, query them, merge to one segment and query again. */
    static void indexAndQueryPhases(Path dir, GeneratedHits generated, int docs, int threads) throws Exception {
        try (EvidenceIndex index = new EvidenceIndex(dir, Duration.ofSeconds(1), Duration.ofHours(1), 256)) {
            indexPhase(index, generated, docs, threads);
            long bytes = index.sizeOnDisk();
            System.out.printf("index size: %,d bytes = %,.0f bytes/message (after natural merges)%n", bytes, (double) bytes / docs);
            queryPhase(index, docs);
            long mergeStart = System.nanoTime();
            index.forceMerge(1);
            index.commit();
            long merged = index.sizeOnDisk();
            System.out.printf("%nafter forceMerge(1) (%.0f s): %,d bytes = %,.0f bytes/message%n",
                    (System.nanoTime() - mergeStart) / 1e9, merged, (double) merged / docs);
            queryPhase(index, docs);
        }
    }

    static void indexPhase(EvidenceIndex index, GeneratedHits generated, int docs, int threads) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long started = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            Thread t = new Thread(() -> {
                MessageReader reader = new MessageReader();
                byte[][] raw = new byte[1][];
                try {
                    long i;
                    while ((i = next.getAndIncrement()) < docs) {
                        SplittableRandom r = GeneratedHits.random(i);
                        StoredHit h = generated.hit(i, docs, r, raw);
                        MessageContent content = reader.read(raw[0]);
                        index.add(HitDocuments.of(h, content));
                        long d = done.incrementAndGet();
                        if (d % 100_000 == 0) {
                            double s = (System.nanoTime() - started) / 1e9;
                            System.out.printf("  %,d docs in %.0f s (%,.0f docs/s)%n", d, s, d / s);
                        }
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        double addSeconds = (System.nanoTime() - started) / 1e9;
        index.commit();
        double totalSeconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
        System.out.printf("indexing: %,d docs in %.1f s = %,.0f docs/s wall clock (incl. MIME decoding and final commit; %.1f s before commit)%n",
                docs, totalSeconds, docs / totalSeconds, addSeconds);
        System.out.printf("indexing CPU: %.1f s of process CPU = %,.0f docs per CPU-second; machine load average %.1f on %d cores "
                + "(other processes share them: docs per CPU-second x cores is what dedicated cores would give)%n",
                cpuSeconds, docs / cpuSeconds, os.getSystemLoadAverage(), os.getAvailableProcessors());
    }

    static final String[] DESK_QUERIES = GeneratedHits.DESK_QUERIES;

    static void queryPhase(EvidenceIndex index, int docs) throws Exception {
        HitSearch search = new HitSearch(index);
        index.refresh();
        for (int warm = 0; warm < 3; warm++) {
            for (String q : DESK_QUERIES) {
                search.search(q, 20, 0, null);
            }
        }
        int rounds = 20;
        List<Long> all = new ArrayList<>();
        System.out.printf("%n%-55s %10s %9s %9s%n", "desk query (limit 20, newest first)", "matches", "p50 ms", "p95 ms");
        for (String q : DESK_QUERIES) {
            long[] t = new long[rounds];
            long total = 0;
            for (int i = 0; i < rounds; i++) {
                long s = System.nanoTime();
                SearchResult r = search.search(q, 20, 0, null);
                t[i] = System.nanoTime() - s;
                total = r.total();
                all.add(t[i]);
            }
            Arrays.sort(t);
            System.out.printf("%-55s %,10d %9.2f %9.2f%n", q.isEmpty() ? "(everything)" : q, total, t[rounds / 2] / 1e6,
                    t[(int) Math.ceil(rounds * 0.95) - 1] / 1e6);
        }
        all.sort(Comparator.naturalOrder());
        System.out.printf("ALL %d desk queries x %d runs: p50 %.2f ms, p95 %.2f ms, max %.2f ms%n", DESK_QUERIES.length, rounds,
                all.get(all.size() / 2) / 1e6, all.get((int) Math.ceil(all.size() * 0.95) - 1) / 1e6, all.get(all.size() - 1) / 1e6);

        String[] facetQueries = {"after:2026-11-01", "", "ip:10.3.0.0/16"};
        System.out.printf("%n%-55s %10s %9s %9s%n", "facets (all seven desk facets; top 10)", "matches", "p50 ms", "p95 ms");
        for (String q : facetQueries) {
            long[] t = new long[5];
            long total = 0;
            for (int i = 0; i < t.length; i++) {
                long s = System.nanoTime();
                total = search.search(q, 20, 10, null).total();
                t[i] = System.nanoTime() - s;
            }
            Arrays.sort(t);
            System.out.printf("%-55s %,10d %9.2f %9.2f%n", q.isEmpty() ? "(everything)" : q, total, t[2] / 1e6, t[4] / 1e6);
        }
    }

    static void recordPhase(Path dir, GeneratedHits generated, int records) throws IOException {
        if (records <= 0) {
            return;
        }
        long[] t = new long[records];
        byte[][] raw = new byte[1][];
        try (EvidenceStore store = EvidenceStore.open(dir, Clock.systemUTC())) {
            long started = System.nanoTime();
            for (int i = 0; i < records; i++) {
                SplittableRandom r = new SplittableRandom(i * 31L + 7);
                StoredHit h = generated.hit(i, records, r, raw);
                long s = System.nanoTime();
                store.record(h.hit(), raw[0]);
                t[i] = System.nanoTime() - s;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(t);
            System.out.printf("%nrecord() (raw fsync + H2 commit + index, one thread): %,d hits in %.1f s = %,.0f hits/s; "
                    + "latency p50 %.2f ms, p95 %.2f ms%n", records, seconds, records / seconds, t[records / 2] / 1e6,
                    t[(int) Math.ceil(records * 0.95) - 1] / 1e6);
        }
        long rawBytes = treeSize(dir.resolve("raw"));
        long db = treeSize(dir.resolve("evidence.mv.db"));
        long idx = treeSize(dir.resolve("index"));
        System.out.printf("store on disk per hit: raw %,.0f bytes, H2 database %,.0f bytes, index %,.0f bytes%n",
                (double) rawBytes / records, (double) db / records, (double) idx / records);
    }

    /**
     * The trap MX's path: recordDeferringSync() for every hit and one sync() per 250 hits (what the spool
     * releaser's flush interval batches at ~1,000 hits/s), one thread. Prints the thread's CPU time per
     * hit, which the other load on a shared machine disturbs far less than wall-clock rates. The first
     * third of the hits warm the JIT up and are not counted.
     */
    static void pipelinePhase(Path dir, GeneratedHits generated, int hits) throws IOException {
        if (hits <= 0) {
            return;
        }
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        byte[][] raw = new byte[1][];
        int warm = hits / 3;
        try (EvidenceStore store = EvidenceStore.open(dir, Clock.systemUTC())) {
            long cpu0 = 0;
            long wall0 = 0;
            for (int i = 0; i < hits; i++) {
                if (i == warm) {
                    cpu0 = cpu.getCurrentThreadCpuTime();
                    wall0 = System.nanoTime();
                }
                SplittableRandom r = new SplittableRandom(i * 31L + 7);
                StoredHit h = generated.hit(i, hits, r, raw);
                store.recordDeferringSync(h.hit(), raw[0]);
                if (i % 250 == 249) {
                    store.sync();
                }
            }
            store.sync();
            int counted = hits - warm;
            System.out.printf("%npipeline path (recordDeferringSync, sync() every 250 hits, one thread): %,d hits after %,d warm-up: "
                    + "%.0f us CPU per hit (this thread; index merges and H2's writer run on others), %,.0f hits/s wall clock%n",
                    counted, warm, (cpu.getCurrentThreadCpuTime() - cpu0) / 1e3 / counted, counted / ((System.nanoTime() - wall0) / 1e9));
        }
    }

    static long treeSize(Path p) throws IOException {
        try (Stream<Path> files = Files.walk(p)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

}
