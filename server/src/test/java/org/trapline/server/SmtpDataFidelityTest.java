package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trapline.evidence.StoredHit;

/**
 * What a client sends in DATA is what the evidence store keeps, byte for byte below our Received header:
 * lines of any length, bare LF line endings; and one DATA is one message, whatever line endings hide in
 * it. Real SMTP over loopback sockets, the hits read back from the evidence store.
 */
class SmtpDataFidelityTest {
    @TempDir
    static Path tmp;
    static TestInstance t;
    static TraplineServer server;
    static int port;

    @BeforeAll
    static void start() {
        t = new TestInstance(tmp).set("smtp.max-message-size", Integer.toString(2 << 20));
        port = TestInstance.freePort();
        server = t.start(port);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aMegabyteHeaderLineAndALongBodyLineAreStoredByteForByte() throws Exception {
        byte[] message = ascii("Subject: long-lines\r\nX-Long: " + "h".repeat(1 << 20) + "\r\n\r\n"
                + "b".repeat(100 * 1024) + "\r\nlast line\r\n");
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO bot.example");
            assertThat(c.send("s@forged.example", List.of("long@trap.example.net"), message).code()).isEqualTo(250);
        }
        assertStoredBelowOurReceivedHeader("long-lines", message);
    }

    @Test
    void aTooLongCommandLineGets500AndTheSessionGoesOn() throws Exception {
        try (RawSmtp c = RawSmtp.connect(port)) {
            assertThat(c.line()).startsWith("220 ");
            assertThat(c.command("EHLO bot.example")).startsWith("250 ");
            assertThat(c.command("NOOP " + "x".repeat(100_000))).startsWith("500 5.5.2 ");
            assertThat(c.command("NOOP")).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<s@forged.example>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<after-long-command@trap.example.net>")).startsWith("250 ");
            assertThat(c.command("DATA")).startsWith("354 ");
            assertThat(c.send("Subject: after-long-command\r\n\r\nbody\r\n.\r\n").lastLine()).startsWith("250 ");
        }
    }

    @Test
    void theSizeLimitStillBoundsAMessageOfOneHugeLine() throws Exception {
        try (RawSmtp c = RawSmtp.connect(port)) {
            assertThat(c.line()).startsWith("220 ");
            assertThat(c.command("EHLO bot.example")).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<s@forged.example>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<huge@trap.example.net>")).startsWith("250 ");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.send("Subject: huge-line\r\n\r\n" + "z".repeat(3 << 20) + "\r\n.\r\n");
            assertThat(c.lastLine()).startsWith("552 5.3.4 ");
            assertThat(c.command("NOOP")).as("the session goes on").startsWith("250 ");
        }
    }

    @Test
    void anAllLfSessionIsAcceptedAndStoredWithItsLineEndings() throws Exception {
        String body = "Subject: all-lf\nFrom: bot@forged.example\n\nfirst line\n..stuffed\n.\rkept period\nlast line\n";
        List<String> replies = new ArrayList<>();
        try (RawSmtp c = RawSmtp.connect(port)) {
            replies.add(c.line());
            for (String command : List.of("EHLO lf.example\n", "MAIL FROM:<bot@forged.example>\n", "RCPT TO:<lf@trap.example.net>\n", "DATA\n")) {
                replies.add(c.send(command).lastLine());
            }
            replies.add(c.send(body + ".\n").lastLine());
            replies.add(c.send("QUIT\n").lastLine());
        }
        assertThat(replies).extracting(r -> r.substring(0, 3)).containsExactly("220", "250", "250", "250", "354", "250", "221");
        assertStoredBelowOurReceivedHeader("all-lf", ascii(body.replace("\n..stuffed", "\n.stuffed")));
    }

    /**
     * A CRLF client's message that hides a second transaction behind an end of data some other MTA might
     * see (bare LF or CR around a period) is one message with all those bytes: never two, never cut.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r", "\r.\r\n"})
    void aHiddenEndOfDataInACrlfSessionDoesNotSplitTheMessage(String hiddenEnd) throws Exception {
        String subject = "smuggle-" + Arrays.toString(ascii(hiddenEnd));
        String body = "Subject: " + subject + "\r\n\r\nfirst part" + hiddenEnd
                + "MAIL FROM:<x@y.example>\nRCPT TO:<smuggled@trap.example.net>\nDATA\nSubject: smuggled\n\nsecond part\r\n";
        List<String> after = new ArrayList<>();
        try (RawSmtp c = RawSmtp.connect(port)) {
            assertThat(c.line()).startsWith("220 ");
            assertThat(c.command("EHLO bot.example")).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<s@forged.example>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<victim@trap.example.net>")).startsWith("250 ");
            assertThat(c.command("DATA")).startsWith("354 ");
            assertThat(c.send(body + ".\r\n").lastLine()).startsWith("250 ");
            c.send("QUIT\r\n");
            for (String l; (l = c.line()) != null; ) {
                after.add(l);
            }
        }
        assertThat(after).as("the only reply after the message's 250").hasSize(1).allMatch(l -> l.startsWith("221 "));
        assertStoredBelowOurReceivedHeader(subject, ascii(body));
        assertThat(storedHits()).extracting(StoredHit::subject).doesNotContain("smuggled");
    }

    /** The stored raw message is one Received header of ours followed by exactly {@code sent}. */
    private static void assertStoredBelowOurReceivedHeader(String subject, byte[] sent) throws Exception {
        TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
        List<StoredHit> hits = storedHits().stream().filter(h -> subject.equals(h.subject())).toList();
        assertThat(hits).as("hits with subject %s", subject).hasSize(1);
        byte[] raw = server.data().evidence().raw(hits.get(0).id()).orElseThrow();
        assertThat(raw.length).isGreaterThan(sent.length);
        byte[] tail = Arrays.copyOfRange(raw, raw.length - sent.length, raw.length);
        assertThat(tail).as("the bytes below our header are the bytes sent").isEqualTo(sent);
        String header = new String(raw, 0, raw.length - sent.length, StandardCharsets.ISO_8859_1);
        assertThat(header).startsWith("Received: from ").matches("(?s)Received: [^\\n]*\\n([ \\t][^\\n]*\\n)*");
    }

    /** Every hit in the running server's own store, as the desk's commands see them. */
    private static List<StoredHit> storedHits() {
        return server.data().evidence().hits(0, 1000);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
