package org.trapline.attribution.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.session.SessionStore;

/** kill -9 of a server in the middle of accounting: every acknowledged record is there after the restart. */
class KilledServerTest {
    @TempDir
    Path data;

    @Test
    void everyAcknowledgedRecordSurvivesKillDashNine() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServerProcess.class.getName(), data.toString(),
                AcknowledgedAccountingTest.SECRET).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> acknowledged = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("port ")) {
                // logging before the port line
            }
            assertThat(line).as("child server started").isNotNull();
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(line.substring(5)));
            try (DatagramSocket client = new DatagramSocket()) {
                client.setSoTimeout(2000);
                client.setReceiveBufferSize(1 << 20);
                int id = 0;
                for (int round = 0; round < 20; round++) {
                    Map<Integer, String> outstanding = new HashMap<>();
                    for (int i = 0; i < 200; i++, id++) {
                        String sessionId = "k" + id;
                        byte[] p = AcknowledgedAccountingTest.start("user" + id, sessionId, "100.65." + (id >> 8 & 0xff) + "." + (id & 0xff), id & 0xff);
                        outstanding.put(id & 0xff, sessionId);
                        client.send(new DatagramPacket(p, p.length, server));
                    }
                    byte[] buf = new byte[4096];
                    DatagramPacket in = new DatagramPacket(buf, buf.length);
                    try {
                        while (!outstanding.isEmpty()) {
                            client.receive(in);
                            String acked = outstanding.remove(buf[1] & 0xff);
                            if (acked != null) {
                                acknowledged.add(acked);
                            }
                        }
                    } catch (SocketTimeoutException e) {
                        // unanswered ones carry no promise
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).hasSizeGreaterThan(1000);

        try (SessionStore store = SessionStore.open(data);
             AccountingJournal journal = AccountingJournal.open(data, JournalSettings.defaults(), store)) {
            journal.await();
            List<String> missing = acknowledged.stream().filter(id -> store.find("192.0.2.7", id).isEmpty()).toList();
            assertThat(missing).as("acknowledged but lost").isEmpty();
        }
    }
}
