package org.trapline.attribution.bench;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.trapline.attribution.accounting.AccountingServer;
import org.trapline.attribution.accounting.AccountingServerSettings;
import org.trapline.attribution.journal.AccountingJournal;
import org.trapline.attribution.journal.JournalSettings;
import org.trapline.attribution.session.SessionStore;

/**
 * Durable accounting ingest: answered Accounting-Requests per second from {@link LoadGenerator} on
 * loopback, against Trapline's server (answers after the journal commit) and FreeRADIUS 3.2 with its
 * detail module (answers after writing the file). For Trapline also the end-to-end rate: from the
 * first request until the applier had every record in the H2 session store.
 */
public final class IngestBenchmark {
    public static void main(String[] args) throws Exception {
        long packets = 300_000;
        double seconds = 30;
        boolean freeradius = true, fsync = false;
        int applyShare = JournalSettings.defaults().applySharePercent();
        int receiveThreads = 2;
        boolean applyOnly = false;
        int applyBatch = JournalSettings.defaults().applyBatch();
        int sockets = 4, window = 128;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--packets" -> packets = Long.parseLong(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--sockets" -> sockets = Integer.parseInt(args[++i]);
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--no-freeradius" -> freeradius = false;
                case "--fsync" -> fsync = true;
                case "--apply-share" -> applyShare = Integer.parseInt(args[++i]);
                case "--receive-threads" -> receiveThreads = Integer.parseInt(args[++i]);
                case "--apply-only" -> applyOnly = true;
                case "--apply-batch" -> applyBatch = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path tmp = Files.createTempDirectory("trapline-ingest");
        if (applyOnly) {
            try {
                applyOnly(tmp.resolve("warm"), 60_000, applyBatch);
                System.out.println("load average before: " + loadAverage());
                applyOnly(tmp.resolve("apply"), packets, applyBatch);
                System.out.println("load average after: " + loadAverage());
            } finally {
                delete(tmp);
            }
            return;
        }
        try {
            System.out.println("load average before: " + loadAverage());
            double[] trapline = trapline(tmp.resolve("trapline"), packets, seconds, sockets, window, fsync, applyShare,
                    receiveThreads);
            if (freeradius) {
                double fr = freeradius(tmp.resolve("freeradius"), packets, seconds, sockets, window);
                System.out.printf(Locale.ROOT, "ratio trapline/freeradius (answered): %.2f%n", trapline[0] / fr);
                System.out.printf(Locale.ROOT, "ratio trapline/freeradius (end to end, rows in H2): %.2f%n", trapline[1] / fr);
            }
            System.out.println("load average after: " + loadAverage());
        } finally {
            delete(tmp);
        }
    }

