package org.trapline.attribution.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyradius.packet.AccountingRequest;
import org.trapline.attribution.journal.AccountingJournal;
import org.trapline.attribution.journal.JournalSettings;
import org.trapline.attribution.session.Session;
import org.trapline.attribution.session.SessionStore;

class AccountingServerTest {
    static final String SECRET = "s3cret-for-tests";

    @TempDir
    Path data;
    SessionStore store;
    AccountingJournal journal;
    AccountingServer server;

    static AccountingServerSettings settings(String clientKey, String secret) {
        Properties p = new Properties();
        p.setProperty(AccountingServerSettings.BIND, "127.0.0.1:0");
        p.setProperty(AccountingServerSettings.CLIENT_PREFIX + clientKey + AccountingServerSettings.CLIENT_SUFFIX, secret);
        p.setProperty(AccountingServerSettings.DUPLICATE_CACHE_SIZE, "64");
        return AccountingServerSettings.from(p);
    }

    @BeforeEach
    void start() throws Exception {
        store = SessionStore.open(data);
        journal = AccountingJournal.open(data, JournalSettings.defaults(), store);
        server = new AccountingServer(settings("127.0.0.0/8", SECRET), journal);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        journal.close();
        store.close();
    }

    static byte[] request(String secret, String user, int status, String sessionId, String ip, int identifier) throws Exception {
        AccountingRequest r = new AccountingRequest(user, status);
        r.setPacketIdentifier(identifier);
        r.addAttribute("Acct-Session-Id", sessionId);
        r.addAttribute("Framed-IP-Address", ip);
        r.addAttribute("Event-Timestamp", "1763900000");
        r.addAttribute(new org.tinyradius.attribute.RadiusAttribute(33, new byte[] {1, 2}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.encodeRequestPacket(out, secret);
        return out.toByteArray();
    }

    /** Sends and returns the answer, or null when none comes within the timeout. */
    static byte[] exchange(DatagramSocket socket, InetSocketAddress server, byte[] packet) throws Exception {
        socket.send(new DatagramPacket(packet, packet.length, server));
        byte[] buf = new byte[4096];
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(in);
            return Arrays.copyOf(buf, in.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    @Test
    void answersOnlyAfterTheRecordIsStoredAndRetransmissionGetsTheSameAnswer() throws Exception {
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(2000);
            byte[] start = request(SECRET, "alice", AccountingRequest.ACCT_STATUS_TYPE_START, "s1", "100.64.1.23", 7);
            byte[] first = exchange(client, server.localAddress(), start);
            assertThat(first).isNotNull();
            assertThat(first[0]).isEqualTo((byte) 5);
            assertThat(first[1]).isEqualTo((byte) 7);
            // RFC 2866: the Proxy-State echoed, the response authenticator over the request's and the secret.
            assertThat(Arrays.copyOfRange(first, 20, first.length)).containsExactly(33, 4, 1, 2);
            java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
            md5.update(first, 0, 4);
            md5.update(start, 4, 16);
            md5.update(first, 20, first.length - 20);
            md5.update(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(Arrays.copyOfRange(first, 4, 20)).isEqualTo(md5.digest());
            // The answer came after the journal commit: once the store has caught up, the session is there.
            journal.await();
            Session s = store.find("127.0.0.1", "s1").orElseThrow();
            assertThat(s.userName()).isEqualTo("alice");
            assertThat(s.start()).isEqualTo(Instant.ofEpochSecond(1763900000));

            byte[] again = exchange(client, server.localAddress(), start);
            assertThat(again).isEqualTo(first);
            assertThat(server.counters().retransmissions()).isEqualTo(1);
            assertThat(server.counters().acknowledged()).isEqualTo(1);
        }
    }

    @Test
    void accountingOnFromTheNasClosesItsOpenSessions() throws Exception {
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(2000);
            assertThat(exchange(client, server.localAddress(),
                    request(SECRET, "alice", AccountingRequest.ACCT_STATUS_TYPE_START, "s1", "100.64.1.23", 1))).isNotNull();
            AccountingRequest on = new AccountingRequest();
            on.setPacketIdentifier(2);
            on.addAttribute("Acct-Status-Type", "Accounting-On");
            on.addAttribute("Event-Timestamp", "1763903600");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            on.encodeRequestPacket(out, SECRET);
            assertThat(exchange(client, server.localAddress(), out.toByteArray())).isNotNull();
        }
        // No NAS-IP-Address in either packet: the source address names the NAS.
        journal.await();
        Session s = store.find("127.0.0.1", "s1").orElseThrow();
        assertThat(s.stop()).isEqualTo(Instant.ofEpochSecond(1763903600));
        assertThat(s.terminateCause()).isEqualTo("NAS-Reboot");
    }

    @Test
    void wrongSecretGetsNoAnswerAndIsCounted() throws Exception {
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(500);
            byte[] start = request("not-the-secret", "alice", AccountingRequest.ACCT_STATUS_TYPE_START, "s1", "100.64.1.23", 1);
            assertThat(exchange(client, server.localAddress(), start)).isNull();
            assertThat(exchange(client, server.localAddress(), start)).isNull();
            assertThat(server.counters().badAuthenticator()).isEqualTo(2);
            assertThat(journal.position()).isZero();
            assertThat(store.count()).isZero();
        }
    }

    @Test
    void statusServerWithoutMessageAuthenticatorIsDroppedAsMalformed() throws Exception {
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(500);
            // A random Request Authenticator proves nothing; without a Message-Authenticator anyone could probe.
            byte[] status = new byte[20];
            status[0] = 12;
            status[1] = 7;
            status[3] = 20;
            byte[] authenticator = new byte[16];
            new java.security.SecureRandom().nextBytes(authenticator);
            System.arraycopy(authenticator, 0, status, 4, 16);
            assertThat(exchange(client, server.localAddress(), status)).isNull();
            assertThat(server.counters().malformed()).isEqualTo(1);
            assertThat(server.counters().statusServer()).isZero();
        }
    }

    @Test
    void garbageIsCountedAndTheServerKeepsWorking() throws Exception {
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(500);
            byte[] vsaZeroLength = request(SECRET, "x", 1, "g", "100.64.1.1", 3);
            assertThat(exchange(client, server.localAddress(), new byte[] {4, 1, 0, 40, 1, 2})).isNull();
            assertThat(exchange(client, server.localAddress(), Arrays.copyOf(vsaZeroLength, 30))).isNull();
            assertThat(server.counters().malformed()).isEqualTo(2);
            client.setSoTimeout(2000);
            assertThat(exchange(client, server.localAddress(),
                    request(SECRET, "bob", 1, "s2", "100.64.1.2", 9))).isNotNull();
        }
    }

