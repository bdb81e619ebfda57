package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trapline.mailets.spool.Spool;

/** The trap MX over real SMTP on loopback: what it accepts, what it refuses, and that it never relays. */
class TrapMxSmtpTest {
    @TempDir
    static Path tmp;
    static TraplineServer server;
    static int port;

    @BeforeAll
    static void start() {
        TestInstance t = new TestInstance(tmp).set("smtp.max-message-size", "100000").set("smtp.max-recipients", "5");
        port = TestInstance.freePort();
        server = t.start(port);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static byte[] message(String subject) {
        return ("From: spammer@forged.example\r\nTo: victim@trap.example.net\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.hashCode() + "@forged.example>\r\n\r\nCheap pills at http://pills.example/\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(strings = {"anything", "postmaster", "abuse", "x.y-z+tag", "UPPER", "0123456789"})
    void anyLocalPartAtATrapDomainIsAccepted(String localPart) throws Exception {
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO bot.example");
            assertThat(c.send("spammer@forged.example", List.of(localPart + "@trap.example.net"), message("hello " + localPart)).code())
                    .isEqualTo(250);
        }
    }

    /**
     * A 250 waits for the spool's fdatasync in a handler that holds the session's replies back; a
     * pipelining bot that sends its next commands right behind the final dot must still get every reply,
     * in order.
     */
    @Test
    void pipelinedTransactionsGetTheirRepliesInOrder() throws Exception {
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            assertThat(c.command("EHLO bot.example").text()).contains("PIPELINING");
            List<SmtpClient.Reply> replies = c.pipelined(ascii("MAIL FROM:<s@forged.example>\r\nRCPT TO:<pipe1@trap.example.net>\r\nDATA\r\n"), 3);
            assertThat(replies).extracting(SmtpClient.Reply::code).containsExactly(250, 250, 354);
            replies = c.pipelined(concat(SmtpClient.dotStuff(message("pipelined one")),
                    ascii(".\r\nMAIL FROM:<s@forged.example>\r\nRCPT TO:<pipe2@trap.example.net>\r\nDATA\r\n")), 4);
            assertThat(replies).extracting(SmtpClient.Reply::code).containsExactly(250, 250, 250, 354);
            assertThat(replies.get(0).text()).contains("Message received");
            replies = c.pipelined(concat(SmtpClient.dotStuff(message("pipelined two")), ascii(".\r\nNOOP\r\n")), 2);
            assertThat(replies).extracting(SmtpClient.Reply::code).containsExactly(250, 250);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void everyConfiguredTrapDomainAndCaseVariantIsATrap() throws Exception {
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("HELO bot.example");
            c.command("MAIL FROM:<spammer@forged.example>");
            assertThat(c.command("RCPT TO:<a@spamtrap.example.org>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<b@TRAP.Example.NET>").code()).isEqualTo(250);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "victim@other.example",            // plain relay attempt
            "user%other.example@trap.example.net",  // percent hack
            "\"user@other.example\"@trap.example.net", // quoted local part hiding a second address
            "other.example!user@trap.example.net", // bang path
            "@trap.example.net:user@other.example", // source route
            "user@[127.0.0.1]",                // IP literal: never a trap
            "user@[IPv6:::1]",
            "user@trap.example.net.other.example", // trap domain as a prefix
            "user@sub.trap.example.net",       // subdomains are not traps unless listed
    })
    void relayTricksAreRefusedAtRcpt(String rcpt) throws Exception {
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO bot.example");
            assertThat(c.command("MAIL FROM:<spammer@forged.example>").code()).isEqualTo(250);
            SmtpClient.Reply r = c.command("RCPT TO:<" + rcpt + ">");
            assertThat(r.code()).as("RCPT TO:<%s> answered %s", rcpt, r).isBetween(550, 559);
        }
    }

    @Test
    void localhostIsNotAllowedToRelayEither() throws Exception {
        // Our client connects from 127.0.0.1: James's default would let loopback relay; ours must not.
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO localhost");
            c.command("MAIL FROM:<root@localhost>");
            assertThat(c.command("RCPT TO:<someone@gmail.example>").code()).isEqualTo(550);
        }
    }

