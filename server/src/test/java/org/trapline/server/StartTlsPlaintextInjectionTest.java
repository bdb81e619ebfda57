package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands a client sends in plaintext right behind STARTTLS, before the handshake, are never carried
 * over into the encrypted session (the CVE-2011-0411 kind of injection): the server discards them.
 */
class StartTlsPlaintextInjectionTest {
    @TempDir
    Path tmp;

    @Test
    void aCommandPipelinedBehindStartTlsIsNotExecutedInsideTls() throws Exception {
        TestInstance t = new TestInstance(tmp).withSelfSignedCertificate();
        int port = TestInstance.freePort();
        try (TraplineServer s = t.start(port);
             RawSmtp plain = RawSmtp.connect(port)) {
            assertThat(plain.line()).startsWith("220 ");
            assertThat(plain.command("EHLO bot.example")).startsWith("250 ");
            plain.send("STARTTLS\r\nMAIL FROM:<injected@attacker.example>\r\n");
            assertThat(plain.line()).startsWith("220 ");

            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new StartTlsTest.TrustEverything()}, null);
            try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain.socket, "127.0.0.1", port, true)) {
                tls.startHandshake();
                BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = tls.getOutputStream();
                out.write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(in.readLine()).as("the first reply inside TLS is NOOP's, not the injected MAIL's")
                        .startsWith("250").doesNotContain("Sender").doesNotContain("injected");
                out.write("RCPT TO:<t@trap.example.net>\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(in.readLine()).as("no sender was ever set").startsWith("503");
            }
        }
    }
}