    /** One attribute: type, length, value. */
    static byte[] attribute(int type, int... value) {
        byte[] a = new byte[2 + value.length];
        a[0] = (byte) type;
        a[1] = (byte) a.length;
        for (int i = 0; i < value.length; i++) {
            a[2 + i] = (byte) value[i];
        }
        return a;
    }

    static byte[] textAttribute(int type, String value) {
        return attribute(type, value.chars().toArray());
    }

    /** An Accounting-Request with exactly these attributes and a correct request authenticator. */
    static byte[] packet(String secret, int identifier, byte[]... attributes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {4, (byte) identifier, 0, 0});
        out.write(new byte[16]);
        for (byte[] a : attributes) {
            out.write(a);
        }
        byte[] p = out.toByteArray();
        p[2] = (byte) (p.length >> 8);
        p[3] = (byte) p.length;
        java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
        md5.update(p);
        md5.update(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        System.arraycopy(md5.digest(), 0, p, 4, 16);
        return p;
    }

    /** A Start of session {@code id} for alice with one more attribute. */
    static byte[] startWith(int identifier, String id, byte[] extra) throws Exception {
        return packet(SECRET, identifier, attribute(40, 0, 0, 0, 1), textAttribute(1, "alice"), textAttribute(44, id),
                attribute(4, 127, 0, 0, 1), extra);
    }

