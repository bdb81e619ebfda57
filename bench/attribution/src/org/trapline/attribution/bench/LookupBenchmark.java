package org.trapline.attribution.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.trapline.attribution.lookup.Attribution;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.AttributionStatus;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.attribution.session.SessionStore;
import org.trapline.common.net.IpAddress;

/**
 * Lookup latency: {@code (ip, instant) -> Attribution} on an H2 session store holding N sessions
 * (default 10 million): 262,144 addresses in 100.64.0.0/10, each handed out hour after hour for 50
 * minutes, so an instant falls inside a session or in a gap between two. Sessions are written with one
 * SQL statement per chunk (the store's own path would take far longer for 10 million). Latency is
 * measured per lookup, single thread, after a warm-up.
 */
public final class LookupBenchmark {
    static final int POOL = 1 << 18;
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        long sessions = 10_000_000;
        int lookups = 200_000;
        Path keep = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sessions" -> sessions = Long.parseLong(args[++i]);
                case "--lookups" -> lookups = Integer.parseInt(args[++i]);
                case "--data" -> keep = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path data = keep != null ? keep : Files.createTempDirectory("trapline-lookup");
        try {
            long existing;
            try (SessionStore store = SessionStore.open(data)) {
                existing = store.count();
            }
            if (existing != sessions) {
                if (existing != 0) {
                    throw new IllegalStateException(data + " holds " + existing + " sessions, not " + sessions + ": use an empty --data dir");
                }
                generate(data, sessions);
            }
            try (SessionStore store = SessionStore.open(data)) {
                measure(store, sessions, lookups);
            }
        } finally {
            if (keep == null) {
                try (Stream<Path> walk = Files.walk(data)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    static void generate(Path data, long sessions) throws Exception {
        long t0 = System.nanoTime();
        String url = "jdbc:h2:file:" + data.toAbsolutePath().resolve("sessions/radacct");
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            long chunk = 250_000;
            for (long from = 0; from < sessions; from += chunk) {
                long to = Math.min(sessions, from + chunk) - 1;
                st.executeUpdate("INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, framedipaddress,"
                        + " acctstarttime, acctupdatetime, acctstoptime, acctterminatecause, trapline_start_seen, trapline_stop_seen)"
                        + " SELECT 'b' || X, '192.0.2.1 b' || X, 'user' || MOD(X * 7919, 3000000) || '@isp.example', '192.0.2.1',"
                        + " '100.' || (64 + BITAND(MOD(X, " + POOL + ") / 65536, 63)) || '.' || BITAND(MOD(X, " + POOL + ") / 256, 255)"
                        + " || '.' || BITAND(MOD(X, " + POOL + "), 255),"
                        + " DATEADD(SECOND, (X / " + POOL + ") * 3600 + MOD(X, 300), TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00'),"
                        + " DATEADD(SECOND, (X / " + POOL + ") * 3600 + MOD(X, 300) + 3000, TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00'),"
                        + " DATEADD(SECOND, (X / " + POOL + ") * 3600 + MOD(X, 300) + 3000, TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00'),"
                        + " 'User-Request', TRUE, TRUE FROM SYSTEM_RANGE(" + from + ", " + to + ")");
                if ((from / chunk) % 8 == 7) {
                    System.out.printf(Locale.ROOT, "  generated %,d sessions (%.0f s)%n", to + 1, (System.nanoTime() - t0) / 1e9);
                }
            }
            st.execute("ANALYZE");
        }
        System.out.printf(Locale.ROOT, "generated %,d sessions in %.0f s%n", sessions, (System.nanoTime() - t0) / 1e9);
    }

    static void measure(SessionStore store, long sessions, int lookups) throws Exception {
        AttributionLookup lookup = AttributionLookup.create(store, LookupSettings.defaults());
        long hours = Math.max(1, sessions / POOL);
        SplittableRandom random = new SplittableRandom(42);
        IpAddress[] addresses = new IpAddress[4096];
        for (int i = 0; i < addresses.length; i++) {
            int k = random.nextInt(POOL);
            addresses[i] = IpAddress.of(new byte[] {100, (byte) (64 + (k >> 16)), (byte) (k >> 8), (byte) k});
        }
        int warmup = Math.min(50_000, lookups);
        for (int i = 0; i < warmup; i++) {
            lookup.lookup(addresses[random.nextInt(addresses.length)], T0.plusSeconds(random.nextLong(hours * 3600)));
        }
        long[] nanos = new long[lookups];
        Map<AttributionStatus, Integer> statuses = new EnumMap<>(AttributionStatus.class);
        for (int i = 0; i < lookups; i++) {
            IpAddress a = addresses[random.nextInt(addresses.length)];
            // Also addresses never seen: random ones from the pool.
            if ((i & 7) == 0) {
                int k = random.nextInt(POOL);
                a = IpAddress.of(new byte[] {100, (byte) (64 + (k >> 16)), (byte) (k >> 8), (byte) k});
            }
            Instant at = T0.plusSeconds(random.nextLong(hours * 3600));
            long t = System.nanoTime();
            Attribution r = lookup.lookup(a, at);
            nanos[i] = System.nanoTime() - t;
            statuses.merge(r.status(), 1, Integer::sum);
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "lookup over %,d sessions (%,d lookups): p50 %.0f us, p90 %.0f us, p99 %.0f us, p99.9 %.0f us, max %.0f us%n",
                store.count(), lookups, nanos[lookups / 2] / 1e3, nanos[lookups * 9 / 10] / 1e3, nanos[lookups * 99 / 100] / 1e3,
                nanos[lookups * 999 / 1000] / 1e3, nanos[lookups - 1] / 1e3);
        System.out.println("  results: " + statuses);
    }

    private LookupBenchmark() {
    }
}
