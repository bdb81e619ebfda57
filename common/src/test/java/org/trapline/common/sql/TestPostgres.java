package org.trapline.common.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import com.sun.security.auth.module.UnixSystem;

/**
 * A real PostgreSQL for tests: one cluster per JVM, made by {@code initdb} in a temporary directory with
 * password authentication (scram-sha-256), started by {@code pg_ctl} on a free loopback port with fsync off
 * (tests only), stopped and removed by a shutdown hook. PostgreSQL refuses to run as root, so as root the
 * cluster belongs to the system user {@value #OS_USER}, created if missing. Each caller gets a database
 * of its own ({@link #newDatabase}). Without the PostgreSQL binaries the tests that need it are skipped,
 * saying why; any other failure to start is a failure.
 */
public final class TestPostgres {
    static final String OS_USER = "trapline-pg";
    /** The cluster's superuser, which the tests log in as. */
    public static final String USER = "trapline";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres cluster;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final String password;

    private TestPostgres(Path bin, Path dir, int port, String password) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.password = password;
    }

    /** Where {@code pg_ctl} and {@code initdb} are: the newest of /usr/lib/postgresql, else the PATH. */
    public static Optional<Path> binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            Optional<Path> newest = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())));
            if (newest.isPresent()) {
                return newest;
            }
        } catch (IOException e) {
            // not Debian's layout; try the PATH
        }
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, "pg_ctl")) && Files.isExecutable(Path.of(p, "initdb"))) {
                return Optional.of(Path.of(p));
            }
        }
        return Optional.empty();
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The JVM's cluster, started on first use; skips the calling test when PostgreSQL is not installed. */
    public static synchronized TestPostgres cluster() {
        Optional<Path> bin = binaries();
        Assumptions.assumeTrue(bin.isPresent(), "PostgreSQL is not installed (no pg_ctl in /usr/lib/postgresql/*/bin or on the PATH): "
                + "the PostgreSQL dialect is not tested");
        if (cluster == null) {
            cluster = start(bin.get());
        }
        return cluster;
    }

    private static TestPostgres start(Path bin) {
        try {
            boolean root = new UnixSystem().getUid() == 0;
            Path dir = Files.createTempDirectory("trapline-pg-");
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            Path pwfile = dir.resolve("pwfile");
            Files.writeString(pwfile, password + "\n", StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
            if (root) {
                ensureOsUser();
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dir, users.lookupPrincipalByName(OS_USER));
                Files.setOwner(pwfile, users.lookupPrincipalByName(OS_USER));
            }
            int port = freePort();
            TestPostgres pg = new TestPostgres(bin, dir, port, password);
            pg.run(root, List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C", "--no-sync"));
            Files.delete(pwfile);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> pg.stop(root), "stop test PostgreSQL"));
            pg.run(root, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
                    "-w", "-t", "60", "-o", "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + " -F", "start"));
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static void ensureOsUser() throws IOException {
        if (exec(List.of("id", "-u", OS_USER)).exit == 0) {
            return;
        }
        Result made = exec(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OS_USER));
        // Another JVM may have made it meanwhile.
        if (made.exit != 0 && exec(List.of("id", "-u", OS_USER)).exit != 0) {
            throw new IOException("useradd " + OS_USER + " failed: " + made.output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void run(boolean root, List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        full.addAll(command);
        Result r = exec(full);
        if (r.exit != 0) {
            String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
            throw new IOException(String.join(" ", command.subList(0, 1)) + " exited " + r.exit + ": " + r.output + log);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result exec(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish");
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void stop(boolean root) {
        try {
            run(root, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        } catch (IOException e) {
            // it may not have started; the directory goes all the same
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; nothing depends on it any more
        }
    }

    public int port() {
        return port;
    }

    /** The superuser's password; tests hand it over as a store's password. */
    public String password() {
        return password;
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A new, empty database, named after {@code purpose} (letters and digits kept) and a number. */
    public String newDatabase(String purpose) {
        String name = "t" + DATABASES.incrementAndGet() + "_" + purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        name = name.substring(0, Math.min(name.length(), 60));
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, password); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return name;
    }

    /** Store settings for a new database of this cluster. */
    public StoreSettings newStore(String purpose) {
        return StoreSettings.postgresql(url(newDatabase(purpose)), USER, () -> password);
    }
}