    @Test
    void attributesOfTheWrongLengthMakeThePacketMalformed() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(AccountingServer.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        byte[][] bad = {
                attribute(8, 100, 64, 1),                       // Framed-IP-Address of 3 bytes
                attribute(8, 100, 64, 1, 23, 0),                // ... of 5
                attribute(4, 127, 0, 1),                        // NAS-IP-Address of 3
                attribute(40, 0, 0, 1),                         // a second Acct-Status-Type, of 3 bytes
                attribute(55, 0x69, 0x23, 0x9f),                // Event-Timestamp of 3
                attribute(46, 0, 0, 0, 0, 60),                  // Acct-Session-Time of 5
                attribute(49, 0, 1),                            // Acct-Terminate-Cause of 2
                attribute(42, 0, 0, 0, 0, 0, 0, 0, 9),          // Acct-Input-Octets of 8
                attribute(95, 0x20, 1, 0x0d, 0xb8),             // NAS-IPv6-Address of 4
                attribute(168, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),  // Framed-IPv6-Address of 15
                attribute(97, 0),                               // Framed-IPv6-Prefix without a prefix length
                attribute(97, 0, 129, 0x20, 1),                 // ... longer than 128 bits
                attribute(97, 0, 64, 0x20, 1),                  // a /64 with 2 bytes of prefix
                attribute(97, 0, 64, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),  // 17 bytes of prefix
                attribute(123, 0, 56, 0x20, 1, 0x0d, 0xb8),     // Delegated-IPv6-Prefix /56 with 4 bytes
        };
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(300);
            for (int i = 0; i < bad.length; i++) {
                assertThat(exchange(client, server.localAddress(), startWith(i, "bad-" + i, bad[i]))).as("case %d", i).isNull();
            }
            // A status of the wrong length is no status, even without a good one beside it.
            assertThat(exchange(client, server.localAddress(),
                    packet(SECRET, 100, attribute(40, 0, 1), textAttribute(44, "bad-status")))).isNull();
            assertThat(server.counters().malformed()).isEqualTo(bad.length + 1);
            assertThat(server.counters().acknowledged()).isZero();

            // The same attributes at their right lengths are taken, and the server kept working.
            client.setSoTimeout(2000);
            assertThat(exchange(client, server.localAddress(), startWith(200, "good", attribute(8, 100, 64, 1, 23)))).isNotNull();
            assertThat(exchange(client, server.localAddress(), startWith(201, "good-v6",
                    attribute(97, 0, 56, 0x20, 1, 0x0d, 0xb8, 0, 0, 0x23)))).isNotNull();
        } finally {
            logger.detachAppender(logged);
        }
        journal.await();
        assertThat(store.count()).isEqualTo(2);
        assertThat(store.find("127.0.0.1", "good").orElseThrow().framedIpAddress()).isEqualTo("100.64.1.23");
        assertThat(store.find("127.0.0.1", "bad-0")).isEmpty();
        // Logged once for this source, saying what was wrong, never with the secret.
        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().contains("127.0.0.1")).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(e.getFormattedMessage()).contains("Framed-IP-Address", "3 bytes").doesNotContain(SECRET);
        });
    }

    @Test
    void startFailsFastWhenTheAddressIsTaken() throws Exception {
        Properties p = new Properties();
        p.setProperty(AccountingServerSettings.BIND, "127.0.0.1:" + server.localAddress().getPort());
        AccountingServer second = new AccountingServer(AccountingServerSettings.from(p), journal);
        assertThatThrownBy(second::start).isInstanceOf(java.net.BindException.class)
                .hasMessageContaining(String.valueOf(server.localAddress().getPort()));
        assertThat(second.localAddress()).isNull();
    }

    @Test
    void duplicateCacheStaysBounded() throws Exception {
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(2000);
            for (int i = 0; i < 300; i++) {
                assertThat(exchange(client, server.localAddress(),
                        request(SECRET, "u" + i, 1, "s" + i, "100.64.2." + (i % 250), i & 0xff))).isNotNull();
            }
        }
        assertThat(server.cacheSize()).isLessThanOrEqualTo(64);
        journal.await();
        assertThat(store.count()).isEqualTo(300);
    }

    @Test
    void settingsNeverPrintSecrets() {
        assertThat(server.toString()).doesNotContain(SECRET).contains("127.0.0.0/8");
    }
}
