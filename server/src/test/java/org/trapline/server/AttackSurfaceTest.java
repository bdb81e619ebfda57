package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;

/**
 * What another local user, or any other process, can reach of a running server. The server runs in a
 * process of its own, with a hit stored, a session and a secret file, under a parent directory others
 * may enter (as /var/lib is), so that only Trapline's own permissions stand in the way.
 */
@org.junit.jupiter.api.TestInstance(Lifecycle.PER_CLASS)
class AttackSurfaceTest {
    @TempDir
    static Path tmp;
    TestInstance t;
    ServerProcess server;
    int port;
    int deskPort;

    @BeforeAll
    void start() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        t = new TestInstance(tmp);
        port = TestInstance.freePort();
        deskPort = TestInstance.freePort();
        t.set("desk.bind", "127.0.0.1:" + deskPort);
        server = ServerProcess.start(t.conf, t.data, port, tmp.resolve("server.log"));
        SmtpClient.sendNumbered(port, "attack", 3);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    /**
     * The attack that worked on H2's AUTO_SERVER mode: open the database file as a second process does,
     * which reads the server's address from the lock file and connects to it, then run Java code inside the
     * server with CREATE ALIAS. Now no database of a running server can be opened from outside it at all.
     */
    @Test
    void noOtherProcessCanOpenTheDatabasesOfARunningServer() throws Exception {
        Path marker = tmp.resolve("code-ran-in-the-server");
        for (String db : List.of("evidence", "policy", "sessions/radacct")) {
            String url = "jdbc:h2:file:" + t.data.resolve(db).toAbsolutePath() + ";AUTO_SERVER=TRUE";
            assertThatThrownBy(() -> {
                try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
                    st.execute("CREATE ALIAS TOUCH AS 'String touch(String p) throws Exception { "
                            + "java.nio.file.Files.writeString(java.nio.file.Path.of(p), \"pwned\"); return p; }'");
                    st.execute("CALL TOUCH('" + marker + "')");
                }
            }).as(db).hasMessageContaining("use");
        }
        assertThat(marker).doesNotExist();
        try (Stream<Path> all = Files.walk(t.data)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".lock.db"));
        }
    }

    /** Listening sockets of the server process: SMTP, the web desk and RADIUS where configured, nothing else. */
    @Test
    void theServerListensOnlyWhereItWasToldTo() throws Exception {
        Set<String> inodes = socketInodes(server.process.pid());
        List<String> tcpListening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String[] row : rows(table)) {
                if (inodes.contains(row[9]) && row[3].equals("0A")) {
                    tcpListening.add(ipv4Mapped(row[1]));
                }
            }
        }
        assertThat(tcpListening).as("TCP listeners of the server")
                .containsExactlyInAnyOrder(hexEndpoint("127.0.0.1", port), hexEndpoint("127.0.0.1", deskPort));
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
            for (String[] row : rows(table)) {
                if (inodes.contains(row[9])) {
                    assertThat(ipv4Mapped(row[1])).as("UDP socket bound on loopback only").matches("0100007F:[0-9A-F]{4}|0{24}01000000:[0-9A-F]{4}");
                }
            }
        }
    }

    @Test
    void dataSecretsAndControlSocketAreForTheTraplineUserOnly() throws Exception {
        assertThat(Files.getPosixFilePermissions(t.data)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(t.data.resolve("control.sock")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(t.radiusSecretFile()))).isEqualTo("rw-------");

        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as another user (nobody)");
        List<Path> targets = new ArrayList<>(List.of(t.radiusSecretFile()));
        try (Stream<Path> all = Files.walk(t.data)) {
            all.filter(Files::isRegularFile).forEach(targets::add);
        }
        assertThat(targets).hasSizeGreaterThan(5);
        for (Path file : targets) {
            assertThat(asNobody("test", "-r", file.toString())).as("nobody reads %s", file).isNotZero();
        }
        assertThat(asNobody("perl", "-MIO::Socket::UNIX", "-e",
                "IO::Socket::UNIX->new(Peer => $ARGV[0]) or exit 7; exit 0", t.data.resolve("control.sock").toString()))
                .as("nobody connects to the control socket").isEqualTo(7);
        // The same connection as the server's own user works: the test is not broken by something else.
        assertThat(run(List.of("perl", "-MIO::Socket::UNIX", "-e", "IO::Socket::UNIX->new(Peer => $ARGV[0]) or exit 7; exit 0",
                t.data.resolve("control.sock").toString()))).isZero();
    }

    private static int asNobody(String... command) throws Exception {
        List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        c.addAll(List.of(command));
        return run(c);
    }

    private static int run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while we looked
                }
            }
        }
        return inodes;
    }

    private static List<String[]> rows(String table) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(table));
        return lines.subList(1, lines.size()).stream().map(l -> l.trim().split("\\s+")).toList();
    }

    /** An IPv4-mapped IPv6 endpoint of /proc/net/*6 as the IPv4 tables write it. */
    private static String ipv4Mapped(String endpoint) {
        return endpoint.startsWith("0000000000000000FFFF0000") ? endpoint.substring(24) : endpoint;
    }

    private static String hexEndpoint(String ipv4, int port) {
        String[] o = ipv4.split("\\.");
        return String.format("%02X%02X%02X%02X:%04X", Integer.parseInt(o[3]), Integer.parseInt(o[2]), Integer.parseInt(o[1]),
                Integer.parseInt(o[0]), port);
    }
}
