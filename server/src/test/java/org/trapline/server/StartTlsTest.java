package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS is offered exactly when a PEM certificate and key are configured, and then works. */
class StartTlsTest {
    @TempDir
    Path tmp;

    @Test
    void notOfferedWithoutCertificate() throws Exception {
        TestInstance t = new TestInstance(tmp);
        int port = TestInstance.freePort();
        try (TraplineServer s = t.start(port);
             SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            assertThat(c.command("EHLO bot.example").text()).doesNotContain("STARTTLS");
            assertThat(c.command("STARTTLS").code()).isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void offeredAndUsableWithPemCertificateAndKey() throws Exception {
        TestInstance t = new TestInstance(tmp).withSelfSignedCertificate();
        int port = TestInstance.freePort();
        try (TraplineServer s = t.start(port);
             Socket plain = new Socket("127.0.0.1", port)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = plain.getOutputStream();
            assertThat(in.readLine()).startsWith("220");
            out.write("EHLO bot.example\r\n".getBytes(StandardCharsets.US_ASCII));
            StringBuilder ehlo = new StringBuilder();
            String line;
            do {
                line = in.readLine();
                ehlo.append(line).append('\n');
            } while (line.charAt(3) == '-');
            assertThat(ehlo).contains("STARTTLS");
            out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("220");

            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustEverything()}, null);
            try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
                tls.startHandshake();
                X509Certificate peer = (X509Certificate) tls.getSession().getPeerCertificates()[0];
                assertThat(peer.getSubjectX500Principal().getName()).contains("mx.trap.example.net");
                BufferedReader tin = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream tout = tls.getOutputStream();
                tout.write("EHLO bot.example\r\n".getBytes(StandardCharsets.US_ASCII));
                do {
                    line = tin.readLine();
                } while (line.charAt(3) == '-');
                assertThat(line).startsWith("250");
                tout.write("MAIL FROM:<s@forged.example>\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(tin.readLine()).startsWith("250");
                tout.write("RCPT TO:<t@trap.example.net>\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(tin.readLine()).startsWith("250");
                tout.write("DATA\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(tin.readLine()).startsWith("354");
                tout.write("Subject: over tls\r\n\r\nhi\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(tin.readLine()).startsWith("250");
            }
        }
    }

    /** The test's self-signed certificate is checked by name above, not by a CA. */
    static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
