package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** smtp.hostname is the name the MX greets with (James's servers are one per JVM, so this one stands alone). */
class SmtpHostnameTest {
    @TempDir
    Path tmp;

    @Test
    void smtpHostnameNamesTheHostInTheGreetingAndTheEhloReply() throws Exception {
        int port = TestInstance.freePort();
        try (TraplineServer s = new TestInstance(tmp).set("smtp.hostname", "MX7.isp.example.").start(port);
             RawSmtp c = RawSmtp.connect(port)) {
            assertThat(c.line()).isEqualTo("220 mx7.isp.example ESMTP");
            assertThat(c.send("EHLO bot.example\r\n").reply().get(0)).isEqualTo("250-mx7.isp.example Hello bot.example [127.0.0.1]");
        }
    }
}
