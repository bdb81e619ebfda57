package org.trapline.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailNoticeSenderTest {

    static final Notice NOTICE = new Notice(12, "alice", "strike 2 of 10", 2, false, Instant.parse("2026-03-03T04:04:00Z"),
            4, Instant.parse("2026-03-03T03:01:00Z"), Instant.parse("2026-03-03T03:04:00Z"), "hit-8", "10.0.9.77");

    /** Accepts one message over plain SMTP and returns the whole dialogue as the client wrote it. */
    static CompletableFuture<String> oneMessageRelay(ServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try (Socket s = server.accept()) {
                s.setSoTimeout(10000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                out.write("220 relay.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                boolean data = false;
                String line;
                while ((line = in.readLine()) != null) {
                    seen.append(line).append('\n');
                    String reply;
                    if (data) {
                        if (!line.equals(".")) continue;
                        data = false;
                        reply = "250 queued";
                    } else if (line.startsWith("EHLO") || line.startsWith("HELO")) {
                        reply = "250 relay.test";
                    } else if (line.equals("DATA")) {
                        data = true;
                        reply = "354 go on";
                    } else if (line.equals("QUIT")) {
                        out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
                        break;
                    } else {
                        reply = "250 ok";
                    }
                    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
            } catch (Exception e) {
                seen.append("relay error: ").append(e);
            }
            return seen.toString();
        });
    }

    @Test
    void noticeGoesToTheSubscribersContactThroughTheRelay(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("contacts.properties"), "alice=alice@customer.example\n");
        try (ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> dialogue = oneMessageRelay(relay);
            Properties p = new Properties();
            p.setProperty("notice.smtp.host", "127.0.0.1");
            p.setProperty("notice.smtp.port", Integer.toString(relay.getLocalPort()));
            p.setProperty("notice.from", "abuse@isp.example");
            String result = new MailNoticeSender(p, MailNoticeSender.contactsFile(dir.resolve("contacts.properties"))).send(NOTICE);

            assertThat(result).isEqualTo("mailed to alice@customer.example via 127.0.0.1");
            String smtp = dialogue.get(10, TimeUnit.SECONDS);
            assertThat(smtp).contains("MAIL FROM:<abuse@isp.example>", "RCPT TO:<alice@customer.example>",
                    "X-Trapline-Action: 12", "Trap hits:   4, from 2026-03-03T03:01:00Z to 2026-03-03T03:04:00Z",
                    "Strikes:     2", "trap hit hit-8 from 10.0.9.77", "blocked until 2026-03-03T04:04:00Z");
        }
    }

    @Test
    void staffAreToldThroughTheSameRelay() throws Exception {
        try (ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> dialogue = oneMessageRelay(relay);
            Properties p = new Properties();
            p.setProperty("notice.smtp.host", "127.0.0.1");
            p.setProperty("notice.smtp.port", Integer.toString(relay.getLocalPort()));
            p.setProperty("notice.from", "trapline@isp.example");
            String result = new MailNoticeSender(p, s -> Optional.empty()).sendToStaff(new StaffNotice(57, "abuse-desk@isp.example",
                    "Trapline: brake engaged for NAS 10.255.0.1", "brake engaged for NAS 10.255.0.1: 20 automatic actions"));
            assertThat(result).isEqualTo("mailed to abuse-desk@isp.example via 127.0.0.1");
            assertThat(dialogue.get(10, TimeUnit.SECONDS)).contains("MAIL FROM:<trapline@isp.example>", "RCPT TO:<abuse-desk@isp.example>",
                    "X-Trapline-Action: 57", "Subject: Trapline: brake engaged for NAS 10.255.0.1", "20 automatic actions");
        }
        assertThatThrownBy(() -> new MailNoticeSender(new Properties(), s -> Optional.empty())
                .sendToStaff(new StaffNotice(1, "a@b.example", "s", "t"))).hasMessageContaining("notice.smtp.host");
    }

    @Test
    void missingRelayOrContactIsAClearFailure() {
        Properties none = new Properties();
        assertThatThrownBy(() -> new MailNoticeSender(none, s -> Optional.of("a@b.example")).send(NOTICE))
                .hasMessageContaining("notice.smtp.host");
        Properties p = new Properties();
        p.setProperty("notice.smtp.host", "127.0.0.1");
        assertThatThrownBy(() -> new MailNoticeSender(p, s -> Optional.empty()).send(NOTICE))
                .hasMessageContaining("no e-mail address for subscriber alice");
        assertThatThrownBy(() -> new MailNoticeSender(p, s -> Optional.of("x@y.example\r\nBcc: all@z.example")).send(NOTICE))
                .hasMessageContaining("bad notice address");
    }

    @Test
    void suspensionNoticeSaysStaffLiftIt() {
        Notice n = new Notice(3, "bob", "strike 10 of 10", 10, true, null, 5, Instant.EPOCH, Instant.EPOCH, "h1", null);
        assertThat(MailNoticeSender.body(n)).contains("suspended", "abuse desk").doesNotContain("blocked until");
    }
}
