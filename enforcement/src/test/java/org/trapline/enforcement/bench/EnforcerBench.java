package org.trapline.enforcement.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.trapline.enforcement.coa.CoaResult;
import org.trapline.attribution.session.SessionTarget;
import org.trapline.enforcement.Enforcer;
import org.trapline.enforcement.HitAttribution;
import org.trapline.enforcement.PolicyDatabase;
import org.trapline.enforcement.PolicySettings;
import org.trapline.enforcement.StrikeHit;

/**
 * Trap hits per second through the enforcer on an H2 file database, with an instant-ACK NAS so that
 * only policy and journal cost is measured. Not run by the test suite: bench/enforce/run.sh.
 */
public final class EnforcerBench {

    public static void main(String[] args) throws Exception {
        int hits = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path dir = Files.createTempDirectory("enforcer-bench");
        AtomicLong now = new AtomicLong(Instant.parse("2026-03-03T00:00:00Z").toEpochMilli());
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId z) { return this; }
            @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
        };
        try (PolicyDatabase db = PolicyDatabase.open(dir)) {
            Properties settings = new Properties();
            // Measures the policy and journal, not the brake that would hold most of these actions.
            settings.setProperty("action.brake.per-nas-per-hour", "0");
            settings.setProperty("action.brake.total-per-hour", "0");
            Enforcer e = new Enforcer(PolicySettings.from(settings), db.jdbi(),
                    c -> new CoaResult(CoaResult.Outcome.ACK, null, 1, "bench", "req", "ack", "", clock.instant(), clock.instant()),
                    n -> "", s -> Optional.empty(), clock);
            run("attributed", hits, () -> 0, i -> {
                now.addAndGet(Duration.ofSeconds(1).toMillis());
                String sub = "sub-" + (i % subscribers);
                SessionTarget s = SessionTarget.of("10.255.0.1", sub + "-s", sub, "10.0." + (i % subscribers / 250) + "." + (i % 250));
                e.onHit(StrikeHit.matched("bench-" + i, clock.instant(), s.framedIp(), sub, s));
            });
            run("unattributed", hits, () -> 0, i -> e.onHit(StrikeHit.unattributed("u-" + i, clock.instant(), "10.9.9.9",
                    HitAttribution.AMBIGUOUS)));
            now.addAndGet(Duration.ofDays(1).toMillis());
            long t0 = System.nanoTime();
            int restored = e.expireDue().size();
            System.out.printf("expiry: %d restoring CoAs journaled in %.0f ms%n", restored, (System.nanoTime() - t0) / 1e6);
            System.out.printf("journal: %d actions%n", e.journal().list(false).size());
        }
    }

    interface Step { void run(int i) throws Exception; }

    private static void run(String name, int n, java.util.function.IntSupplier unused, Step step) throws Exception {
        for (int i = 0; i < Math.min(2000, n); i++) step.run(-i - 1); // warm-up with distinct ids
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) step.run(i);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %d hits in %.2f s = %.0f hits/s%n", name, n, s, n / s);
    }
}
