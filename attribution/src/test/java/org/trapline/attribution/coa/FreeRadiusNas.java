package org.trapline.attribution.coa;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.function.Predicate;

/**
 * A real FreeRADIUS ({@code freeradius -X}) acting as the NAS: a copy of the system's configuration
 * with only our CoA virtual server enabled, listening on a free loopback port. Missing FreeRADIUS skips
 * the test locally and fails it when CI=true.
 */
final class FreeRadiusNas implements AutoCloseable {

    static final String SECRET = "nas-test-secret";
    private static final Path SYSTEM_CONF = Path.of("/etc/freeradius/3.0");

    private final Process process;
    private final Path output;
    final int port;

    private FreeRadiusNas(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    static FreeRadiusNas start(Path dir) throws Exception {
        Path binary = Path.of("/usr/sbin/freeradius");
        boolean present = Files.isExecutable(binary) && Files.isDirectory(SYSTEM_CONF);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("FreeRADIUS is required in CI: apt-get install freeradius freeradius-utils");
        }
        assumeTrue(present, "FreeRADIUS not installed (apt-get install freeradius); skipping CoA tests against a real NAS");

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
        Files.writeString(raddb.resolve("clients.conf"),
                "client nas-test {\n\tipaddr = 127.0.0.1\n\tsecret = " + SECRET + "\n}\n");
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        String site;
        try (InputStream in = FreeRadiusNas.class.getResourceAsStream("/coa/trapline-nas.site")) {
            site = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(raddb.resolve("sites-enabled/trapline-nas"), site.replace("@PORT@", Integer.toString(port)));

        Path output = dir.resolve("freeradius-X.txt");
        Process p = new ProcessBuilder(binary.toString(), "-X", "-d", raddb.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        FreeRadiusNas nas = new FreeRadiusNas(p, output, port);
        if (!nas.awaitOutput(s -> s.contains("Ready to process requests"), Duration.ofSeconds(30))) {
            nas.close();
            throw new AssertionError("FreeRADIUS did not start:\n" + nas.output());
        }
        return nas;
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.ISO_8859_1);
    }

    /** Waits until FreeRADIUS's debug output satisfies the condition (it logs after answering). */
    boolean awaitOutput(Predicate<String> condition, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(output())) return true;
            if (!process.isAlive()) return condition.test(output());
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
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
                Files.copy(f, to.resolve(from.relativize(f).toString()), LinkOption.NOFOLLOW_LINKS,
                        StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
