package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MX's replies to the details of the protocol, over real SMTP sockets. */
class SmtpProtocolDetailsTest {
    @TempDir
    static Path tmp;
    static TestInstance t;
    static TraplineServer server;
    static int port;

    @BeforeAll
    static void start() {
        t = new TestInstance(tmp.resolve("mx"));
        port = TestInstance.freePort();
        server = t.start(port);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theGreetingAndTheHeloRepliesNameTheHostAndAreWellFormed() throws Exception {
        try (RawSmtp c = RawSmtp.connect(port)) {
            assertThat(c.line()).isEqualTo("220 trap.example.net ESMTP");
            List<String> ehlo = c.send("EHLO bot.example\r\n").reply();
            assertThat(ehlo.get(0)).isEqualTo("250-trap.example.net Hello bot.example [127.0.0.1]");
            assertThat(ehlo).contains("250-PIPELINING");
            assertThat(c.command("HELO bot.example")).isEqualTo("250 trap.example.net Hello bot.example [127.0.0.1]");
        }
    }

    @Test
    void aHostnameThatIsNoHostNameIsRefusedAtStart() {
        Properties p = t.instance().settings();
        p.setProperty("smtp.hostname", "mx 1.example");
        assertThatThrownBy(() -> ServerSettings.from(p, t.conf)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("smtp.hostname");
    }
}
