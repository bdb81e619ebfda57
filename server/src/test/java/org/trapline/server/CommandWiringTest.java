package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** The library commands are reachable through {@code trapline} with the shared --conf/--data options. */
class CommandWiringTest {
    @TempDir
    Path tmp;

    String run(String stdin, String... args) {
        return Cli.withStdin(stdin, args).out();
    }

    @Test
    void receivedParsesJsonLines() {
        TestInstance t = new TestInstance(tmp);
        String out = run("{\"value\": \"from mail.example (mail.example [192.0.2.1]) by mx.example (Postfix) with ESMTP id ABC; Sat, 2 Sep 2023 04:24:06 +0200\"}\n",
                "--conf", t.conf.toString(), "--data", t.data.toString(), "received");
        assertThat(out).startsWith("{\"ignored\": false, \"ip\": \"192.0.2.1\"").contains("\"time\": \"2023-09-02T04:24:06+02:00\"");
    }

    @Test
    void traceUsesTheTrustedNetworksOfTheGivenConf() {
        TestInstance t = new TestInstance(tmp).set("origin.trusted-networks", "192.0.2.0/24");
        String eml = TestInstance.shared().resolve("testdata/messages/spamassassin-t-data/spam/relayUS.eml").toString();
        String out = run("", "--conf", t.conf.toString(), "--data", t.data.toString(), "trace", "--client-ip", "192.0.2.25", eml);
        assertThat(out).contains("\"origin\": {\"ip\": \"8.8.8.8\"");
    }
}