    @Test
    void sizeLimitIsAdvertisedAndEnforced() throws Exception {
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            assertThat(c.command("EHLO bot.example").text()).contains("SIZE 100352");
            assertThat(c.command("MAIL FROM:<a@b.example> SIZE=200000").code()).isEqualTo(552);
            c.command("RSET");
            StringBuilder body = new StringBuilder("Subject: big\r\n\r\n");
            while (body.length() < 200_000) {
                body.append("y".repeat(990)).append("\r\n");
            }
            SmtpClient.Reply r = c.send("a@b.example", List.of("t@trap.example.net"), body.toString().getBytes(StandardCharsets.US_ASCII));
            assertThat(r.code()).isEqualTo(552);
        }
    }

    @Test
    void recipientLimitPerTransaction() throws Exception {
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO bot.example");
            c.command("MAIL FROM:<a@b.example>");
            List<Integer> codes = IntStream.range(0, 7)
                    .mapToObj(i -> {
                        try {
                            return c.command("RCPT TO:<r" + i + "@trap.example.net>").code();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
            assertThat(codes.subList(0, 5)).containsOnly(250);
            assertThat(codes.subList(5, 7)).allMatch(code -> code == 452 || code == 552, "over the limit: " + codes);
        }
    }

    @Test
    void nullSenderIsAccepted() throws Exception {
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO bot.example");
            assertThat(c.send("", List.of("bounce@trap.example.net"), message("dsn")).code()).isEqualTo(250);
        }
    }

    @Test
    void acceptedMessagesLeaveTheSpoolOnceTheTrapPipelineIsDone() throws Exception {
        Path spool = tmp.resolve("data/spool");
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO bot.example");
            for (int i = 0; i < 5; i++) {
                assertThat(c.send("s@forged.example", List.of("t@trap.example.net"), message("drain " + i)).code()).isEqualTo(250);
            }
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (pendingInSpool(spool) > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(pendingInSpool(spool)).isZero();
    }

    /** Messages acknowledged and not yet released, read from the spool's files as another process would. */
    @Test
    void thePipelineYieldsTheCpuToSmtpSessions() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO bot.example");
            assertThat(c.send("s@forged.example", List.of("t@trap.example.net"), message("nice")).code()).isEqualTo(250);
        }
        // The shipped pipeline.priority is idle; threads are looked for once a second.
        long deadline = System.currentTimeMillis() + 10_000;
        while (!policiesOfThreads("spooler-").contains(SCHED_IDLE) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(policiesOfThreads("spooler-")).as("pipeline threads").isNotEmpty().contains(SCHED_IDLE);
        assertThat(policiesOfThreads("smtpserver-io")).as("SMTP threads").isNotEmpty().doesNotContain(SCHED_IDLE);
    }

    /** Linux's number for the SCHED_IDLE scheduling policy. */
    private static final int SCHED_IDLE = 5;

    /** Scheduling policies (field 41 of /proc/TID/stat) of this JVM's threads whose name starts with the prefix. */
    private static List<Integer> policiesOfThreads(String prefix) throws java.io.IOException {
        List<Integer> policies = new java.util.ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith(prefix)) {
                        String stat = Files.readString(task.resolve("stat"));
                        // Fields from the third on follow the name's closing parenthesis.
                        policies.add(Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[41 - 3]));
                    }
                } catch (java.nio.file.NoSuchFileException ended) {
                    // the thread ended while we looked
                }
            }
        }
        return policies;
    }

    static long pendingInSpool(Path spool) throws java.io.IOException {
        return Spool.pendingOnDisk(spool);
    }
}