    private static void delete(Path tmp) throws java.io.IOException {
        try (Stream<Path> walk = Files.walk(tmp)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * The applier alone, in one thread, nothing else running: N records (Start, Interim-Update, Stop per
     * session, as the load generator sends them) committed to a journal without its applier, then applied.
     */
    static void applyOnly(Path data, long records, int applyBatch) throws Exception {
        Properties p = new Properties();
        p.setProperty(JournalSettings.APPLY_BATCH, Integer.toString(applyBatch));
        JournalSettings settings = JournalSettings.from(p);
        try (SessionStore store = SessionStore.open(data)) {
            try (AccountingJournal journal = AccountingJournal.openWithoutApplier(data, settings, store)) {
                java.util.List<org.trapline.attribution.session.AccountingEvent> batch = new java.util.ArrayList<>();
                for (long n = 0; n < records; n++) {
                    batch.add(LoadGenerator.event(n, "a-"));
                    if (batch.size() == 1024) {
                        journal.commit(batch);
                        batch.clear();
                    }
                }
                journal.commit(batch);
            }
            long t0 = System.nanoTime();
            AccountingJournal.bringUpToDate(data, settings, store);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "applier alone (batches of %,d): %,d records into %,d sessions in %.2f s = %,.0f records/s%n",
                    applyBatch, records, store.count(), s, records / s);
        }
    }

    /** Answered packets/s and end-to-end packets/s (until every record was applied to H2). */
    static double[] trapline(Path data, long packets, double seconds, int sockets, int window, boolean fsync,
                             int applyShare, int receiveThreads) throws Exception {
        Properties p = new Properties();
        p.setProperty(AccountingServerSettings.BIND, "127.0.0.1:0");
        p.setProperty("attribution.radius.client.127.0.0.1.secret", "bench-secret");
        p.setProperty(JournalSettings.FSYNC, Boolean.toString(fsync));
        p.setProperty(JournalSettings.APPLY_SHARE, Integer.toString(applyShare));
        p.setProperty(AccountingServerSettings.RECEIVE_THREADS, Integer.toString(receiveThreads));
        try (SessionStore store = SessionStore.open(data);
             AccountingJournal journal = AccountingJournal.open(data, JournalSettings.from(p), store);
             AccountingServer server = new AccountingServer(AccountingServerSettings.from(p), journal)) {
            server.start();
            LoadGenerator gen = new LoadGenerator(server.localAddress(), "bench-secret", sockets, window);
            gen.run(30_000, 20, "warm-");
            journal.awaitApplied(journal.position(), java.time.Duration.ofMinutes(10));
            long applied0 = journal.appliedRecords();
            long t0 = System.nanoTime();
            LoadGenerator.Result r = gen.run(packets, seconds, "s-");
            long answeredAt = System.nanoTime();
            long behind = journal.committedRecords() - journal.appliedRecords();
            journal.awaitApplied(journal.position(), java.time.Duration.ofMinutes(10));
            double caughtUp = (System.nanoTime() - t0) / 1e9;
            long appliedInRun = journal.appliedRecords() - applied0;
            report("trapline (journal" + (fsync ? " + fdatasync" : "") + ", apply share " + applyShare + " %, " + receiveThreads + " receivers)", r);
            System.out.printf(Locale.ROOT, "  applier: %,d records behind at the last answer, caught up %.2f s later;"
                    + " %,d records in H2 %.2f s after the first request = %,.0f packets/s end to end%n",
                    behind, caughtUp - (answeredAt - t0) / 1e9, appliedInRun, caughtUp, appliedInRun / caughtUp);
            System.out.printf(Locale.ROOT, "  sessions stored: %d, server counters: %s%n", store.count(), server.counters());
            return new double[] {r.rate(), appliedInRun / caughtUp};
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static double freeradius(Path dir, long packets, double seconds, int sockets, int window) throws Exception {
        Path bin = Stream.of("/usr/sbin/freeradius", "/usr/bin/freeradius").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElse(null);
        if (bin == null) {
            System.out.println("freeradius: not installed (Debian package freeradius), comparison skipped");
            return Double.NaN;
        }
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path raddb = FreeRadiusConfig.write(dir, port);
        Process fr = new ProcessBuilder(bin.toString(), "-f", "-d", raddb.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("freeradius.out").toFile()).start();
        try {
            LoadGenerator gen = new LoadGenerator(new InetSocketAddress("127.0.0.1", port), "bench-secret", sockets, window);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (gen.run(1, 0.5, "probe-").answered() == 0) {
                if (!fr.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("freeradius did not start: " + Files.readString(dir.resolve("freeradius.out")));
                }
            }
            gen.run(30_000, 20, "warm-");
            LoadGenerator.Result r = gen.run(packets, seconds, "s-");
            report("freeradius 3.2 (detail module)", r);
            return r.rate();
        } finally {
            fr.destroy();
            fr.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void report(String name, LoadGenerator.Result r) {
        System.out.printf(Locale.ROOT, "%-36s %,10d answered in %6.2f s = %,9.0f packets/s (%d unanswered)%n", name, r.answered(),
                r.seconds(), r.rate(), r.lost());
    }

    private IngestBenchmark() {
    }

}
