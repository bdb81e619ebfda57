package org.trapline.enforcement.coa;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real FreeRADIUS ({@code freeradius -X}) acting as a CoA-capable NAS, for tests and demonstrations:
 * a copy of the system configuration ({@code /etc/freeradius/3.0}, Debian's 3.2 layout) with only a
 * CoA listener on a free loopback port. It ACKs CoA and Disconnect requests whose User-Name is one of
 * the sessions it "holds" and NAKs every other with Error-Cause 503 Session-Context-Not-Found, as a
 * BRAS does for a session that has ended. Its debug output shows every received attribute.
 *
 * <p>Needs the Debian packages {@code freeradius} (and {@code freeradius-utils} for radclient).
 */
public final class FreeRadiusStandIn implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/freeradius");
    private static final Path SYSTEM_CONF = Path.of("/etc/freeradius/3.0");

    private final Process process;
    private final Path output;
    private final int port;

    private FreeRadiusStandIn(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /** Whether FreeRADIUS and its configuration are installed here. */
    public static boolean available() {
        return Files.isExecutable(BINARY) && Files.isDirectory(SYSTEM_CONF);
    }

    /**
     * Starts FreeRADIUS with its configuration, logs and output under {@code dir}.
     *
     * @param secret    shared secret for clients on 127.0.0.1
     * @param heldUsers User-Names whose requests are ACKed (letters, digits and {@code @._-} only)
     */
    public static FreeRadiusStandIn start(Path dir, String secret, Set<String> heldUsers) throws IOException, InterruptedException {
        if (!available()) throw new IllegalStateException("FreeRADIUS is not installed (apt-get install freeradius freeradius-utils)");
        if (!secret.matches("[A-Za-z0-9._-]+")) throw new IllegalArgumentException("secret must be letters, digits, . _ -");
        for (String u : heldUsers) {
            if (!u.matches("[A-Za-z0-9@._-]+")) throw new IllegalArgumentException("unsupported user name: " + u);
        }
        Path raddb = dir.resolve("raddb");
        copyTree(SYSTEM_CONF, raddb);
        // eap needs certificates we do not have; the default sites would also bind 1812/1813.
        Files.deleteIfExists(raddb.resolve("mods-enabled/eap"));
        try (var sites = Files.list(raddb.resolve("sites-enabled"))) {
            for (Path p : sites.toList()) Files.delete(p);
        }
        Path log = Files.createDirectories(dir.resolve("log"));
        Path run = Files.createDirectories(dir.resolve("run"));
        Path radiusd = raddb.resolve("radiusd.conf");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(radiusd)) {
            String t = line.strip();
            if (t.startsWith("logdir =")) line = "logdir = " + log;
            else if (t.startsWith("run_dir =")) line = "run_dir = " + run;
            else if (t.startsWith("user =") || t.startsWith("group =")) line = "#" + line;
            lines.add(line);
        }
        Files.write(radiusd, lines);
        Files.writeString(raddb.resolve("clients.conf"), "client trapline-test {\n\tipaddr = 127.0.0.1\n\tsecret = " + secret + "\n}\n");
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        Files.writeString(raddb.resolve("sites-enabled/trapline-nas"), site(port, heldUsers));

        Path output = dir.resolve("freeradius-X.txt");
        Process p = new ProcessBuilder(BINARY.toString(), "-X", "-d", raddb.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        FreeRadiusStandIn nas = new FreeRadiusStandIn(p, output, port);
        if (!nas.awaitOutput(s -> s.contains("Ready to process requests"), Duration.ofSeconds(30))) {
            String text = nas.output();
            nas.close();
            throw new IllegalStateException("FreeRADIUS did not start:\n" + text);
        }
        return nas;
    }

    private static String site(int port, Set<String> heldUsers) {
        String held = heldUsers.isEmpty() ? "false" : new TreeSet<>(heldUsers).stream()
                .map(u -> "&User-Name == \"" + u + "\"").collect(Collectors.joining(" || "));
        String answer = """
                		if (%s) {
                			ok
                		}
                		else {
                			update reply {
                				&Error-Cause := Session-Context-Not-Found
                			}
                			reject
                		}
                """.formatted(held);
        return "listen {\n\ttype = coa\n\tipaddr = 127.0.0.1\n\tport = " + port + "\n\tvirtual_server = trapline-nas\n}\n\n"
                + "server trapline-nas {\n"
                + "\trecv-coa {\n" + answer + "\t}\n\tsend-coa {\n\t\tok\n\t}\n"
                + "\trecv-disconnect {\n" + answer + "\t}\n\tsend-disconnect {\n\t\tok\n\t}\n}\n";
    }

    /** The CoA port it listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** Everything FreeRADIUS printed so far. */
    public String output() throws IOException {
        return Files.readString(output, StandardCharsets.ISO_8859_1);
    }

    /** Waits until the debug output satisfies the condition (FreeRADIUS logs just after answering). */
    public boolean awaitOutput(Predicate<String> condition, Duration max) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(output())) return true;
            if (!process.isAlive()) return condition.test(output());
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                // Symbolic links (mods-enabled -> ../mods-available) are copied as links, still relative.
                Files.copy(f, to.resolve(from.relativize(f).toString()), LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
