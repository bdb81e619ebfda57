package org.trapline.attribution.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyradius.packet.AccountingRequest;
import org.trapline.attribution.accounting.AccountingServer;
import org.trapline.attribution.accounting.AccountingServerSettings;
import org.trapline.attribution.cli.WhoCommand;
import org.trapline.attribution.lookup.Attribution;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.AttributionStatus;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.attribution.session.SessionStore;
import org.trapline.common.net.IpAddress;

import picocli.CommandLine;

/** The accounting server in front of the journal: what an acknowledgement promises, and what readers see. */
class AcknowledgedAccountingTest {
    static final String SECRET = "journal-test-secret";
    static final long T = 1763900000L;

    @TempDir
    Path data;
    SessionStore store;
    AccountingJournal journal;
    AccountingServer server;

    @BeforeEach
    void openStore() {
        store = SessionStore.open(data);
    }

    @AfterEach
    void closeAll() {
        stopServer();
        store.close();
    }

    void startServer(AccountingJournal j) throws Exception {
        journal = j;
        Properties p = new Properties();
        p.setProperty(AccountingServerSettings.BIND, "127.0.0.1:0");
        p.setProperty(AccountingServerSettings.CLIENT_PREFIX + "127.0.0.1" + AccountingServerSettings.CLIENT_SUFFIX, SECRET);
        server = new AccountingServer(AccountingServerSettings.from(p), journal);
        server.start();
    }

    void stopServer() {
        if (server != null) {
            server.stop();
            journal.close();
            server = null;
        }
    }

    static byte[] start(String user, String sessionId, String ip, int identifier) throws Exception {
        AccountingRequest r = new AccountingRequest(user, AccountingRequest.ACCT_STATUS_TYPE_START);
        r.setPacketIdentifier(identifier);
        r.addAttribute("Acct-Session-Id", sessionId);
        r.addAttribute("Framed-IP-Address", ip);
        r.addAttribute("NAS-IP-Address", "192.0.2.7");
        r.addAttribute("Event-Timestamp", Long.toString(T));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.encodeRequestPacket(out, SECRET);
        return out.toByteArray();
    }

    byte[] exchange(DatagramSocket socket, byte[] packet) throws Exception {
        InetSocketAddress to = server.localAddress();
        socket.send(new DatagramPacket(packet, packet.length, to));
        byte[] buf = new byte[4096];
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(in);
            return java.util.Arrays.copyOf(buf, in.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    @Test
    void acknowledgedRecordSurvivesAnApplierThatNeverRan() throws Exception {
        startServer(AccountingJournal.openWithoutApplier(data, JournalSettings.defaults(), store));
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(2000);
            byte[] answer = exchange(client, start("alice", "j1", "100.64.5.1", 3));
            assertThat(answer).isNotNull();
            assertThat(answer[0]).isEqualTo((byte) 5);
        }
        // Acknowledged although nothing reached the store: the journal alone carried the commit.
        assertThat(store.count()).isZero();
        stopServer();

        startServer(AccountingJournal.open(data, JournalSettings.defaults(), store));
        journal.await();
        assertThat(store.find("192.0.2.7", "j1").orElseThrow().userName()).isEqualTo("alice");
    }

    @Test
    void lookupRightAfterTheAnswerToAStartFindsTheSession() throws Exception {
        startServer(AccountingJournal.open(data, JournalSettings.defaults(), store));
        AttributionLookup lookup = AttributionLookup.create(store, LookupSettings.defaults(), journal);
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(2000);
            for (int i = 0; i < 50; i++) {
                String ip = "100.64.6." + i;
                assertThat(exchange(client, start("user" + i, "r" + i, ip, i))).isNotNull();
                Attribution a = lookup.lookup(IpAddress.parse(ip), Instant.ofEpochSecond(T + 1));
                assertThat(a.status()).as("lookup %d right after its Start was answered", i).isEqualTo(AttributionStatus.MATCHED);
                assertThat(a.subscriber()).isEqualTo("user" + i);
            }
        }
    }

    /** {@code who} as a command beside a running server runs it: inside the server, on its lookup. */
    JsonNode who(StringWriter err, String ip, java.util.function.Supplier<AttributionLookup> lookup) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new WhoCommand(lookup, java.io.InputStream::nullInputStream));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.execute(ip, "--at", Instant.ofEpochSecond(T + 1).toString());
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void whoOnAStoppedServersDataAppliesTheJournalTailFirst() throws Exception {
        startServer(AccountingJournal.openWithoutApplier(data, JournalSettings.defaults(), store));
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(2000);
            assertThat(exchange(client, start("carol", "w1", "100.64.7.1", 1))).isNotNull();
        }
        stopServer();
        assertThat(store.count()).isZero();

        StringWriter err = new StringWriter();
        // As a command's own process opens the store when no server runs: the journal's tail applied first.
        JsonNode j = who(err, "100.64.7.1", () -> {
            AccountingJournal.bringUpToDate(data, JournalSettings.defaults(), store);
            return AttributionLookup.create(store, LookupSettings.defaults());
        });
        assertThat(j.get("status").asText()).isEqualTo("MATCHED");
        assertThat(j.get("subscriber").asText()).isEqualTo("carol");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void whoWhileTheServerRunsWaitsForItsApplier() throws Exception {
        startServer(AccountingJournal.open(data, JournalSettings.defaults(), store));
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(2000);
            assertThat(exchange(client, start("dave", "w2", "100.64.7.2", 1))).isNotNull();
        }
        StringWriter err = new StringWriter();
        JsonNode j = who(err, "100.64.7.2", () -> AttributionLookup.create(store, LookupSettings.defaults(), journal));
        assertThat(j.get("status").asText()).isEqualTo("MATCHED");
        assertThat(j.get("subscriber").asText()).isEqualTo("dave");
        assertThat(err.toString()).isEmpty();
    }
}
