package org.trapline.attribution.detail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.accounting.ExternalTools;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.AttributionStatus;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.attribution.session.Session;
import org.trapline.attribution.session.SessionStore;
import org.trapline.common.net.IpAddress;

/**
 * FreeRADIUS 3.2 (Debian) receives accounting from radclient and writes detail files with its
 * {@code detail} module, in the Europe/Berlin zone; the importer and the watcher read them back.
 */
class FreeRadiusDetailTest {
    @TempDir
    Path tmp;
    Process freeradius;
    Path radclient;
    int port;
    SessionStore store;

    /** A minimal FreeRADIUS configuration: accounting only, detail module, everything under {@code dir}. */
    static Path writeConfig(Path dir, int port) throws IOException {
        Path raddb = Files.createDirectories(dir.resolve("raddb"));
        for (String d : List.of("log", "run", "radacct")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.writeString(raddb.resolve("radiusd.conf"), """
                prefix = /usr
                localstatedir = /var
                sbindir = /usr/sbin
                logdir = %1$s/log
                raddbdir = %1$s/raddb
                radacctdir = %1$s/radacct
                name = freeradius
                confdir = ${raddbdir}
                modconfdir = ${confdir}/mods-config
                run_dir = %1$s/run
                db_dir = ${raddbdir}
                libdir = /usr/lib/freeradius
                pidfile = ${run_dir}/${name}.pid
                max_request_time = 30
                cleanup_delay = 5
                max_requests = 65536
                hostname_lookups = no
                log {
                	destination = stdout
                }
                security {
                	allow_core_dumps = no
                }
                modules {
                	detail {
                		filename = ${radacctdir}/%%{%%{Packet-Src-IP-Address}:-%%{Packet-Src-IPv6-Address}}/detail-%%Y%%m%%d
                		escape_filenames = no
                		permissions = 0600
                		header = "%%t"
                	}
                }
                client localhost {
                	ipaddr = 127.0.0.1
                	secret = testing123
                }
                server default {
                	listen {
                		type = acct
                		ipaddr = 127.0.0.1
                		port = %2$d
                	}
                	preacct {
                	}
                	accounting {
                		detail
                	}
                }
                """.formatted(dir.toAbsolutePath(), port));
        return raddb;
    }

    /** Starts FreeRADIUS in the foreground ({@code -f}, logging to a file) and waits until it listens. */
    static Process startFreeRadius(Path dir, Path raddb, boolean debug) throws Exception {
        Path out = dir.resolve("freeradius.out");
        ProcessBuilder pb = new ProcessBuilder(ExternalTools.require("freeradius", "freeradius").toString(),
                debug ? "-X" : "-f", "-d", raddb.toString()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("TZ", "Europe/Berlin");
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(out) ? Files.readString(out) : "";
            if (text.contains("Ready to process requests") || (!debug && text.isEmpty() && p.isAlive() && listening(raddb))) {
                return p;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("freeradius exited: " + text);
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException("freeradius did not start: " + Files.readString(out));
    }

    private static boolean listening(Path raddb) {
        return Files.exists(raddb.getParent().resolve("run/freeradius.pid"));
    }

    static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void start() throws Exception {
        radclient = ExternalTools.require("radclient", "freeradius-utils");
        port = freePort();
        freeradius = startFreeRadius(tmp, writeConfig(tmp, port), true);
        store = SessionStore.open(tmp.resolve("data"));
    }

    @AfterEach
    void stop() throws Exception {
        if (freeradius != null) {
            freeradius.destroy();
            freeradius.waitFor(10, TimeUnit.SECONDS);
        }
        if (store != null) {
            store.close();
        }
    }

    void send(String attributes) throws Exception {
        Process p = new ProcessBuilder(radclient.toString(), "-r", "2", "-t", "2", "127.0.0.1:" + port, "acct", "testing123")
                .redirectErrorStream(true).start();
        p.getOutputStream().write(attributes.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void detailFilesWrittenByFreeRadiusImportIntoSessions() throws Exception {
        DetailImporter importer = new DetailImporter(store, ZoneId.of("Europe/Berlin"));
        DetailWatcher watcher = new DetailWatcher(new DetailWatchSettings(tmp.resolve("radacct"), Duration.ofSeconds(1)), importer, store);

        send("""
                Acct-Status-Type = Start, User-Name = "eve \\"the\\" Müller", Acct-Session-Id = "fr-1",
                Framed-IP-Address = 100.64.7.7, Delegated-IPv6-Prefix = 2001:db8:ff00:7700::/56,
                NAS-IP-Address = 127.0.0.1, Event-Timestamp = 1763900000, Class = 0x00ff41, Cisco-AVPair = "subscriber:sa=internet"
                """);
        watcher.poll();
        assertThat(watcher.records()).isEqualTo(1);
        assertThat(store.find("127.0.0.1", "fr-1").orElseThrow().isOpen()).isTrue();

        send("""
                Acct-Status-Type = Interim-Update, User-Name = "eve \\"the\\" Müller", Acct-Session-Id = "fr-1",
                Framed-IP-Address = 100.64.7.7, NAS-IP-Address = 127.0.0.1, Acct-Session-Time = 300, Acct-Delay-Time = 3,
                Event-Timestamp = 1763900300, Acct-Input-Octets = 5, Acct-Input-Gigawords = 1
                """);
        send("""
                Acct-Status-Type = Stop, User-Name = "eve \\"the\\" Müller", Acct-Session-Id = "fr-1",
                Framed-IP-Address = 100.64.7.7, NAS-IP-Address = 127.0.0.1, Acct-Session-Time = 600,
                Acct-Terminate-Cause = Idle-Timeout, Event-Timestamp = 1763900600
                """);
        send("""
                Acct-Status-Type = Start, User-Name = "frank", Acct-Session-Id = "fr-2", Framed-IP-Address = 100.64.7.8,
                NAS-IP-Address = 127.0.0.1, Acct-Delay-Time = 0
                """);
        send("Acct-Status-Type = Accounting-On, NAS-IP-Address = 127.0.0.1, Event-Timestamp = 1900000000\n");

        List<Path> files;
        try (Stream<Path> walk = Files.walk(tmp.resolve("radacct"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).hasSize(1);
        assertThat(Files.readString(files.get(0))).contains("CET\"").contains("Timestamp = ");

        // The file imported by hand into a fresh store...
        List<DetailProblem> problems = new ArrayList<>();
        try (SessionStore fresh = SessionStore.open(tmp.resolve("fresh"))) {
            DetailImporter.Result r = new DetailImporter(fresh, ZoneId.of("Europe/Berlin"))
                    .importFile(files.get(0), problems::add, DetailImporter.Progress.NONE);
            assertThat(problems).isEmpty();
            assertThat(r.records()).isEqualTo(5);
            checkSessions(fresh);
        }
        // ... and followed by the watcher give the same sessions.
        watcher.poll();
        assertThat(watcher.records()).isEqualTo(5);
        assertThat(watcher.problems()).isZero();
        checkSessions(store);
    }

    private void checkSessions(SessionStore s) throws Exception {
        Session eve = s.find("127.0.0.1", "fr-1").orElseThrow();
        assertThat(eve.userName()).isEqualTo("eve \"the\" Müller");
        assertThat(eve.start()).isEqualTo(Instant.ofEpochSecond(1763900000));
        assertThat(eve.stop()).isEqualTo(Instant.ofEpochSecond(1763900600));
        assertThat(eve.terminateCause()).isEqualTo("Idle-Timeout");
        assertThat(eve.acctClass()).isEqualTo("0x00ff41");
        assertThat(eve.delegatedIpv6Prefix()).isEqualTo("2001:db8:ff00:7700::/56");
        Session frank = s.find("127.0.0.1", "fr-2").orElseThrow();
        assertThat(frank.stop()).isEqualTo(Instant.ofEpochSecond(1900000000));
        assertThat(frank.terminateCause()).isEqualTo("NAS-Reboot");

        AttributionLookup lookup = AttributionLookup.create(s, LookupSettings.defaults());
        assertThat(lookup.lookup(IpAddress.parse("2001:db8:ff00:77ff::1"), Instant.ofEpochSecond(1763900400)).subscriber())
                .isEqualTo("eve \"the\" Müller");
        assertThat(lookup.lookup(IpAddress.parse("100.64.7.7"), Instant.ofEpochSecond(1763901000)).status())
                .isEqualTo(AttributionStatus.NO_SESSION);
    }
}
