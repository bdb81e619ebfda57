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
