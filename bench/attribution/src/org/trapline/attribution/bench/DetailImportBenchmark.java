package org.trapline.attribution.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

import org.trapline.attribution.detail.DetailImportSettings;
import org.trapline.attribution.detail.DetailImporter;
import org.trapline.attribution.detail.DetailProblem;
import org.trapline.attribution.detail.DetailReader;
import org.trapline.attribution.session.AccountingEvent;
import org.trapline.attribution.session.SessionStore;

import com.sun.management.OperatingSystemMXBean;

/**
 * FreeRADIUS detail import rate: a generated detail file (Start, Interim-Update, Stop per session, in
 * the format of Debian's FreeRADIUS 3.2.1) read into a fresh H2 session store, end to end (open to
 * last commit); the parse-only rate is printed too, to show what the store costs.
 */
public final class DetailImportBenchmark {
    private static final DateTimeFormatter HEADER = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter EVENT = DateTimeFormatter.ofPattern("MMM d yyyy HH:mm:ss", Locale.ENGLISH);

    public static void main(String[] args) throws Exception {
        long records = 1_500_000;
        int interims = 1;
        boolean byBatch = false;
        boolean dualStack = false;
        int repeat = 1;
        Path keep = null;
        Properties conf = new Properties();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--records" -> records = Long.parseLong(args[++i]);
                case "--interims" -> interims = Integer.parseInt(args[++i]);
                case "--by-batch" -> byBatch = true;
                case "--dual-stack" -> dualStack = true;
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--file" -> keep = Path.of(args[++i]);
                case "--set" -> {
                    String[] kv = args[++i].split("=", 2);
                    conf.setProperty(kv[0], kv[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --records N, --interims K (Interim-Updates per session, default 1), --by-batch to also time the record-by-record path, --dual-stack to give every session an IPv6 /64 and a delegated /56, --repeat N to import N times in the same process (from the second on, compiled code is warm), --set KEY=VALUE for a setting, --file PATH to keep the generated file there (reused if present))");
            }
        }
        Path tmp = Files.createTempDirectory("trapline-detail");
        try {
            Path file = keep != null ? keep : tmp.resolve("detail-20251123");
            // A kept file is reused only if a note beside it says these options generated it.
            Path shape = file.resolveSibling(file.getFileName() + ".shape");
            String wanted = "records=" + records + " interims=" + interims + (dualStack ? " dual-stack" : "");
            if (keep == null || !Files.isRegularFile(keep) || !Files.isRegularFile(shape) || !Files.readString(shape).equals(wanted)) {
                Files.deleteIfExists(shape);
                generate(file, records, interims, dualStack);
                if (keep != null) {
                    Files.writeString(shape, wanted);
                }
            }
            System.out.printf(Locale.ROOT, "detail file: %,d records (%d per session%s), %,d bytes%n", records, interims + 2,
                    dualStack ? ", dual-stack" : "", Files.size(file));

            // Default settings: a file this big goes through the bulk load. The first import runs in a JVM that has
            // not read a detail file yet, as bin/trapline import-detail does; parsing alone is timed after it.
            for (int i = 1; i <= repeat; i++) {
                importInto(tmp.resolve("bulk" + i), file, DetailImportSettings.from(conf), i == 1 ? "import (bulk load)" : "again (warm JIT)");
            }
            long t0 = System.nanoTime();
            long[] parsed = {0};
            try (InputStream in = Files.newInputStream(file)) {
                new DetailReader(file.toString(), ZoneId.of("UTC")).read(in, DetailReader.Position.START, true, new DetailReader.Sink() {
                    @Override
                    public void record(AccountingEvent event) {
                        parsed[0]++;
                    }

                    @Override
                    public void problem(DetailProblem problem) {
                        throw new IllegalStateException(problem.toString());
                    }
                });
            }
            double parseSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "parse only (warm):    %,10.0f records/s%n", parsed[0] / parseSeconds);

            if (byBatch) {
                Properties p = new Properties(conf);
                p.setProperty(DetailImportSettings.BULK_MIN_BYTES, Long.toString(Long.MAX_VALUE));
                importInto(tmp.resolve("batch"), file, DetailImportSettings.from(p), "import (by batch)");
            }
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Imports into a fresh store; the time runs from opening the file to the last commit. */
    private static void importInto(Path data, Path file, DetailImportSettings settings, String label) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (SessionStore store = SessionStore.open(data)) {
            java.util.Map<String, Long> threads0 = threadCpu();
            long cpu0 = os.getProcessCpuTime();
            long writer0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            DetailImporter.Result r = new DetailImporter(store, ZoneId.of("UTC"), settings).importFile(file, p -> {
                throw new IllegalStateException(p.toString());
            }, DetailImporter.Progress.NONE);
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            // The importing thread writes to the store (the reader parses on its own): its CPU time is
            // the floor of the import's wall time however many cores there are.
            double writer = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - writer0) / 1e9;
            System.out.printf(Locale.ROOT, "%-21s %,10.0f records/s (%,d records, %,d sessions, %.1f s, process CPU %.1f s,"
                    + " writer thread CPU %.1f s)%n", label + ":", r.recordsPerSecond(), r.records(), store.count(),
                    r.took().toNanos() / 1e9, cpu, writer);
            java.util.Map<String, Long> threads1 = threadCpu();
            StringBuilder by = new StringBuilder("  CPU by thread group:");
            long[] listed = {0};
            threads1.forEach((group, ticks) -> {
                long d = ticks - threads0.getOrDefault(group, 0L);
                listed[0] += Math.max(0, d);
                if (d > 0) {
                    by.append(String.format(Locale.ROOT, " %s %.1f s,", group, d / 100.0));
                }
            });
            // The reader thread has ended by now, so /proc no longer lists it: the rest of the process's time is mostly its.
            by.append(String.format(Locale.ROOT, " ended threads (the reader) %.1f s,", Math.max(0, cpu - listed[0] / 100.0)));
            System.out.println(by.substring(0, by.length() - 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * CPU ticks (1/100 s) of this process's threads by kind, from /proc (Linux only; empty elsewhere):
     * shows what the garbage collector, the JIT compilers and H2's own threads take besides the importer's.
     */
    private static java.util.Map<String, Long> threadCpu() {
        java.util.Map<String, Long> groups = new java.util.TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close);
                    String[] f = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    String group = name.startsWith("GC ") || name.startsWith("G1 ") ? "GC"
                            : name.startsWith("C1 ") || name.startsWith("C2 ") ? "JIT"
                            : name.startsWith("H2") || name.startsWith("MVStore") ? "H2" : name;
                    groups.merge(group, ticks, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // a thread that ended meanwhile
                }
            });
        } catch (IOException e) {
            return groups;
        }
        return groups;
    }

    /**
     * Sessions interleaved as a busy NAS would: 1000 sessions open at a time, each a Start, {@code interims}
     * Interim-Updates 10 minutes apart, and a Stop. One interim is the worst case for an importer that
     * writes each session once; a NAS with 10-minute interims and sessions of hours writes dozens. Dual-stack
     * sessions also get a Framed-IPv6-Prefix (/64, the link) and a Delegated-IPv6-Prefix (/56), as PPPoE
     * subscribers of a dual-stack BRAS do.
     */
    static void generate(Path file, long records, int interims, boolean dualStack) throws IOException {
        Instant t0 = Instant.parse("2025-11-23T00:00:00Z");
        int steps = interims + 2;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            long sessions = records / steps;
            for (long n = 0; n < sessions * steps; n++) {
                // Record n: step n%steps of session in block of 1000 sessions.
                long block = n / (1000L * steps), within = n % (1000L * steps), step = within / 1000, session = block * 1000 + within % 1000;
                Instant at = t0.plusSeconds(session + step * 600);
                String status = step == 0 ? "Start" : step == steps - 1 ? "Stop" : "Interim-Update";
                int ip = (int) (session % (1 << 22));
                w.write(HEADER.format(at.atZone(ZoneOffset.UTC)));
                w.write("\n\tAcct-Status-Type = " + status);
                w.write("\n\tUser-Name = \"user" + session + "@isp.example\"");
                w.write("\n\tAcct-Session-Id = \"s" + session + "\"");
                w.write("\n\tFramed-IP-Address = 100." + (64 + (ip >> 16)) + "." + ((ip >> 8) & 255) + "." + (ip & 255));
                if (dualStack) {
                    w.write("\n\tFramed-IPv6-Prefix = 2001:db8:" + Integer.toHexString(0x1000 + (ip >> 16)) + ":" + Integer.toHexString(ip & 0xffff) + "::/64");
                    w.write("\n\tDelegated-IPv6-Prefix = 2001:db8:" + Integer.toHexString(0x8000 + (ip >> 8)) + ":" + Integer.toHexString((ip & 255) << 8) + "::/56");
                }
                w.write("\n\tNAS-IP-Address = 192.0.2.1");
                w.write("\n\tCalling-Station-Id = \"00-11-22-33-44-55\"");
                w.write("\n\tEvent-Timestamp = \"" + EVENT.format(at.atZone(ZoneOffset.UTC)) + " UTC\"");
                w.write("\n\tAcct-Delay-Time = 0");
                if (step > 0) {
                    w.write("\n\tAcct-Session-Time = " + step * 600);
                }
                if (step == steps - 1) {
                    w.write("\n\tAcct-Terminate-Cause = User-Request");
                }
                w.write("\n\tCisco-AVPair = \"subscriber:sa=internet\"");
                w.write("\n\tAcct-Unique-Session-Id = \"" + Long.toHexString(session * 2654435761L) + "\"");
                w.write("\n\tTimestamp = " + at.getEpochSecond());
                w.write("\n\n");
            }
        }
    }

    private DetailImportBenchmark() {
    }
}
