package org.trapline.enforcement.cli;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.session.SessionTarget;
import org.trapline.common.CliRun;
import org.trapline.enforcement.Enforcement;
import org.trapline.enforcement.Enforcer;
import org.trapline.enforcement.PolicyDatabase;
import org.trapline.enforcement.PolicySettings;
import org.trapline.enforcement.StrikeHit;
import org.trapline.enforcement.coa.CoaResult;

/**
 * Tests of the staff commands of this and other modules (the desk's) on a policy database seeded
 * through the enforcer: four hits each of alice and bob (a fence each, pending review) and of the
 * fixed-address customer shop-42 (blocked in the ACL export), all at {@link #T0}. The commands run ten
 * minutes later ({@link #clock}), with {@link #props} (fences for review, CoA to a NAS that never
 * answers), each run on enforcement opened for it as the process owning the data directory would.
 */
public abstract class SeededPolicy {
    public static final Instant T0 = Instant.parse("2026-03-03T03:00:00Z");
    public static final SessionTarget ALICE = SessionTarget.of("127.0.0.1", "alice-s1", "alice", "10.0.9.77");
    public static final SessionTarget BOB = SessionTarget.of("127.0.0.1", "bob-s1", "bob", "10.0.9.78");

    @TempDir
    protected Path data;
    protected DatagramSocket silentNas;
    protected final Properties props = new Properties();
    protected final Clock clock = Clock.fixed(T0.plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
    private Enforcement enforcement;

    @BeforeEach
    void seedPolicy() throws Exception {
        silentNas = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        props.setProperty("action.fence.mode", "review");
        props.setProperty("coa.secret", "cli-test");
        props.setProperty("coa.nas.127.0.0.1.port", Integer.toString(silentNas.getLocalPort()));
        props.setProperty("coa.timeout", "100");
        props.setProperty("coa.retries", "1");
        try (PolicyDatabase db = PolicyDatabase.open(data)) {
            Enforcer e = new Enforcer(PolicySettings.from(props), db.jdbi(),
                    c -> new CoaResult(CoaResult.Outcome.ACK, null, 1, "x", "", "", "", T0, T0),
                    n -> "", s -> Optional.empty(), Clock.fixed(T0, ZoneOffset.UTC));
            for (int i = 0; i < 4; i++) {
                Instant at = T0.plusSeconds(i);
                e.onHit(StrikeHit.matched("a" + i, at, "10.0.9.77", "alice", ALICE));
                e.onHit(StrikeHit.matched("b" + i, at, "10.0.9.78", "bob", BOB));
                e.onHit(StrikeHit.fixedAddress("c" + i, at, "192.0.2.25", "shop-42"));
            }
        }
    }

    @AfterEach
    void closeNas() {
        silentNas.close();
    }

    /** Enforcement as the process owning the data directory hands it to a command: opened per run, with the settings then. */
    protected Enforcement enforcement() {
        if (enforcement == null) {
            enforcement = Enforcement.open(props, data, s -> Optional.empty(), clock);
        }
        return enforcement;
    }

    protected CliRun run(Callable<Integer> command, String... args) {
        try {
            return CliRun.of(command, args);
        } finally {
            runEnded();
        }
    }

    /** A command run is over: what it opened is closed, as its process would. Tests that open more close that too. */
    protected void runEnded() {
        if (enforcement != null) {
            enforcement.close();
            enforcement = null;
        }
    }
}
