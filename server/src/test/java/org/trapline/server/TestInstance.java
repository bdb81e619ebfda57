package org.trapline.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/** A throwaway Trapline installation: a copy of the repository's conf/ and an empty data dir. */
final class TestInstance {
    final Path conf;
    final Path data;

    TestInstance(Path tempDir) {
        this.conf = tempDir.resolve("conf");
        this.data = tempDir.resolve("data");
        copyDir(repo().resolve("conf"), conf);
        // Tests run beside each other and beside a desk on the shipped port: each instance's desk gets a port of its own.
        set("desk.bind", "127.0.0.1:0");
        // Tests read what a server logs from its output (ServerProcess's log), as a person at a terminal sees it.
        set("log.console", "on");
    }

    static Path repo() {
        return Path.of(System.getProperty("trapline.repo", "..")).toAbsolutePath().normalize();
    }

    static Path shared() {
        return repo().resolveSibling("shared");
    }

    Instance instance() {
        return new Instance(conf, data);
    }

    /**
     * Writes {@code value} to a secret file only this user can read and names it with {@code key-file}, as an
     * operator does for {@code key} (e.g. {@code coa.nas.127.0.0.1.secret}).
     */
    TestInstance secret(String key, String value) {
        Path file = conf.resolve(key.replace(':', '_') + ".secret");
        try {
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return set(key + "-file", file.getFileName().toString());
    }

    /**
     * A fresh self-signed certificate for {@code mx.trap.example.net} made by {@code openssl}, configured as
     * the STARTTLS certificate and key of this instance.
     */
    TestInstance withSelfSignedCertificate() {
        try {
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=mx.trap.example.net", "-keyout", conf.resolve("mx.key").toString(),
                    "-out", conf.resolve("mx.crt").toString())
                    .redirectErrorStream(true).start();
            String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!openssl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                throw new IllegalStateException("openssl req failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return set("smtp.tls.certificate", "mx.crt").set("smtp.tls.private-key", "mx.key");
    }

    /** The loopback RADIUS client's secret file (made at the first start), for {@code radclient -S}. */
    Path radiusSecretFile() {
        return conf.resolve("radius-loopback.secret");
    }

    /** This instance with its SMTP and RADIUS listeners on free loopback ports, not the shipped defaults. */
    TestInstance onFreePorts() {
        return set("smtp.bind", "127.0.0.1:" + freePort()).set("attribution.radius.bind", "127.0.0.1:" + freeUdpPort());
    }

    static int freeUdpPort() {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code bin/trapline --conf CONF --data DATA args...} of this instance in-process. */
    Cli cli(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--conf";
        all[1] = conf.toString();
        all[2] = "--data";
        all[3] = data.toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return Cli.run(all);
    }

    /**
     * A copy of this instance's conf directory, in {@code dir}, whose trap pipeline has the test mailet
     * {@code mailet} right after {@code anchor} (an exact line of mailetcontainer.xml), or first when
     * {@code anchor} is the trap processor's opening tag.
     */
    Path confWithMailet(Path dir, String anchor, Class<?> mailet) {
        copyDir(conf, dir);
        Path mailets = dir.resolve("mailetcontainer.xml");
        try {
            String xml = Files.readString(mailets);
            if (!xml.contains(anchor)) {
                throw new IllegalStateException("mailetcontainer.xml has no " + anchor);
            }
            Files.writeString(mailets, xml.replace(anchor, anchor + "\n<mailet match=\"All\" class=\"" + mailet.getName() + "\"/>"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Appends (overrides) a setting in this instance's trapline.properties. */
    TestInstance set(String key, String value) {
        try {
            Files.writeString(conf.resolve(Instance.SETTINGS_FILE), "\n" + key + "=" + value + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Starts this instance's MX on the given SMTP port; RADIUS accounting on an ephemeral loopback port. */
    TraplineServer start(int smtpPort) {
        java.util.Properties p = instance().settings();
        p.setProperty("attribution.radius.bind", "127.0.0.1:0");
        return TraplineServer.start(instance(), ServerSettings.from(p, conf).withSmtpBind(new BindAddress("127.0.0.1", smtpPort)),
                p, java.time.Clock.systemUTC());
    }

    ServerSettings settings(int smtpPort) {
        return ServerSettings.from(instance().settings(), conf).withSmtpBind(new BindAddress("127.0.0.1", smtpPort));
    }

    /**
     * A free loopback port below the kernel's ephemeral range (32768 and up on Linux): a port handed out
     * by bind(0) could be taken again by the server's own port-0 listeners (RADIUS, H2) before James binds it.
     */
    static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = random.nextInt(20000, 32000);
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException inUse) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }

    static void copyDir(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".secret")) {
                    // A secret made by a run of the checkout itself: each instance gets its own.
                    continue;
                }
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
